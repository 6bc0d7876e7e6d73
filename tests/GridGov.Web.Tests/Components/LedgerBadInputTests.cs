using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs the corpus (Security/BadInputCorpusTests) used to post to the resident and household forms, now that
/// those pages are interactive: typed into the page and submitted (and, for the values a typed form can no longer send —
/// an unknown kind, a forged head, a stale version — sent to the application service the page calls). Each gets a
/// Chinese message (where the corpus asked for one), never an unexpected exception, and writes nothing.
/// </summary>
public sealed class LedgerBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";
    private static readonly string[] BadPhones = ["123", "1381234567a", "+86 13812345678 ext", "2381234567", "138123456789"];
    private static readonly string[] Controls = ["\0", "\u001b"];

    private static string Long(int length) => new('长', length);

    private Task<string> FingerprintAsync(int residentId, int householdId) => app.DbAsync(async db =>
    {
        var resident = await db.Residents.AsNoTracking().Where(r => r.Id == residentId)
            .Select(r => new { r.Name, r.Phone, r.PopulationKind, r.HouseholdId, r.RemovedAt, r.Version }).SingleAsync();
        var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
            .Select(h => new { h.Address, h.Dwelling, h.Kind, h.HeadResidentId, h.RemovedAt, h.Version }).SingleAsync();
        return string.Join("#", resident, household, await db.LedgerChanges.CountAsync());
    });

    /// <summary>A message the page shows: under a field, or for the form as a whole.</summary>
    private static string? Message<T>(IRenderedComponent<T> page) where T : class, IComponent =>
        page.FindAll(".mud-input-helper-text.mud-input-error, [data-error-for]").Select(e => e.TextContent.Trim()).FirstOrDefault(t => t.Length > 0);

    private static bool Chinese(string? text) => text is not null && text.Any(c => c >= '\u4e00' && c <= '\u9fff');

    [Fact]
    public async Task Bad_resident_edits_moves_and_removals_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 40);
        var householdId = resident.HouseholdId!.Value;
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(resident.Id, householdId);
        var edits = new List<(string Name, string? Field, string? Phone, string Expect)>
        {
            ("name empty", "", null, "姓名"), ("name blank", "   ", null, "姓名"), ("name over-long", Long(300), null, "姓名"),
            ("script name with a bad phone", Script, "123", ""),
        };
        edits.AddRange(BadPhones.Select(phone => ($"phone {phone}", (string?)null, (string?)phone, "电话")));
        edits.AddRange(Controls.Select(c => ($"control character in the name", (string?)("钱编辑" + c + "x"), (string?)null, "")));
        edits.AddRange(Controls.Select(c => ($"control character in the phone", (string?)null, (string?)("13611112222" + c + "x"), "")));
        var failures = new List<string>();

        foreach (var (name, field, phone, expect) in edits)
        {
            var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{resident.Id}", p => p.Add(c => c.Id, resident.Id));
            page.WaitForElement("input#edit-name");
            if (field is not null)
            {
                page.Find("input#edit-name").Change(field);
            }
            if (phone is not null)
            {
                page.Find("input#edit-phone").Change(phone);
            }
            page.Find("[data-testid=edit-submit]").Click();
            page.WaitForAssertion(() => Assert.True(Chinese(Message(page)), $"{name}: no Chinese message"));
            if (!Message(page)!.Contains(expect, StringComparison.Ordinal))
            {
                failures.Add($"{name}: '{Message(page)}' does not say '{expect}'");
            }
            Assert.Empty(page.FindAll("script"));
        }
        foreach (var (name, reason) in new[] { ("no reason", ""), ("over-long reason", Long(500)) }
                     .Concat(Controls.Select(c => ("control character in the reason", "已迁出" + c + "x"))))
        {
            var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{resident.Id}", p => p.Add(c => c.Id, resident.Id));
            page.WaitForElement("input#resident-remove-reason");
            page.Find("input#resident-remove-reason").Change(reason);
            page.Find("[data-testid=resident-remove-submit]").Click();
            if (reason.Length > 0 && !reason.Any(char.IsControl))
            {
                harness.Answer("确定");
            }
            page.WaitForAssertion(() => Assert.True(Chinese(page.ErrorUnder("resident-remove-reason")), $"removal {name}: no Chinese message"));
        }
        var search = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{resident.Id}", p => p.Add(c => c.Id, resident.Id));
        search.WaitForElement("input#move-find");
        search.Find("input#move-find").Change(Script);
        search.Find("[data-testid=move-search]").Click();
        search.WaitForElement("[data-testid=household-choices-empty]");
        Assert.Empty(search.FindAll("script"));

        // What a typed form cannot send any more, sent to the service the page calls.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var edit = new ResidentEdit("钱编辑", "13611112222", PopulationKind.Registered, []);
        foreach (var (name, version, input) in new[]
                 {
                     ("population kind 999", resident.Version, edit with { PopulationKind = (PopulationKind)999 }),
                     ("population kind -1", resident.Version, edit with { PopulationKind = (PopulationKind)(-1) }),
                     ("version stale", resident.Version + 1, edit),
                 })
        {
            var refusal = await Record.ExceptionAsync(() => data.RunAsync<LedgerService>((ledgers, actor, token) => ledgers.UpdateResidentAsync(resident.Id, version, input, actor, token)));
            if (refusal is not DomainException { Message: var message } || !Chinese(message))
            {
                failures.Add($"{name}: {refusal?.GetType().Name ?? "accepted"}");
            }
        }

        Assert.Equal(before, await FingerprintAsync(resident.Id, householdId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Bad_household_edits_and_removals_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 41);
        var household = await app.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == resident.HouseholdId));
        var otherResident = await app.ResidentAsync(grid.Id, skip: 0, inGrid: false);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(resident.Id, household.Id);
        var edits = new List<(string Name, string? Address, string? Dwelling)>
        {
            ("address empty", "", null), ("address over-long", Long(500), null), ("dwelling over-long", null, Long(200)), ("script address with an over-long dwelling", Script, Long(200)),
        };
        edits.AddRange(Controls.Select(c => ("control character in the address", (string?)(household.Address + c + "x"), (string?)null)));
        edits.AddRange(Controls.Select(c => ("control character in the dwelling", (string?)null, (string?)(household.Dwelling + c + "x"))));

        foreach (var (name, address, dwelling) in edits)
        {
            var page = harness.DetailPage<HouseholdDetail>($"/ledgers/households/{household.Id}", p => p.Add(c => c.Id, household.Id));
            page.WaitForElement("input#household-edit-address");
            if (address is not null)
            {
                page.Find("input#household-edit-address").Change(address);
            }
            if (dwelling is not null)
            {
                page.Find("input#household-edit-dwelling").Change(dwelling);
            }
            page.Find("[data-testid=household-edit-submit]").Click();
            page.WaitForAssertion(() => Assert.True(Chinese(Message(page)), $"{name}: no Chinese message"));
            Assert.Empty(page.FindAll("script"));
        }
        foreach (var (name, reason) in new[] { ("no reason", ""), ("over-long reason", Long(500)) }
                     .Concat(Controls.Select(c => ("control character in the reason", "全户迁出" + c + "x"))))
        {
            var page = harness.DetailPage<HouseholdDetail>($"/ledgers/households/{household.Id}", p => p.Add(c => c.Id, household.Id));
            page.WaitForElement("input#household-remove-reason");
            page.Find("input#household-remove-reason").Change(reason);
            page.Find("[data-testid=household-remove-submit]").Click();
            if (reason.Length > 0 && !reason.Any(char.IsControl))
            {
                harness.Answer("确定");
            }
            page.WaitForAssertion(() => Assert.True(Chinese(page.ErrorUnder("household-remove-reason")), $"removal {name}: no Chinese message"));
        }

        var data = harness.Context.Services.GetRequiredService<PageData>();
        var edit = new HouseholdEdit(household.Kind, household.Address, household.Dwelling, household.HeadResidentId);
        var failures = new List<string>();
        foreach (var (name, version, input) in new[]
                 {
                     ("kind 999", household.Version, edit with { Kind = (HouseholdKind)999 }),
                     ("kind -1", household.Version, edit with { Kind = (HouseholdKind)(-1) }),
                     ("version stale", household.Version + 1, edit),
                     ("head 99999999", household.Version, edit with { HeadResidentId = 99999999 }),
                     ("head of another grid's household", household.Version, edit with { HeadResidentId = otherResident.Id }),
                 })
        {
            var refusal = await Record.ExceptionAsync(() => data.RunAsync<LedgerService>((ledgers, actor, token) => ledgers.UpdateHouseholdAsync(household.Id, version, input, actor, token)));
            if (refusal is not DomainException { Message: var message } || !Chinese(message))
            {
                failures.Add($"{name}: {refusal?.GetType().Name ?? "accepted"}");
            }
        }

        Assert.Equal(before, await FingerprintAsync(resident.Id, household.Id));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
