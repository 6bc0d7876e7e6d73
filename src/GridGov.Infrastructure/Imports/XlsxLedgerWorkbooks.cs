using System.Globalization;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Application.Ledgers.Import;
using GridGov.Infrastructure.Exports;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace GridGov.Infrastructure.Imports;

/// <summary>
/// The import's spreadsheets. Reading streams the first sheet with MiniExcel (a row at a time, shared strings cached on
/// disk for big files), so a 100,000-row file never sits in memory. The template and the refused-rows file are written
/// with Open XML, which can add what MiniExcel cannot: drop-down lists (data validation), text-formatted columns, fills.
/// </summary>
public sealed class XlsxLedgerWorkbooks : ILedgerWorkbooks
{
    private static readonly OpenXmlConfiguration ReadConfiguration = new() { FillMergedCells = false };

    // Styles of the stylesheet below, by index.
    private const uint HeaderStyle = 1;
    private const uint TextStyle = 2;
    private const uint ExampleStyle = 3;
    private const uint RefusedCellStyle = 4;
    private const uint ReasonHeaderStyle = 5;
    private const uint ReasonStyle = 6;
    private const uint WrapStyle = 7;

    public IEnumerable<WorkbookRow> Read(Stream xlsx, CancellationToken cancellationToken)
    {
        IEnumerator<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(xlsx, useHeaderRow: false, excelType: ExcelType.XLSX, configuration: ReadConfiguration).GetEnumerator();
        }
        catch (Exception exception) when (Unreadable(exception))
        {
            throw LedgerImportRefusals.Unreadable();
        }
        using (rows)
        {
            for (var number = 1; ; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool more;
                try
                {
                    more = rows.MoveNext();
                }
                catch (Exception exception) when (Unreadable(exception))
                {
                    throw LedgerImportRefusals.Unreadable();
                }
                if (!more)
                {
                    yield break;
                }
                yield return new WorkbookRow(number, Cells((IDictionary<string, object?>)rows.Current));
            }
        }
    }

    public int? RowCountHint(Stream xlsx)
    {
        try
        {
            return MiniExcel.GetSheetDimensions(xlsx).FirstOrDefault() is { } first ? first.Rows.Count : null;
        }
        catch (Exception exception) when (Unreadable(exception))
        {
            return null;
        }
    }

    /// <summary>MiniExcel keys a row's cells by column letters (A, B, …); the cells in column order, gaps as null.</summary>
    private static object?[] Cells(IDictionary<string, object?> row)
    {
        var last = -1;
        foreach (var key in row.Keys)
        {
            last = Math.Max(last, ColumnIndex(key));
        }
        var cells = new object?[last + 1];
        foreach (var (key, value) in row)
        {
            if (ColumnIndex(key) is var index and >= 0)
            {
                cells[index] = value;
            }
        }
        return cells;
    }

    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var c in letters)
        {
            if (c is < 'A' or > 'Z')
            {
                return -1;
            }
            index = index * 26 + (c - 'A' + 1);
        }
        return index - 1;
    }

    /// <summary>What a broken or foreign file makes MiniExcel or the zip reader throw (never our own refusals or a cancellation).</summary>
    private static bool Unreadable(Exception exception) =>
        exception is not Domain.Common.DomainException and not OperationCanceledException and not OutOfMemoryException;

    // ---------- the template ----------

    public async Task WriteTemplateAsync(Stream output, LedgerImportTemplate template, CancellationToken cancellationToken)
    {
        // Open XML packages need a seekable stream; a template is a few kilobytes.
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            AddStyles(workbook);
            var data = workbook.AddNewPart<WorksheetPart>();
            data.Worksheet = TemplateSheet(template);
            var notes = workbook.AddNewPart<WorksheetPart>();
            notes.Worksheet = NotesSheet(template);
            workbook.Workbook = new Workbook(new Sheets(
                new Sheet { Id = workbook.GetIdOfPart(data), SheetId = 1, Name = XlsxTableWriter.SheetName(template.SheetName) },
                new Sheet { Id = workbook.GetIdOfPart(notes), SheetId = 2, Name = "填写说明" }));
            workbook.Workbook.Save();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    private static Worksheet TemplateSheet(LedgerImportTemplate template)
    {
        var columns = new Columns();
        var header = new Row { RowIndex = 1 };
        var example = new Row { RowIndex = 2 };
        var validations = new DataValidations();
        for (var i = 0; i < template.Columns.Count; i++)
        {
            var column = template.Columns[i];
            var letter = XlsxTableWriter.ColumnName(i);
            // A text-formatted column keeps what is typed as typed: an ID number stays 18 digits, a phone keeps its leading 0.
            columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = column.Width, CustomWidth = true, Style = column.Text ? TextStyle : null });
            header.Append(TextCell($"{letter}1", column.Required ? column.Header + "*" : column.Header, HeaderStyle));
            var value = i == 0 ? LedgerImportTemplates.ExampleMark + column.Example : column.Example;
            example.Append(TextCell($"{letter}2", value, ExampleStyle));
            if (column.Options is { Count: > 0 } options)
            {
                validations.Append(new DataValidation
                {
                    Type = DataValidationValues.List,
                    AllowBlank = true,
                    ShowDropDown = false, // (sic) false shows the in-cell arrow
                    ShowInputMessage = true,
                    ShowErrorMessage = column.OptionsOnly,
                    ErrorStyle = DataValidationErrorStyleValues.Stop,
                    ErrorTitle = "不是可选的值",
                    Error = $"请从下拉列表中选择：{string.Join("、", options)}",
                    PromptTitle = column.Header,
                    Prompt = Clip(column.Note.Length > 0 ? column.Note : "请从下拉列表中选择", 255),
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{letter}2:{letter}1048576" },
                    Formula1 = new Formula1($"\"{string.Join(",", options)}\""),
                });
            }
        }
        var worksheet = new Worksheet(
            new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
            {
                TabSelected = true, WorkbookViewId = 0,
            }),
            columns,
            new SheetData(header, example));
        if (validations.HasChildren)
        {
            validations.Count = (uint)validations.ChildElements.Count;
            worksheet.Append(validations);
        }
        return worksheet;
    }

    private static Worksheet NotesSheet(LedgerImportTemplate template)
    {
        var rows = new SheetData();
        uint index = 1;
        rows.Append(TextRow(index++, HeaderStyle, "列名", "是否必填", "可选值", "示例", "说明"));
        foreach (var column in template.Columns)
        {
            rows.Append(TextRow(index++, WrapStyle, column.Header, column.Required ? "必填" : "选填",
                column.Options is { } options ? string.Join("、", options) : "", column.Example,
                column.Synonyms.Count > 0 ? $"{column.Note}{(column.Note.Length > 0 ? "。" : "")}也可用表头：{string.Join("、", column.Synonyms)}" : column.Note));
        }
        index++;
        rows.Append(TextRow(index++, HeaderStyle, "导入说明"));
        foreach (var note in template.Notes)
        {
            rows.Append(TextRow(index++, WrapStyle, note));
        }
        return new Worksheet(
            new Columns(
                new Column { Min = 1, Max = 1, Width = 16, CustomWidth = true },
                new Column { Min = 2, Max = 2, Width = 10, CustomWidth = true },
                new Column { Min = 3, Max = 3, Width = 30, CustomWidth = true },
                new Column { Min = 4, Max = 4, Width = 28, CustomWidth = true },
                new Column { Min = 5, Max = 5, Width = 80, CustomWidth = true }),
            rows);
    }

    private static Row TextRow(uint index, uint style, params string[] values)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < values.Length; i++)
        {
            row.Append(TextCell(XlsxTableWriter.ColumnName(i) + index.ToString(CultureInfo.InvariantCulture), values[i], style));
        }
        return row;
    }

    private static Cell TextCell(string reference, string value, uint style) => new(new InlineString(new Text(XmlSafe(value)) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style,
    };

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    // ---------- the refused rows ----------

    public async Task WriteRefusedAsync(Stream output, RefusedWorkbook workbook, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "gridgov-refused-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using (var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            AddStyles(workbookPart);
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            WriteRefusedSheet(sheetPart, workbook, cancellationToken);
            workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = XlsxTableWriter.SheetName("未导入的行") }));
            workbookPart.Workbook.Save();
        }
        file.Position = 0;
        await file.CopyToAsync(output, cancellationToken);
    }

    /// <summary>
    /// The header as uploaded, then 原行号 (the row's number in the uploaded sheet) and one 原因 column beside each column
    /// that has a reason (原因：身份证号 …, and 原因：整行 for the row as a whole); each refused cell is filled red. The
    /// file can be corrected and uploaded again: the added columns are not template columns and are ignored.
    /// </summary>
    private static void WriteRefusedSheet(WorksheetPart sheetPart, RefusedWorkbook workbook, CancellationToken cancellationToken)
    {
        var width = workbook.Headers.Count;
        using var writer = OpenXmlWriter.Create(sheetPart);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
        {
            TabSelected = true, WorkbookViewId = 0,
        }));
        var columns = new Columns();
        for (var i = 0; i < width; i++)
        {
            columns.Append(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = 18, CustomWidth = true });
        }
        columns.Append(new Column { Min = (uint)(width + 1), Max = (uint)(width + 1), Width = 8, CustomWidth = true });
        if (workbook.ReasonColumns.Count > 0)
        {
            columns.Append(new Column { Min = (uint)(width + 2), Max = (uint)(width + 1 + workbook.ReasonColumns.Count), Width = 40, CustomWidth = true });
        }
        writer.WriteElement(columns);
        writer.WriteStartElement(new SheetData());

        var header = new List<(string Value, uint Style)>();
        header.AddRange(workbook.Headers.Select(h => (h, HeaderStyle)));
        header.Add(("原行号", HeaderStyle));
        header.AddRange(workbook.ReasonColumns.Select(c => (c < 0 ? "原因：整行" : $"原因：{HeaderText(workbook.Headers, c)}", ReasonHeaderStyle)));
        WriteRow(writer, 1, header.Select(h => ((object?)h.Value, h.Style)).ToList());

        uint index = 1;
        foreach (var row in workbook.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cells = new List<(object? Value, uint Style)>(width + 1 + workbook.ReasonColumns.Count);
            for (var i = 0; i < Math.Max(width, row.Cells.Count); i++)
            {
                cells.Add((i < row.Cells.Count ? row.Cells[i] : null, row.Reasons.ContainsKey(i) ? RefusedCellStyle : 0u));
            }
            while (cells.Count < width)
            {
                cells.Add((null, 0u));
            }
            cells.RemoveRange(width, cells.Count - width); // cells beyond the header have no column to be read from
            cells.Add((row.Number, 0u));
            cells.AddRange(workbook.ReasonColumns.Select(c => ((object?)row.Reasons.GetValueOrDefault(c), ReasonStyle)));
            WriteRow(writer, ++index, cells);
        }
        writer.WriteEndElement(); // sheetData
        writer.WriteEndElement(); // worksheet
    }

    private static string HeaderText(IReadOnlyList<string> headers, int column) =>
        headers[column] is { Length: > 0 } text ? text : XlsxTableWriter.ColumnName(column) + "列";

    private static readonly Row RowTag = new();
    private static readonly Cell CellTag = new();
    private static readonly CellValue ValueTag = new();
    private static readonly InlineString InlineStringTag = new();
    private static readonly Text TextTag = new();
    private static readonly OpenXmlAttribute PreserveSpace = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");

    private static void WriteRow(OpenXmlWriter writer, uint index, IReadOnlyList<(object? Value, uint Style)> cells)
    {
        var row = index.ToString(CultureInfo.InvariantCulture);
        writer.WriteStartElement(RowTag, [new OpenXmlAttribute("r", "", row)]);
        for (var i = 0; i < cells.Count; i++)
        {
            var (value, style) = cells[i];
            if (value is null && style == 0)
            {
                continue;
            }
            var attributes = new List<OpenXmlAttribute> { new("r", "", XlsxTableWriter.ColumnName(i) + row) };
            if (style != 0)
            {
                attributes.Add(new OpenXmlAttribute("s", "", style.ToString(CultureInfo.InvariantCulture)));
            }
            switch (value)
            {
                case null:
                    writer.WriteStartElement(CellTag, attributes);
                    break;
                case double or int or long or decimal:
                    writer.WriteStartElement(CellTag, attributes);
                    writer.WriteElement(new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!));
                    break;
                case bool flag:
                    attributes.Add(new OpenXmlAttribute("t", "", "b"));
                    writer.WriteStartElement(CellTag, attributes);
                    writer.WriteElement(new CellValue(flag ? "1" : "0"));
                    break;
                default:
                    attributes.Add(new OpenXmlAttribute("t", "", "inlineStr"));
                    writer.WriteStartElement(CellTag, attributes);
                    writer.WriteStartElement(InlineStringTag);
                    writer.WriteStartElement(TextTag, [PreserveSpace]);
                    writer.WriteString(XmlSafe(value is DateTime date
                        ? date.ToString(date.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                        : Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                    break;
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    // Control characters are not allowed in XML 1.0; a pasted cell may carry them.
    private static string XmlSafe(string text) =>
        text.All(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)) ? text : new string(text.Where(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)).ToArray());

    private static void AddStyles(WorkbookPart workbook)
    {
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(
                new Font(),                                                                   // 0
                new Font(new Bold()),                                                         // 1 header
                new Font(new Italic(), new Color { Rgb = HexBinaryValue.FromString("FF808080") }), // 2 example
                new Font(new Bold(), new Color { Rgb = HexBinaryValue.FromString("FFC00000") }))   // 3 reason header
            { Count = 4 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = HexBinaryValue.FromString("FFE8EEF7") }) { PatternType = PatternValues.Solid }), // 2 header
                new Fill(new PatternFill(new ForegroundColor { Rgb = HexBinaryValue.FromString("FFFFC7CE") }) { PatternType = PatternValues.Solid }), // 3 refused cell
                new Fill(new PatternFill(new ForegroundColor { Rgb = HexBinaryValue.FromString("FFFFF2CC") }) { PatternType = PatternValues.Solid })) // 4 reason
            { Count = 5 },
            new Borders(new Border()) { Count = 1 },
            new CellFormats(
                new CellFormat(),                                                                                         // 0
                new CellFormat { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true },                             // 1 header
                new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true },                                          // 2 text (@)
                new CellFormat { FontId = 2, NumberFormatId = 49, ApplyFont = true, ApplyNumberFormat = true },            // 3 example
                new CellFormat { FillId = 3, NumberFormatId = 49, ApplyFill = true, ApplyNumberFormat = true },            // 4 refused cell
                new CellFormat { FontId = 3, FillId = 2, ApplyFont = true, ApplyFill = true },                             // 5 reason header
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FillId = 4, ApplyFill = true, ApplyAlignment = true }, // 6 reason
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true }) // 7 wrapped text
            { Count = 8 });
        styles.Stylesheet.Save();
    }
}
