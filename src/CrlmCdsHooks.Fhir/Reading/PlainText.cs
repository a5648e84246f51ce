using System.Text;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Text the service did not write (a record's displays and notes, a caller's claims and headers) reduced to one line
/// of plain text before it is shown or logged: line breaks, control and bidirectional-override characters become
/// spaces, runs of spaces one space, and it is cut to a length, so no value can forge a line or flood a card or a log.
/// </summary>
public static class PlainText
{
    /// <summary>Longest text taken from a record (a display, a note): descriptions on a card are labels, not documents.</summary>
    public const int RecordLength = 200;

    /// <summary>Longest value from an unauthenticated caller written to a log line.</summary>
    public const int LogValueLength = 100;

    /// <summary>One line of at most <paramref name="maxLength"/> characters, cut at a word boundary where one is near, with "…".</summary>
    public static string Clip(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var line = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var c in text)
        {
            var blank = char.IsWhiteSpace(c) || char.IsControl(c) || IsBidiControl(c);
            if (blank && (line.Length == 0 || line[^1] == ' '))
                continue;
            line.Append(blank ? ' ' : c);
            if (line.Length > maxLength)
                break;
        }
        var one = line.ToString().TrimEnd();
        if (one.Length <= maxLength)
            return one;
        var cut = one.LastIndexOf(' ', maxLength - 1);
        var end = cut > maxLength / 2 ? cut : maxLength - 1;
        if (char.IsHighSurrogate(one[end - 1]))
            end--; // never half a character
        return string.Concat(one.AsSpan(0, end).TrimEnd(), "…");
    }

    // Embeddings, overrides and isolates reorder what is shown: "…wild type" could display as "…epyt dliw".
    private static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F';
}
