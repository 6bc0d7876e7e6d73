using Bunit;
using GridGov.Application.Visits;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.TestSupport;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs BadInputCorpusTests posted to the visit forms that are now interactive (the amendment, the visit and
/// the 五必到 forms), typed into the pages with bUnit; the values a typed form can no longer send (another community's
/// household, an id that does not exist, an undefined reason, a sensitive tag) go to the application service the page
/// calls, as a forged circuit message would. Each is refused with a Chinese message (under its field where it has one),
/// never an unexpected exception, and nothing is written.
/// </summary>
public sealed class VisitBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert(1)</script>";
    private static readonly string[] BadPhones = ["123", "1381234567a", "+86 13812345678 ext", "2381234567", "138123456789"];
    private static readonly (string Label, string Character)[] ControlCharacters = [("NUL", "\0"), ("ESC", "\u001b")];
    private string? _fingerprintSql;

    private static string Long(int length) => new('长', length);

    public static TheoryData<string, string, string?, string, string> Amendments => new()
    {
        // name, findings, companions, the field's input id, a word the message has
        { "findings empty", "", null, "amend-findings", "走访情况" },
        { "findings blank", "   ", null, "amend-findings", "走访情况" },
        { "findings over-long", Long(5000), null, "amend-findings", "走访情况" },
        { "script findings over-long", Long(2001) + Script, null, "amend-findings", "走访情况" },
        { "companions over-long", "正常", Long(1000), "amend-companions", "同行人员" },
        // The control characters the HTTP guard refuses in a post never pass through it here: the page refuses them.
        { "control character NUL in findings", "正常\0x", "社区民警", "amend-findings", "控制字符" },
        { "control character ESC in findings", "正常\u001bx", "社区民警", "amend-findings", "控制字符" },
        { "control character NUL in companions", "正常", "社区民警\0x", "amend-companions", "控制字符" },
        { "control character ESC in companions", "正常", "社区民警\u001bx", "amend-companions", "控制字符" },
    };

    [Theory]
    [MemberData(nameof(Amendments))]
    public async Task A_bad_visit_amendment_is_refused_under_its_field_and_writes_nothing(string name, string findings, string? companions, string field, string word)
    {
        var worker = await app.StaffActorAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 5, 1))[0];
        var visit = await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, DateTimeOffset.UtcNow.AddMinutes(-50), "坏输入测试：" + name, "同行"), worker));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Amend(visit.Id);
        page.WaitForElement("#amend-findings").Change(findings);
        if (companions is not null)
        {
            page.Find("#amend-companions").Change(companions);
        }
        page.Find("[data-testid=amend-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains(word, page.Find($"#{field}").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=visit-error]"));
        Assert.Contains($"/visits/{visit.Id}/edit", harness.Navigation.Uri, StringComparison.Ordinal);
        var stored = await app.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal(("坏输入测试：" + name, "同行"), (stored.Findings, stored.Companions));
    }

    // ---- The visit and 五必到 forms (formerly the corpus's "visit:" and "five-must demand:" posts) ----

    /// <summary>
    /// Every table's rows and newest row version (as the HTTP corpus fingerprints), but the audit log (a search by a whole
    /// number is audited by design) and the notifications (written on the dispatcher's own schedule).
    /// </summary>
    private async Task<string> FingerprintAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        if (_fingerprintSql is null)
        {
            var tables = (await DatabaseFingerprint.TablesAsync(connection)).Where(t => t is not ("audit_entries" or "notifications" or "spatial_ref_sys"));
            _fingerprintSql = string.Join(" UNION ALL ", tables.Select(t =>
                $"SELECT '{t}' || '=' || count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text FROM \"{t}\""));
        }
        var rows = new List<string>();
        await using var command = new Npgsql.NpgsqlCommand(_fingerprintSql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        rows.Sort(StringComparer.Ordinal); // UNION ALL answers in no set order
        return string.Join(";", rows);
    }


    /// <summary>The messages a page shows: under a field, in its alert, or the household not found.</summary>
    private static string? Message<T>(IRenderedComponent<T> page) where T : class, IComponent
    {
        var messages = page.FindAll(".mud-input-helper-text.mud-input-error, [data-error-for=general], [data-error-for=reason], [data-testid=household-not-found]")
            .Select(e => e.TextContent.Trim()).Where(ComponentHarness.IsChinese).Distinct().ToList();
        return messages.Count > 0 ? string.Join(" | ", messages) : null;
    }

    /// <summary>One bad input: what it is, how it is sent (typed into a page, or sent to the service), and a word the message must have.</summary>
    private sealed record Case(string Name, Func<Task<string?>> Send, string? Expect);

    private async Task<int> RunAsync(string testName, IReadOnlyList<Case> corpus)
    {
        var failures = new List<string>();
        foreach (var input in corpus)
        {
            var before = await FingerprintAsync();
            string? message = null;
            try
            {
                message = await input.Send();
            }
#pragma warning disable CA1031 // any other exception is what this test looks for
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures.Add($"{input.Name}: {exception.GetType().Name} {exception.Message}");
            }
            if (!ComponentHarness.IsChinese(message))
            {
                failures.Add($"{input.Name}: no Chinese message ({message})");
            }
            if (input.Expect is { } expected && message?.Contains(expected, StringComparison.Ordinal) != true)
            {
                failures.Add($"{input.Name}: message does not say '{expected}' ({message})");
            }
            var after = await FingerprintAsync();
            if (before != after)
            {
                failures.Add($"{input.Name}: wrote {string.Join(", ", after.Split(';').Except(before.Split(';')))}");
            }
            output.WriteLine($"{input.Name} → {message}");
        }
        Console.WriteLine($"[bad-input-corpus] {testName}: {corpus.Count} inputs tried, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        return corpus.Count;
    }

    /// <summary>Opens the visit form, lets <paramref name="fill"/> type into it (over a valid visit), submits, and answers what the page says.</summary>
    private static async Task<string?> TypedVisitAsync(ComponentHarness harness, int householdId, Action<IRenderedComponent<RecordVisitPage>> fill)
    {
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={householdId}");
        page.WaitForElement("#visit-findings").Change("家中一切正常");
        page.Find("#visit-at").Change(VisitWebData.ChinaNow(TimeSpan.FromHours(-1)));
        fill(page);
        page.SubmitVisit();
        page.WaitForAssertion(() => Assert.NotNull(Message(page)));
        Assert.Empty(page.FindAll("script"));
        Assert.Contains($"/visits/new?household={householdId}", harness.Navigation.Uri, StringComparison.Ordinal);
        return await Task.FromResult(Message(page));
    }

    private async Task<string?> RefusedAsync(Func<IServiceProvider, Task> send)
    {
        try
        {
            await app.InAppAsync(async provider =>
            {
                await send(provider);
                return true;
            });
            return null;
        }
        catch (DomainException exception)
        {
            return exception.Message;
        }
    }

    [Fact]
    public async Task Bad_visit_forms_typed_into_the_page_or_forged_to_the_service_are_refused_in_chinese_and_write_nothing()
    {
        var gridCode = await app.FirstGridOfAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(gridCode, 6, 1))[0];
        var resident = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == household.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var stranger = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId != household.Id && r.HouseholdId != null && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var otherCommunity = await OtherCommunityHouseholdAsync();
        var categoryId = await app.DbAsync(db => db.Categories.Where(c => c.IsActive).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        var worker = await app.StaffActorAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        Task<string?> Typed(Action<IRenderedComponent<RecordVisitPage>> fill) => TypedVisitAsync(harness, household.Id, fill);
        Task<string?> Forged(RecordVisit visit) => RefusedAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(visit, worker));
        RecordVisit Valid() => new(household.Id, DateTimeOffset.UtcNow.AddHours(-1), "家中一切正常", SubmissionId: Guid.NewGuid());
        Task<string?> Opened(string url)
        {
            var page = harness.Page<RecordVisitPage>(url);
            page.WaitForElement("[data-testid=household-not-found]");
            Assert.Empty(page.FindAll("[data-testid=visit-form]"));
            return Task.FromResult(Message(page));
        }
        var now = VisitWebData.ChinaNow();

        var corpus = new List<Case>
        {
            new("findings empty", () => Typed(p => p.Find("#visit-findings").Change("")), "走访情况"),
            new("findings blank", () => Typed(p => p.Find("#visit-findings").Change("   ")), "走访情况"),
            new("findings over-long", () => Typed(p => p.Find("#visit-findings").Change(Long(5000))), "走访情况"),
            new("script findings with a bad time", () => Typed(p => { p.Find("#visit-findings").Change(Script); p.Find("#visit-at").Change("abc"); }), "走访时间"),
            new("time abc", () => Typed(p => p.Find("#visit-at").Change("abc")), "走访时间"),
            new("time empty", () => Typed(p => p.Find("#visit-at").Change("")), "走访时间"),
            new("time in the future", () => Typed(p => p.Find("#visit-at").Change(VisitWebData.ChinaNow(TimeSpan.FromDays(3)))), "走访时间"),
            new("time years ago", () => Typed(p => p.Find("#visit-at").Change("2001-01-01T10:00")), "走访时间"),
            new("companions over-long", () => Typed(p => p.Find("#visit-companions").Change(Long(1000))), "同行人员"),
            new("raise a case without a description", () => Typed(p => p.Find("[data-testid=raise-case] input[type=checkbox]").Change(true)), "问题描述"),
            new("raise a case without a category", () => Typed(p =>
            {
                p.Find("[data-testid=raise-case] input[type=checkbox]").Change(true);
                p.WaitForElement("#visit-case-description").Change("楼道堆物");
            }), "问题类别"),
            new("raise a case with a description over-long", () => Forged(Valid() with { RaiseCase = new RaiseCaseFromVisit(categoryId, Long(3000), Guid.NewGuid()) }), "问题描述"),
            new("raise a case with category -1", () => Forged(Valid() with { RaiseCase = new RaiseCaseFromVisit(-1, "楼道堆物", Guid.NewGuid()) }), "类别"),
            new("household of another community (opened)", () => Opened($"/visits/new?household={otherCommunity}"), null),
            new("household abc (opened)", () => Opened("/visits/new?household=abc"), null),
            new("household of another community (forged)", () => Forged(Valid() with { HouseholdId = otherCommunity }), "网格"),
            new("household that does not exist (forged)", () => Forged(Valid() with { HouseholdId = 99_999_999 }), "住户"),
            new("demand that does not exist (forged)", () => Forged(Valid() with { VisitDemandId = 99_999_999 }), "五必到"),
            new("resident phone of another household's resident (forged)", () => Forged(Valid() with { LedgerUpdates = [new ResidentLedgerUpdate(stranger.Id, "13611115555")] }), "本户"),
            new("a sensitive tag set on a visit (forged)", () => Forged(Valid() with { LedgerUpdates = [new ResidentLedgerUpdate(resident.Id, AddGroups: [ResidentGroup.DrugRehabilitation])] }), "人群标签"),
            new("an undefined tag (forged)", () => Forged(Valid() with { LedgerUpdates = [new ResidentLedgerUpdate(resident.Id, AddGroups: [(ResidentGroup)999])] }), "类别"),
        };
        foreach (var phone in BadPhones)
        {
            corpus.Add(new($"resident phone {phone}", () => Typed(p => p.Find($"#resident-{resident.Id}-phone").Change(phone)), "电话"));
        }
        foreach (var (label, control) in ControlCharacters)
        {
            corpus.Add(new($"control character {label} in the findings", () => Typed(p => p.Find("#visit-findings").Change("家中一切正常" + control + "x")), "控制字符"));
            corpus.Add(new($"control character {label} in the companions", () => Typed(p => p.Find("#visit-companions").Change("楼栋长" + control + "x")), "控制字符"));
            corpus.Add(new($"control character {label} in the time", () => Typed(p => p.Find("#visit-at").Change(now + control + "x")), "走访时间"));
            corpus.Add(new($"control character {label} in a resident's phone", () => Typed(p => p.Find($"#resident-{resident.Id}-phone").Change("13611112222" + control + "x")), "控制字符"));
            corpus.Add(new($"control character {label} in the case description", () => Typed(p =>
            {
                p.Find("[data-testid=raise-case] input[type=checkbox]").Change(true);
                p.WaitForElement("#visit-case-description").Change("楼道堆物" + control + "x");
            }), "控制字符"));
            corpus.Add(new($"control character {label} in the household", () => Opened($"/visits/new?household={household.Id}%{(label == "NUL" ? "00" : "1B")}x"), null));
            corpus.Add(new($"control character {label} in the household search", () =>
            {
                var page = harness.Page<RecordVisitPage>("/visits/new");
                page.Search("路" + control);
                page.WaitForAssertion(() => Assert.NotNull(page.ErrorUnder("household-search")));
                return Task.FromResult(page.ErrorUnder("household-search"));
            }, "控制字符"));
        }

        var tried = await RunAsync(nameof(Bad_visit_forms_typed_into_the_page_or_forged_to_the_service_are_refused_in_chinese_and_write_nothing), corpus);

        Assert.True(tried >= 40, $"only {tried} inputs");
    }

    [Fact]
    public async Task Bad_five_must_forms_typed_into_the_page_or_forged_to_the_service_are_refused_in_chinese_and_write_nothing()
    {
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 7, 1))[0];
        var otherCommunity = await OtherCommunityHouseholdAsync();
        var secretary = await app.StaffActorAsync("secretary1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        async Task<string?> Typed(FiveMustReason? reason, string? note)
        {
            var page = harness.Page<NewDemandPage>($"/visits/demands/new?household={household.Id}");
            page.WaitForElement("[data-testid=demand-form]");
            if (reason is { } chosen)
            {
                page.ChooseReason(chosen);
            }
            if (note is not null)
            {
                page.Find("#demand-note").Change(note);
            }
            page.Find("[data-testid=demand-form]").Submit();
            page.WaitForAssertion(() => Assert.NotNull(Message(page)));
            Assert.Contains("/visits/demands/new", harness.Navigation.Uri, StringComparison.Ordinal);
            return await Task.FromResult(Message(page));
        }
        Task<string?> Forged(int householdId, FiveMustReason reason) =>
            RefusedAsync(p => p.GetRequiredService<VisitService>().CreateDemandAsync(householdId, reason, "需上门", secretary, Guid.NewGuid()));
        Task<string?> Opened(string url)
        {
            var page = harness.Page<NewDemandPage>(url);
            page.WaitForElement("[data-testid=household-not-found]");
            Assert.Empty(page.FindAll("[data-testid=demand-form]"));
            return Task.FromResult(Message(page));
        }

        var corpus = new List<Case>
        {
            new("reason missing", () => Typed(null, "需上门"), "五必到事由"),
            new("reason 999 (forged)", () => Forged(household.Id, (FiveMustReason)999), "五必到事由"),
            new("reason -1 (forged)", () => Forged(household.Id, (FiveMustReason)(-1)), "五必到事由"),
            new("note over-long", () => Typed(FiveMustReason.FamilyCrisis, Long(3000)), "说明"),
            new("script note over-long", () => Typed(FiveMustReason.FamilyCrisis, Long(600) + Script), "说明"),
            new("household abc (opened)", () => Opened("/visits/demands/new?household=abc"), null),
            new("household -1 (opened)", () => Opened("/visits/demands/new?household=-1"), null),
            new("household of another community (opened)", () => Opened($"/visits/demands/new?household={otherCommunity}"), null),
            new("household of another community (forged)", () => Forged(otherCommunity, FiveMustReason.FamilyCrisis), "网格"),
            new("household that does not exist (forged)", () => Forged(99_999_999, FiveMustReason.FamilyCrisis), "住户"),
        };
        foreach (var (label, control) in ControlCharacters)
        {
            corpus.Add(new($"control character {label} in the note", () => Typed(FiveMustReason.FamilyCrisis, "需上门" + control + "x"), "控制字符"));
            corpus.Add(new($"control character {label} in the household", () => Opened($"/visits/demands/new?household={household.Id}%{(label == "NUL" ? "00" : "1B")}x"), null));
        }

        var tried = await RunAsync(nameof(Bad_five_must_forms_typed_into_the_page_or_forged_to_the_service_are_refused_in_chinese_and_write_nothing), corpus);

        Assert.True(tried >= 14, $"only {tried} inputs");
    }

    /// <summary>A household of a community other than worker1's and secretary1's.</summary>
    private Task<int> OtherCommunityHouseholdAsync() => app.DbAsync(async db =>
    {
        var staffId = await db.Users.Where(u => u.UserName == "secretary1").Select(u => u.StaffMemberId).SingleAsync();
        var community = await db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.CommunityId).SingleAsync();
        return await db.Households.Where(h => h.RemovedAt == null && db.Grids.Any(g => g.Id == h.GridId && g.CommunityId != community))
            .OrderBy(h => h.Id).Select(h => h.Id).FirstAsync();
    });
}
