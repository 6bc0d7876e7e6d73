using System.Text;

namespace GridGov.Infrastructure.Exports;

/// <summary>
/// CSV (RFC 4180) for Excel users in China: UTF-8 with a byte order mark, so Excel opens Chinese text
/// correctly; CRLF line ends; fields quoted when they hold a comma, quote or line break.
/// </summary>
public static class CsvTableWriter
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static async Task WriteAsync(Stream output, IReadOnlyList<string> headers, IAsyncEnumerable<IReadOnlyList<string>> rows, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Utf8Bom, cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Line(headers));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(row));
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static string Line(IReadOnlyList<string> fields)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            line.Append(Field(fields[i]));
        }
        return line.Append("\r\n").ToString();
    }

    public static string Field(string value)
    {
        // A cell starting with = + - @ would be run as a formula by Excel (CSV injection); a leading ' keeps it text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
