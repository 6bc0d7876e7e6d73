using System.Net;
using System.Text;
using Bunit;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.CaseList;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The ledger import page (/ledgers/import) with bUnit on the running app: a file's dry run with its counts and refused
/// rows, the import with its live progress bar (rows done and refused) held in its writing phase by a row another session
/// locks, the cancel button, the refused rows' download, and files that cannot be imported, each with a Chinese message
/// and nothing written.
/// </summary>
public sealed class LedgerImportPageTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private static readonly string[] Header = ["姓名", "身份证号", "联系电话", "人口类型", "户地址", "人群标签"];
    private static int _sequence;

    [Fact]
    public async Task A_file_is_checked_then_imported_with_a_live_progress_bar_of_rows_done_and_refused_and_the_refused_rows_download_for_its_owner_only()
    {
        var (file, locked, newIds) = await FileAsync(newResidents: 40, skip: 0, badRows: 2);
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = Open(harness);

        Upload(page, file, "居民台账.xlsx");

        var preview = page.WaitForElement("[data-testid=import-preview]", TimeSpan.FromSeconds(30));
        Assert.Equal(("40", "1", "0", "2"), (Count(page, "created"), Count(page, "updated"), Count(page, "unchanged"), Count(page, "refused")));
        Assert.Contains("预检完成：共 43 行", preview.TextContent);
        var refusedRows = page.FindAll("[data-testid=import-refused-rows] tbody tr");
        Assert.Equal(["43", "44"], refusedRows.Select(r => r.GetAttribute("data-row")));
        Assert.Contains("身份证号：身份证号码校验位错误", refusedRows[0].TextContent);
        Assert.Equal("id-number.checksum", refusedRows[0].QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Contains("联系电话", refusedRows[1].TextContent);
        var download = page.Find("[data-testid=import-refused-download]").GetAttribute("href")!;
        Assert.Matches("^/ledgers/import/[0-9a-f]{32}/refused.xlsx$", download);
        Assert.Equal(0, await app.DbAsync(db => db.Residents.CountAsync(r => newIds.Contains(r.IdNumber))));

        // The refused rows' file: for the secretary who uploaded it, not for another importer.
        using (var owner = await app.SignedInAsync("secretary1"))
        using (var response = await owner.GetAsync(download))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
            var rows = TestWorkbooks.Read(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal([.. Header, "原行号", "原因：身份证号", "原因：联系电话"], rows[0]);
            Assert.Equal(["43", "44"], rows.Skip(1).Select(r => r[6]));
        }
        using (var admin = await app.SignedInAsync("admin1"))
        using (var response = await admin.GetAsync(download))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("不是您上传的", await response.Content.ReadAsStringAsync());
        }

        await using (var blocker = await ResidentRowLock.TakeAsync(app.ConnectionString, locked))
        {
            page.Find("[data-testid=import-confirm]").Click();
            // Held in its writing phase by the locked row: the bar shows every row read and the refused ones, and the cancel button.
            page.WaitForAssertion(() =>
            {
                var bar = page.Find("[data-testid=import-progress]");
                Assert.Equal(("Writing", "true", "43", "2"), (bar.GetAttribute("data-phase"), bar.GetAttribute("data-running"), bar.GetAttribute("data-rows"), bar.GetAttribute("data-refused")));
            }, TimeSpan.FromSeconds(30));
            Assert.Equal("正在写入台账……", page.Find("[data-testid=import-phase]").TextContent.Trim());
            Assert.Equal("已处理 43 行，其中拒绝 2 行", page.Find("[data-testid=import-counter]").TextContent.Trim());
            Assert.Single(page.FindAll("[data-testid=import-cancel]"));
            Assert.Single(page.FindAll("[data-testid=import-progress] .mud-progress-linear"));
            Assert.Equal(0, await app.DbAsync(db => db.Residents.CountAsync(r => newIds.Contains(r.IdNumber))));
        }

        var report = page.WaitForElement("[data-testid=import-report]", TimeSpan.FromSeconds(30));
        Assert.Contains("导入完成：共 43 行", report.TextContent);
        Assert.Equal(("40", "1", "2"), (Count(page, "created"), Count(page, "updated"), Count(page, "refused")));
        Assert.Equal("Done", page.Find("[data-testid=import-progress]").GetAttribute("data-phase"));
        Assert.Empty(page.FindAll("[data-testid=import-cancel]"));
        Assert.Equal(40, await app.DbAsync(db => db.Residents.CountAsync(r => newIds.Contains(r.IdNumber))));
    }

    [Fact]
    public async Task Cancelling_a_running_import_on_the_page_writes_nothing_and_says_so()
    {
        var (file, locked, newIds) = await FileAsync(newResidents: 25, skip: 1, badRows: 0);
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = Open(harness);
        Upload(page, file, "居民.xlsx");
        page.WaitForElement("[data-testid=import-confirm]", TimeSpan.FromSeconds(30));
        var changes = await app.DbAsync(db => db.LedgerChanges.CountAsync());

        await using (var blocker = await ResidentRowLock.TakeAsync(app.ConnectionString, locked))
        {
            page.Find("[data-testid=import-confirm]").Click();
            page.WaitForAssertion(() => Assert.Equal("Writing", page.Find("[data-testid=import-progress]").GetAttribute("data-phase")), TimeSpan.FromSeconds(30));
            await ResidentRowLock.WaitingAsync(app.ConnectionString, "UPDATE residents");
            page.Find("[data-testid=import-cancel]").Click();
            page.WaitForElement("[data-testid=import-cancelled]", TimeSpan.FromSeconds(30));
        }

        Assert.Equal("已取消：台账没有任何改动。", page.Find("[data-testid=import-cancelled]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=import-report]"));
        Assert.Equal(0, await app.DbAsync(db => db.Residents.CountAsync(r => newIds.Contains(r.IdNumber))));
        Assert.Equal(changes, await app.DbAsync(db => db.LedgerChanges.CountAsync()));
    }

    /// <summary>The page's own bad inputs: files it must refuse, each with a Chinese message under the result, and nothing written.</summary>
    [Fact]
    public async Task Files_that_cannot_be_imported_get_a_Chinese_message_on_the_page_and_nothing_is_written()
    {
        var household = await HouseholdAsync(skip: 2);
        var corpus = new (string Name, string FileName, byte[] Bytes, string Word)[]
        {
            ("plain text", "居民.xlsx", Encoding.UTF8.GetBytes("姓名,身份证号\n张三,110101193201010011"), "不是Excel工作簿"),
            ("old xls", "居民.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], ".xls"),
            ("script in a header", "居民.xlsx", TestWorkbooks.Xlsx([["<script>alert('gg')</script>", "姓名"], ["x", "张三"]]), "缺少必填列：身份证号"),
            ("empty file", "居民.xlsx", [], "文件是空的"),
            ("zip without a workbook", "居民.xlsx", TestWorkbooks.ZipWithoutWorkbook(), "无法读取"),
            ("empty sheet", "居民.xlsx", TestWorkbooks.Xlsx([]), "工作表是空的"),
            ("header only", "居民.xlsx", TestWorkbooks.Xlsx([Header]), "没有要导入的数据行"),
            ("no ID number column", "居民.xlsx", TestWorkbooks.Xlsx([["姓名", "住址"], ["张三", household]]), "缺少必填列：身份证号"),
        };
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = Open(harness);
        foreach (var (name, fileName, bytes, word) in corpus)
        {
            var before = await WrittenAsync();
            Upload(page, bytes, fileName);
            try
            {
                // Each message differs from the one before it, so a stale message cannot pass.
                page.WaitForAssertion(() => Assert.Contains(word, page.Find("[data-testid=import-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            }
            catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{name}: no message with “{word}” (shown: “{page.FindAll("[data-testid=import-error]").FirstOrDefault()?.TextContent.Trim()}”)");
                continue;
            }
            var message = page.Find("[data-testid=import-error]").TextContent.Trim();
            output.WriteLine($"{name} → {message}");
            if (!ComponentHarness.IsChinese(message))
            {
                failures.Add($"{name}: “{message}” is not Chinese");
            }
            if (page.Markup.Contains("<script>alert('gg')", StringComparison.Ordinal))
            {
                failures.Add($"{name}: script came back unescaped");
            }
            if (page.FindAll("[data-testid=import-confirm]").Count > 0)
            {
                failures.Add($"{name}: the page offers to import it");
            }
            if (await WrittenAsync() != before)
            {
                failures.Add($"{name}: wrote something");
            }
        }
        Console.WriteLine($"[bad-input-corpus] ledger import page: {corpus.Length} files tried, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Tabs and line breaks pasted into cells (the only control characters a workbook's XML can hold) become spaces at most: the row
        // passes, and a dry run writes nothing.
        var written = await WrittenAsync();
        Upload(page, TestWorkbooks.Xlsx([Header, ["张\t三\n", NewIdNumber() + "\r\n", "", "户籍", household, ""]]), "居民.xlsx");
        page.WaitForAssertion(() => Assert.Equal("1", Count(page, "created")), TimeSpan.FromSeconds(30));
        Assert.Equal(written, await WrittenAsync());
    }

    [Fact]
    public async Task The_template_of_each_ledger_downloads_for_importers_with_its_Chinese_headers_and_drop_down_lists()
    {
        using var secretary = await app.SignedInAsync("secretary1");
        foreach (var (kind, first) in new[] { ("residents", "姓名*"), ("households", "户地址*"), ("units", "统一社会信用代码"), ("components", "部件编码*") })
        {
            using var response = await secretary.GetAsync($"/ledgers/import/template/{kind}.xlsx");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("filename*=UTF-8''", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(first, TestWorkbooks.Read(bytes)[0][0]);
            Assert.NotEmpty(TestWorkbooks.DropDowns(bytes));
        }
        using var bogus = await secretary.GetAsync("/ledgers/import/template/buildings.xlsx");
        Assert.Equal(HttpStatusCode.NotFound, bogus.StatusCode);
        Assert.Contains("没有这种台账的导入模板", await bogus.Content.ReadAsStringAsync());
    }

    private static IRenderedComponent<LedgerImportPage> Open(ComponentHarness harness)
    {
        var page = harness.Page<LedgerImportPage>("/ledgers/import?kind=residents");
        page.WaitForElement("[data-testid=import-file]");
        Assert.Contains("导入范围：", page.Find("[data-testid=import-scope]").TextContent);
        return page;
    }

    private static void Upload(IRenderedComponent<LedgerImportPage> page, byte[] bytes, string name) =>
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, name,
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

    private static string? Count(IRenderedComponent<LedgerImportPage> page, string what) =>
        page.Find($"[data-testid=count-{what}]").GetAttribute("data-count");

    private Task<(int Residents, int Households, int Changes, int Imports)> WrittenAsync() => app.DbAsync(async db =>
        (await db.Residents.CountAsync(), await db.Households.CountAsync(), await db.LedgerChanges.CountAsync(), await db.LedgerImports.CountAsync()));

    private async Task<string> HouseholdAsync(int skip)
    {
        var secretary = await app.ActorAsync("secretary1");
        return await app.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => db.Grids.Any(g => g.Id == h.GridId && g.CommunityId == secretary.CommunityId) && h.RemovedAt == null)
            .OrderBy(h => h.Id).Skip(skip).Select(h => h.Address).FirstAsync());
    }

    /// <summary>
    /// New residents of one household of secretary1's community, then an existing resident of it whose phone changes
    /// (the row a test locks), then <paramref name="badRows"/> refused rows (a wrong check digit, a bad phone).
    /// </summary>
    private async Task<(byte[] File, int LockedResident, List<string> NewIds)> FileAsync(int newResidents, int skip, int badRows)
    {
        var secretary = await app.ActorAsync("secretary1");
        var home = await HouseholdAsync(skip);
        var existing = await app.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => db.Grids.Any(g => g.Id == r.GridId && g.CommunityId == secretary.CommunityId) && r.RemovedAt == null && r.HouseholdId != null)
            .OrderBy(r => r.Id).Skip(60 + skip).FirstAsync());
        var ids = Enumerable.Range(0, newResidents).Select(_ => NewIdNumber()).ToList();
        var rows = new List<IReadOnlyList<object?>> { Header };
        rows.AddRange(ids.Select((id, i) => new object?[] { $"导入居民{i}", id, "", "户籍", home, "" }));
        rows.Add([existing.Name, existing.IdNumber, existing.Phone == "13600000000" ? "13600000001" : "13600000000",
            ImportValues.PopulationKindNames[existing.PopulationKind], "", string.Join("、", existing.Groups.Select(g => g.ChineseName()))]);
        var wrong = NewIdNumber();
        if (badRows > 0)
        {
            rows.Add(["错校验", wrong[..17] + (wrong[17] == '0' ? '1' : '0'), "", "户籍", home, ""]);
        }
        if (badRows > 1)
        {
            rows.Add(["错电话", NewIdNumber(), "12345", "户籍", home, ""]);
        }
        return (TestWorkbooks.Xlsx(rows), existing.Id, ids);
    }

    private static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref _sequence);
        return IdNumber.Create("110102", new DateOnly(1933, 1, 1).AddDays(n * 5 + Environment.ProcessId % 71), n % 1000).Value;
    }
}
