using System.Text;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using static GridGov.Application.Tests.Ledgers.Import.LedgerImportTests;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>Files that cannot be imported at all: each gets its clear Chinese message and nothing is written.</summary>
public sealed class LedgerImportFileTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    public static TheoryData<string, string> NotWorkbooks => new()
    {
        { "plain text", "ledger-import.not-xlsx" },
        { "a PDF", "ledger-import.not-xlsx" },
        { "an old .xls", "ledger-import.xls" },
        { "nothing at all", "ledger-import.empty-file" },
    };

    private static byte[] Bytes(string what) => what switch
    {
        "plain text" => Encoding.UTF8.GetBytes("姓名,身份证号\n张三,110101193201010011\n"),
        "a PDF" => Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"),
        "an old .xls" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
        _ => [],
    };

    [Theory]
    [MemberData(nameof(NotWorkbooks))]
    public async Task A_file_that_is_no_workbook_is_refused_at_upload_with_a_Chinese_message_and_nothing_is_kept(string what, string code)
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var before = await scenario.WrittenAsync();
        var kept = Kept();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.UploadAsync(secretary, LedgerImportKind.Residents, Bytes(what), "居民台账.xlsx"));

        Assert.Equal(code, refusal.Code);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", refusal.Message);
        Assert.Equal(kept, Kept());
        Assert.Equal(before, await scenario.WrittenAsync());
    }

    public static TheoryData<string, string> Unimportable => new()
    {
        { "a zip that is no workbook", "ledger-import.unreadable" },
        { "half a workbook", "ledger-import.unreadable" },
        { "an empty sheet", "ledger-import.empty" },
        { "a header without rows", "ledger-import.no-rows" },
        { "no ID number column", "ledger-import.missing-columns" },
        { "two ID number columns", "ledger-import.duplicate-column" },
    };

    private static byte[] Workbook(string what)
    {
        var good = File(ResidentHeader, ["张三", LedgerImportScenario.NewIdNumber(), "", "户籍", "某地址", ""]);
        return what switch
        {
            "a zip that is no workbook" => TestWorkbooks.ZipWithoutWorkbook(),
            "half a workbook" => good[..(good.Length / 2)],
            "an empty sheet" => TestWorkbooks.Xlsx([]),
            "a header without rows" => TestWorkbooks.Xlsx([ResidentHeader, [], [null, "  "]]),
            "no ID number column" => TestWorkbooks.Xlsx([["姓名", "联系电话"], ["张三", "13800000000"]]),
            _ => TestWorkbooks.Xlsx([["姓名", "身份证号", "公民身份号码"], ["张三", LedgerImportScenario.NewIdNumber(), LedgerImportScenario.NewIdNumber()]]),
        };
    }

    [Theory]
    [MemberData(nameof(Unimportable))]
    public async Task A_workbook_that_cannot_be_imported_is_refused_by_the_dry_run_with_a_Chinese_message_and_nothing_is_written(string what, string code)
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var before = await scenario.WrittenAsync();
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, Workbook(what));

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.DryRunAsync(secretary, upload.Token));

        Assert.Equal(code, refusal.Code);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", refusal.Message);
        if (code == "ledger-import.missing-columns")
        {
            Assert.Contains("身份证号", refusal.Message);
            Assert.DoesNotContain("姓名", refusal.Message);
        }
        if (code == "ledger-import.duplicate-column")
        {
            Assert.Contains("B列和C列", refusal.Message);
        }
        var import = await Assert.ThrowsAsync<DomainException>(() => scenario.ImportAsync(secretary, upload.Token));
        Assert.Equal("ledger-import.dry-run-first", import.Code);
        Assert.Equal(before, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task A_file_over_the_size_limit_or_over_the_row_limit_is_refused_and_nothing_is_written()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var before = await scenario.WrittenAsync();
        var (megabytes, rows) = (scenario.Options.MaxFileMegabytes, scenario.Options.MaxRows);
        try
        {
            scenario.Options.MaxFileMegabytes = 1;
            var big = new byte[1024 * 1024 + 10];
            "PK\u0003\u0004"u8.CopyTo(big);
            var tooLarge = await Assert.ThrowsAsync<DomainException>(() => scenario.UploadAsync(secretary, LedgerImportKind.Residents, big));
            Assert.Equal("ledger-import.too-large", tooLarge.Code);
            Assert.Contains("1MB", tooLarge.Message);

            scenario.Options.MaxRows = 3;
            var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, File(ResidentHeader,
                [.. Enumerable.Range(0, 4).Select(i => new object?[] { $"居民{i}", LedgerImportScenario.NewIdNumber(), "", "户籍", "某地址", "" })]));
            var tooMany = await Assert.ThrowsAsync<DomainException>(() => scenario.DryRunAsync(secretary, upload.Token));
            Assert.Equal("ledger-import.too-many-rows", tooMany.Code);
            Assert.Contains("3行", tooMany.Message);
        }
        finally
        {
            (scenario.Options.MaxFileMegabytes, scenario.Options.MaxRows) = (megabytes, rows);
        }
        Assert.Equal(before, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task Only_the_person_who_uploaded_a_file_may_run_it_or_download_its_refused_rows()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var admin = await scenario.ActorAsync("admin1");
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, File(ResidentHeader, ["张三", "123", "", "户籍", "某地址", ""]));
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);
        Assert.True(dryRun.HasRefusedFile);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.DryRunAsync(admin, upload.Token));

        Assert.Equal("ledger-import.expired", refusal.Code);
        Assert.Null(await scenario.AsAsync(admin, imports => imports.RefusedRowsAsync(upload.Token, admin)));
        var own = await scenario.AsAsync(secretary, imports => imports.RefusedRowsAsync(upload.Token, secretary));
        Assert.NotNull(own);
        await own.Content.DisposeAsync();
        Assert.Equal(1, own.Rows);
    }

    /// <summary>The files in the import folder.</summary>
    private List<string> Kept() =>
        Directory.Exists(scenario.Options.Path) ? [.. Directory.EnumerateFiles(scenario.Options.Path).Order(StringComparer.Ordinal)] : [];
}
