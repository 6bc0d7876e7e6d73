using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace GridGov.Web.Tests.Infrastructure;

/// <summary>
/// The text of each page of a PDF that Chromium (Skia) printed, enough for tests to see what landed on which page: the
/// page tree in order, each page's content streams (Flate), text shown with Type0 fonts (Identity-H, two-byte codes) and
/// Type3 fonts (one-byte codes: Skia draws synthetic bold that way) through their ToUnicode maps, and marked-content spans' /ActualText (Skia writes glyphs a machine has no font for as .notdef
/// inside such a span). Not a general PDF reader.
/// </summary>
public static partial class PdfText
{
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var objects = new Dictionary<int, (string Dictionary, byte[]? Stream)>();
        foreach (Match match in ObjectStart().Matches(text))
        {
            var number = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var bodyStart = match.Index + match.Length;
            var end = text.IndexOf("endobj", bodyStart, StringComparison.Ordinal);
            var body = text[bodyStart..end];
            var streamAt = body.IndexOf("stream", StringComparison.Ordinal);
            if (streamAt >= 0 && !body[..streamAt].Contains("endstream", StringComparison.Ordinal) && body[..streamAt].TrimEnd().EndsWith(">>", StringComparison.Ordinal))
            {
                var dataStart = bodyStart + streamAt + "stream".Length;
                dataStart += text[dataStart] == '\r' ? 2 : 1;
                var dataEnd = text.LastIndexOf("endstream", end, StringComparison.Ordinal);
                var data = pdf[dataStart..dataEnd];
                objects[number] = (body[..streamAt], body[..streamAt].Contains("/FlateDecode", StringComparison.Ordinal) ? Inflate(data) : data);
            }
            else
            {
                objects[number] = (body, null);
            }
        }
        var root = objects.Values.First(o => PagesType().IsMatch(o.Dictionary) && !o.Dictionary.Contains("/Parent", StringComparison.Ordinal));
        var pages = new List<string>();
        Collect(root.Dictionary, objects, pages);
        return pages;
    }

    private static void Collect(string node, Dictionary<int, (string Dictionary, byte[]? Stream)> objects, List<string> pages)
    {
        var kids = Kids().Match(node).Groups[1].Value;
        foreach (Match kid in Reference().Matches(kids))
        {
            var child = objects[int.Parse(kid.Groups[1].Value, CultureInfo.InvariantCulture)].Dictionary;
            if (PagesType().IsMatch(child))
            {
                Collect(child, objects, pages);
                continue;
            }
            var fonts = new Dictionary<string, Font>();
            foreach (Match font in FontEntry().Matches(FontDictionary().Match(child).Groups[1].Value))
            {
                var fontObject = objects[int.Parse(font.Groups[2].Value, CultureInfo.InvariantCulture)].Dictionary;
                var toUnicode = ToUnicode().Match(fontObject);
                var map = toUnicode.Success
                    ? CMap(Encoding.Latin1.GetString(objects[int.Parse(toUnicode.Groups[1].Value, CultureInfo.InvariantCulture)].Stream ?? []))
                    : [];
                fonts[font.Groups[1].Value] = new Font(map, Type3().IsMatch(fontObject) ? 2 : 4);
            }
            var contents = Contents().Match(child);
            var streams = Reference().Matches(contents.Groups[1].Value + contents.Groups[2].Value)
                .Select(r => objects[int.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture)].Stream ?? []);
            pages.Add(string.Concat(streams.Select(s => Show(Encoding.Latin1.GetString(s), fonts))));
        }
    }

    /// <summary>The text a content stream shows, in drawing order.</summary>
    private static string Show(string content, Dictionary<string, Font> fonts)
    {
        var output = new StringBuilder();
        var spans = new Stack<bool>(); // whether each open marked-content span carries /ActualText
        var font = new Font([], 4);
        foreach (Match token in Token().Matches(content))
        {
            if (token.Groups["font"].Success)
            {
                font = fonts.GetValueOrDefault(token.Groups["font"].Value) ?? new Font([], 4);
            }
            else if (token.Groups["actual"].Success)
            {
                output.Append(Utf16(token.Groups["actual"].Value));
                spans.Push(true);
            }
            else if (token.Groups["bdc"].Success)
            {
                spans.Push(false);
            }
            else if (token.Groups["emc"].Success)
            {
                if (spans.Count > 0)
                {
                    spans.Pop();
                }
            }
            else if (!spans.Contains(true))
            {
                foreach (Match hex in Hex().Matches(token.Groups["show"].Value))
                {
                    var glyphs = hex.Groups[1].Value;
                    for (var i = 0; i + font.HexDigits <= glyphs.Length; i += font.HexDigits)
                    {
                        if (font.ToUnicode.TryGetValue(Convert.ToInt32(glyphs.Substring(i, font.HexDigits), 16), out var unicode))
                        {
                            output.Append(unicode);
                        }
                    }
                }
            }
        }
        return output.ToString();
    }

    private static Dictionary<int, string> CMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match section in BfChar().Matches(cmap))
        {
            foreach (Match pair in Pair().Matches(section.Groups[1].Value))
            {
                map[Convert.ToInt32(pair.Groups[1].Value, 16)] = Utf16(pair.Groups[2].Value);
            }
        }
        foreach (Match section in BfRange().Matches(cmap))
        {
            foreach (Match range in Range().Matches(section.Groups[1].Value))
            {
                var (first, last) = (Convert.ToInt32(range.Groups[1].Value, 16), Convert.ToInt32(range.Groups[2].Value, 16));
                var start = Convert.ToInt32(range.Groups[3].Value, 16);
                for (var code = first; code <= last; code++)
                {
                    map[code] = char.ConvertFromUtf32(start + code - first);
                }
            }
        }
        return map;
    }

    private static string Utf16(string hex) =>
        Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex.Length % 4 == 0 ? hex : hex.PadRight(hex.Length + 4 - hex.Length % 4, '0')))
            .TrimStart('\uFEFF');

    private static byte[] Inflate(byte[] data)
    {
        using var input = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex(@"(\d+) 0 obj\s*")]
    private static partial Regex ObjectStart();

    /// <summary>A font's code-to-text map and how many hex digits one code takes in a shown string.</summary>
    private sealed record Font(Dictionary<int, string> ToUnicode, int HexDigits);

    [GeneratedRegex(@"/Subtype\s*/Type3\b")]
    private static partial Regex Type3();

    [GeneratedRegex(@"/Type\s*/Pages\b")]
    private static partial Regex PagesType();

    [GeneratedRegex(@"/Kids\s*\[([^\]]*)\]")]
    private static partial Regex Kids();

    [GeneratedRegex(@"(\d+) 0 R")]
    private static partial Regex Reference();

    [GeneratedRegex(@"/Font\s*<<(.*?)>>", RegexOptions.Singleline)]
    private static partial Regex FontDictionary();

    [GeneratedRegex(@"/([A-Za-z0-9_.]+)\s+(\d+) 0 R")]
    private static partial Regex FontEntry();

    [GeneratedRegex(@"/ToUnicode\s+(\d+) 0 R")]
    private static partial Regex ToUnicode();

    [GeneratedRegex(@"/Contents\s*(?:\[([^\]]*)\]|(\d+ 0 R))")]
    private static partial Regex Contents();

    [GeneratedRegex(@"/(?<font>[A-Za-z0-9_.]+)\s+[\d.]+\s+Tf|/ActualText\s*<(?<actual>[0-9A-Fa-f]*)>\s*>>\s*BDC|(?<bdc>BDC)\b|(?<emc>EMC)\b|(?<show>(?:<[0-9A-Fa-f]*>\s*Tj)|(?:\[[^\]]*\]\s*TJ))")]
    private static partial Regex Token();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>")]
    private static partial Regex Hex();

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Pair();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Range();
}
