using Bunit;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Inbox.InboxCases;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// In English the pages name a case's state and actions in English, and a refusal reads in English under the field it
/// belongs to (<c>DomainException.Field</c>), not wherever Chinese text once matched.
/// </summary>
public sealed class EnglishLocalizationComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_case_page_in_English_names_its_state_and_actions_in_English()
    {
        var reported = await app.ResidentReportAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.OpenCase(reported.Number, culture: "en");

        page.WaitForAssertion(() => Assert.Equal("Register", page.Find("[data-testid=submit-Register]").TextContent.Trim()));
        Assert.Contains("Awaiting registration", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Reject", page.Find("[data-testid=submit-Reject]").TextContent.Trim());
        Assert.DoesNotContain("待立案", page.Markup, StringComparison.Ordinal);
        // Every state and action name the page prints is English (the category's own filing text stays as entered).
        var named = page.FindAll("[data-state], [data-testid^=submit-]").Select(e => e.TextContent.Trim()).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, text => Assert.False(ComponentHarness.IsChinese(text), text));
    }

    [Fact]
    public async Task The_same_case_page_in_Chinese_keeps_the_Chinese_names()
    {
        var reported = await app.ResidentReportAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.OpenCase(reported.Number);

        page.WaitForAssertion(() => Assert.Equal("立案", page.Find("[data-testid=submit-Register]").TextContent.Trim()));
        Assert.Contains("待立案", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Awaiting registration", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_registration_in_English_shows_the_English_message_under_the_ID_number()
    {
        var grid = await LedgerTestData.GridOfAsync(app, "worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 0)).HouseholdId!.Value;
        var existing = await app.ResidentAsync(grid.Id, skip: 2);
        var valid = LedgerTestData.NewIdNumber();
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<ResidentNew>($"/ledgers/residents/new?household={household}", culture: "en");
        page.WaitForElement("input#new-name");

        page.Find("input#new-name").Change("Qian Check");
        page.Find("input#new-id-number").Change(wrong);
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("The ID number's check digit is wrong; check it and enter it again", page.ErrorUnder("new-id-number")));
        Assert.Null(page.ErrorUnder("new-name"));
        Assert.Equal(wrong, page.Find("input#new-id-number").GetAttribute("value"));

        // A refusal with a value: the resident the number belongs to is named in the English sentence.
        page.Find("input#new-id-number").Change(existing.IdNumber);
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal($"This ID number is already registered (resident {existing.Name}) and cannot be registered twice",
            page.ErrorUnder("new-id-number")));
        Assert.False(await app.DbAsync(db => db.Residents.AnyAsync(r => r.Name == "Qian Check")));
    }
}
