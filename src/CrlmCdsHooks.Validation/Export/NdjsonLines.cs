namespace CrlmCdsHooks.Validation.Export;

/// <summary>Splits a stream of NDJSON into lines without decoding it, so a large export is read in one pass with little memory.</summary>
public static class NdjsonLines
{
    /// <summary>
    /// The non-blank lines of <paramref name="stream"/> with their 1-based line numbers. Each line is a view of an internal
    /// buffer and is valid only until the next one is read.
    /// </summary>
    public static IEnumerable<(long Number, ReadOnlyMemory<byte> Line)> Read(Stream stream)
    {
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        long number = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                number++;
                var line = Trim(buffer.AsMemory(start, newline - start));
                start = newline + 1;
                if (!line.IsEmpty)
                    yield return (number, line);
                continue;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2); // one line longer than the buffer
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                var last = Trim(buffer.AsMemory(0, end));
                if (!last.IsEmpty)
                    yield return (number + 1, last);
                yield break;
            }
            end += read;
        }
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        int from = 0, to = span.Length;
        while (from < to && IsBlank(span[from]))
            from++;
        while (to > from && IsBlank(span[to - 1]))
            to--;
        return line[from..to];
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or 0xEF or 0xBB or 0xBF; // 0xEF 0xBB 0xBF: a UTF-8 byte order mark
}
