using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Bulletins;

/// <summary>
/// The bulletin printed to PDF by Chromium (A4, the print CSS): the shell and editor are not printed, each of the four
/// parts starts a page and takes the pages its printed height needs (one more at most, for rows moved whole), and no table row is cut across two pages:
/// every row's text is found whole on one page of the PDF.
/// </summary>
public sealed partial class BulletinPrintBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string Artifacts = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    // A4 portrait less bulletin.css's @page margins (12 mm left and right, 12 mm top, 14 mm bottom), at 96 px per inch.
    private const double PrintableWidth = (210 - 24) * 96 / 25.4;
    private const double PrintableHeight = (297 - 26) * 96 / 25.4;

    [Fact]
    public async Task The_printed_bulletin_has_a_page_per_part_as_tall_as_it_needs_and_no_row_cut_across_pages()
    {
        var id = await app.IssuedBulletinAsync();
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "streetleader1", (int)PrintableWidth, (int)PrintableHeight);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"/bulletins/{id}/print");
        await page.Locator("[data-render=interactive] [data-testid=bulletin-charts][data-charts-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        // In the print layout: each part's height, and each table row's text.
        var layout = JsonSerializer.Deserialize<Layout>(await page.EvaluateAsync<string>("""
            () => JSON.stringify({
              parts: [...document.querySelectorAll('.gg-bulletin-part')].map(p => p.getBoundingClientRect().height),
              rows: [...document.querySelectorAll('.gg-bulletin-table tbody tr')].map(r => r.innerText),
            })
            """), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.False(await page.Locator(".mud-appbar").IsVisibleAsync());
        Assert.False(await page.Locator("[data-testid=bulletin-print-button]").IsVisibleAsync());

        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        Directory.CreateDirectory(Artifacts);
        await File.WriteAllBytesAsync(Path.Combine(Artifacts, "bulletin.pdf"), pdf);
        var pages = PdfText.Pages(pdf);
        await File.WriteAllLinesAsync(Path.Combine(Artifacts, "bulletin-pages.txt"), pages.Select((p, i) => $"--- page {i + 1}\n{p}"));

        Assert.Equal(4, layout.Parts.Count);
        Assert.Equal(PdfPages().Matches(Encoding.Latin1.GetString(pdf)).Count, pages.Count);
        // Each part begins a page of its own (the first one the first page), and takes the pages its printed height needs:
        // at least height ÷ page height, at most one more (rows and figures that would be cut move whole to the next page).
        string[] headings = ["一、本月概况", "二、考核排名", "三、超期、督办与重点案件", "四、隐患整改与走访巡查"];
        var starts = headings.Select((heading, i) => i == 0 ? 0 : pages.ToList().FindIndex(p => Squeezed(p).StartsWith(heading, StringComparison.Ordinal))).ToList();
        Assert.True(starts.All(s => s >= 0), $"a part does not begin a page: {string.Join(", ", starts)}");
        Assert.Equal(starts.Order(), starts);
        Assert.Contains(headings[0], Squeezed(pages[0]), StringComparison.Ordinal);
        for (var i = 0; i < headings.Length; i++)
        {
            var taken = (i + 1 < headings.Length ? starts[i + 1] : pages.Count) - starts[i];
            var needed = (int)Math.Ceiling(layout.Parts[i] / PrintableHeight);
            Assert.True(taken >= needed && taken <= needed + 1, $"{headings[i]}: {taken} pages for {layout.Parts[i]:0} px ({needed} pages' height)");
        }
        Assert.True(layout.Rows.Count > 30, $"only {layout.Rows.Count} rows printed");
        var printed = pages.Select(Squeezed).ToList();
        var cut = layout.Rows.Select(Squeezed).Where(row => row.Length > 0 && !printed.Any(p => WholeRow(row).IsMatch(p))).ToList();
        Assert.True(cut.Count == 0, "Rows not found whole on one page:\n" + string.Join("\n", cut));
        Assert.Empty(errors);
    }

    private static string Squeezed(string text) => WhiteSpace().Replace(text, "");

    /// <summary>
    /// The row's text, contiguous, as printed. Where the machine has no CJK font, Skia writes ideographs as .notdef glyphs
    /// and the first of a run now and then without its /ActualText, so an ideograph may be missing from the PDF's text:
    /// each is optional, everything else (numbers, case numbers, rates, dates) must follow on the same page in order.
    /// </summary>
    private static Regex WholeRow(string row) =>
        new(string.Concat(row.Select(c => c is >= '\u3000' and <= '\u9fff' or >= '\uff00' and <= '\uffef' ? Regex.Escape(c.ToString()) + "?" : Regex.Escape(c.ToString()))),
            RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPages();

    private sealed record Layout(List<double> Parts, List<string> Rows);
}
