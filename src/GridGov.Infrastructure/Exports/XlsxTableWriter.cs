using System.Globalization;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GridGov.Infrastructure.Exports;

/// <summary>One sheet of a workbook: its name, header row, column widths and rows.</summary>
public sealed record XlsxSheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IAsyncEnumerable<IReadOnlyList<string>> Rows);

/// <summary>
/// XLSX (one sheet, or several) written row by row with <see cref="OpenXmlWriter"/> (no DOM of the sheet in memory), all
/// cells inline strings, a bold frozen header row and column widths. The package is built in a temporary
/// file (System.IO.Packaging needs a seekable stream) and then copied to the output.
/// </summary>
public static class XlsxTableWriter
{
    private const uint BoldStyle = 1;

    public static Task WriteAsync(Stream output, string sheetName, IReadOnlyList<string> headers, IReadOnlyList<double> widths,
        IAsyncEnumerable<IReadOnlyList<string>> rows, CancellationToken cancellationToken) =>
        WriteAsync(output, [new XlsxSheet(sheetName, headers, widths, rows)], cancellationToken);

    /// <summary>A workbook of several sheets, in order (the first one selected); each sheet as <see cref="WriteAsync(Stream, string, IReadOnlyList{string}, IReadOnlyList{double}, IAsyncEnumerable{IReadOnlyList{string}}, CancellationToken)"/>.</summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<XlsxSheet> sheets, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "gridgov-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using (var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            styles.Stylesheet.Save();

            var entries = new Sheets();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var index = 0; index < sheets.Count; index++)
            {
                var sheet = sheets[index];
                var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
                await WriteSheetAsync(sheetPart, sheet, selected: index == 0, cancellationToken);
                entries.Append(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = (uint)(index + 1), Name = UniqueName(SheetName(sheet.Name), names) });
            }
            workbookPart.Workbook = new Workbook(entries);
            workbookPart.Workbook.Save();
        }
        file.Position = 0;
        await file.CopyToAsync(output, cancellationToken);
    }

    private static async Task WriteSheetAsync(WorksheetPart sheetPart, XlsxSheet sheet, bool selected, CancellationToken cancellationToken)
    {
        using var writer = OpenXmlWriter.Create(sheetPart);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
            { TabSelected = selected, WorkbookViewId = 0 }));
        if (sheet.Widths.Count > 0) // an empty <cols/> is not valid
        {
            var columns = new Columns();
            for (var i = 0; i < sheet.Widths.Count; i++)
            {
                columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = sheet.Widths[i], CustomWidth = true });
            }
            writer.WriteElement(columns);
        }
        writer.WriteStartElement(new SheetData());
        uint rowIndex = 1;
        WriteRow(writer, rowIndex, sheet.Headers, BoldStyle);
        await foreach (var row in sheet.Rows.WithCancellation(cancellationToken))
        {
            WriteRow(writer, ++rowIndex, row, style: null);
        }
        writer.WriteEndElement(); // sheetData
        writer.WriteEndElement(); // worksheet
    }

    /// <summary>Excel refuses two sheets of one name (case-insensitive): a repeated one gets " (2)", " (3)" …</summary>
    private static string UniqueName(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            var suffix = $" ({n})";
            candidate = (name.Length + suffix.Length > 31 ? name[..(31 - suffix.Length)] : name) + suffix;
        }
        return candidate;
    }

    // Written tag by tag from shared element instances (OpenXmlWriter only reads their names): a 50,000-row
    // export is a million cells, and building a Cell tree for each costs more than writing it.
    private static readonly Row RowTag = new();
    private static readonly Cell CellTag = new();
    private static readonly InlineString InlineStringTag = new();
    private static readonly Text TextTag = new();
    private static readonly OpenXmlAttribute InlineStringType = new("t", "", "inlineStr");
    private static readonly OpenXmlAttribute PreserveSpace = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");

    private static void WriteRow(OpenXmlWriter writer, uint rowIndex, IReadOnlyList<string> values, uint? style)
    {
        var row = rowIndex.ToString(CultureInfo.InvariantCulture);
        writer.WriteStartElement(RowTag, [new OpenXmlAttribute("r", "", row)]);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Length == 0)
            {
                continue;
            }
            var reference = new OpenXmlAttribute("r", "", ColumnName(i) + row);
            writer.WriteStartElement(CellTag, style is { } index
                ? [reference, InlineStringType, new OpenXmlAttribute("s", "", index.ToString(CultureInfo.InvariantCulture))]
                : [reference, InlineStringType]);
            writer.WriteStartElement(InlineStringTag);
            writer.WriteStartElement(TextTag, [PreserveSpace]);
            writer.WriteString(XmlSafe(values[i]));
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    /// <summary>Excel refuses sheet names over 31 characters or with any of []:*?/\.</summary>
    public static string SheetName(string name)
    {
        var cleaned = new string(name.Select(c => "[]:*?/\\".Contains(c) ? '_' : c).ToArray()).Trim();
        return cleaned.Length == 0 ? "Sheet1" : cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }

    /// <summary>A, B, …, Z, AA, AB, … for a zero-based column index.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + (n - 1) % 26) + name;
        }
        return name;
    }

    // Control characters are not allowed in XML 1.0; a pasted description may carry them.
    private static string XmlSafe(string text)
    {
        foreach (var c in text)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return new string(text.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch)).ToArray());
            }
        }
        return text;
    }

    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
}
