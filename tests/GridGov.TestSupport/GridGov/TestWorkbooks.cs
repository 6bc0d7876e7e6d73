using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MiniExcelLibs;

namespace GridGov.TestSupport.GridGov;

/// <summary>
/// Spreadsheets made by tests: XLSX files with exactly the cells given (a string as text, a double as a number, null as
/// an empty cell), the way a street's own file may hold them, and readers for what the app writes back.
/// </summary>
public static class TestWorkbooks
{
    /// <summary>An XLSX whose first sheet holds <paramref name="rows"/> from row 1 (header first).</summary>
    public static byte[] Xlsx(IEnumerable<IReadOnlyList<object?>> rows, string sheetName = "Sheet1")
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(sheet))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                uint index = 0;
                foreach (var row in rows)
                {
                    index++;
                    writer.WriteStartElement(new Row { RowIndex = index });
                    for (var i = 0; i < row.Count; i++)
                    {
                        var reference = Column(i) + index.ToString(CultureInfo.InvariantCulture);
                        switch (row[i])
                        {
                            case null:
                                break;
                            case double or int or long:
                                writer.WriteElement(new Cell(new CellValue(Convert.ToDouble(row[i], CultureInfo.InvariantCulture))) { CellReference = reference, DataType = CellValues.Number });
                                break;
                            default:
                                writer.WriteElement(new Cell(new InlineString(new Text(Convert.ToString(row[i], CultureInfo.InvariantCulture)!)))
                                {
                                    CellReference = reference, DataType = CellValues.InlineString,
                                });
                                break;
                        }
                    }
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = sheetName }));
            workbook.Workbook.Save();
        }
        return buffer.ToArray();
    }

    /// <summary>A zip archive that is no workbook (a .docx-like package).</summary>
    public static byte[] ZipWithoutWorkbook()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            writer.Write("<document/>");
        }
        return buffer.ToArray();
    }

    /// <summary>The first sheet's rows as text (MiniExcel, as the app reads), blank cells as "".</summary>
    public static List<List<string>> Read(byte[] xlsx, string? sheetName = null)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Select(row => row.Values.Select(v => v switch
            {
                null => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
            }).ToList())
            .ToList();
    }

    /// <summary>The sheet names, in order.</summary>
    public static List<string> SheetNames(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.GetSheetNames(stream);
    }

    /// <summary>The data validations (drop-down lists) of the first sheet: range → list formula.</summary>
    public static Dictionary<string, string> DropDowns(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var first = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(first.Id!);
        return part.Worksheet.Descendants<DataValidation>()
            .ToDictionary(v => v.SequenceOfReferences!.InnerText ?? "", v => v.Formula1!.Text ?? "");
    }

    /// <summary>The cell references of the first sheet whose style fills them (the refused cells of a refused-rows file).</summary>
    public static HashSet<string> FilledCells(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var fills = workbook.WorkbookStylesPart.Stylesheet.Fills!.Elements<Fill>().ToList();
        var first = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(first.Id!);
        return part.Worksheet.Descendants<Cell>()
            .Where(c => c.StyleIndex is { } style && formats[(int)style.Value].FillId is { } fill
                        && fills[(int)fill.Value].PatternFill?.ForegroundColor?.Rgb?.Value == "FFFFC7CE")
            .Select(c => c.CellReference!.Value!)
            .ToHashSet();
    }

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + (n - 1) % 26) + name;
        }
        return name;
    }
}
