using System.Text;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The one way text reaches a card's Markdown: as one plain line (<see cref="PlainText"/>) whose every character that
/// could start Markdown or HTML (an image, a link or autolink, a tag, an entity, emphasis, a table cell) is backslash-escaped, a
/// leading list marker ("-", "+", "1.") too. A display or note from the record then renders as its words and nothing else.
/// </summary>
internal static class MarkdownText
{
    /// <summary>Longest line: the model's own sentences stay under 300 characters, plus a record's description.</summary>
    public const int MaxLength = 600;

    private const string MarkupCharacters = "\\`*_[]<>!#|~&";

    public static string Escape(string? text)
    {
        var line = PlainText.Clip(text, MaxLength);
        var md = new StringBuilder(line.Length + 8);
        var leadingDigits = line.TakeWhile(char.IsAsciiDigit).Count();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var startsList = (i == 0 && c is '-' or '+') || (i == leadingDigits && i > 0 && c is '.' or ')');
            // Renderers with autolinks (GitHub-flavoured) turn a bare URL into a link: "https\://" and "www\." stay text.
            var startsAutolink = (c == ':' && line.AsSpan(i + 1).StartsWith("//"))
                || (c == '.' && i >= 3 && line.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase));
            if (MarkupCharacters.Contains(c) || startsList || startsAutolink)
                md.Append('\\');
            md.Append(c);
        }
        return md.ToString();
    }
}
