using Bunit;
using GridGov.Domain.Organisation;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using static GridGov.Web.Tests.Components.ResponsiblePeopleComponentTests;

namespace GridGov.Web.Tests.Components;

/// <summary>调任 on the responsible people page with bUnit on the running app: a bad day stays under the date, a move is saved.</summary>
public sealed class StaffPostingComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task An_administrator_moves_a_secretary_to_another_community_and_a_bad_day_is_refused_under_the_date()
    {
        var (from, to, secretary, name) = await app.DbAsync(async db =>
        {
            var communities = await db.Communities.OrderBy(c => c.Code).Select(c => c.Id).Take(2).ToListAsync();
            var person = await db.StaffMembers.Where(s => s.Role == StaffRole.CommunitySecretary && s.CommunityId == communities[0])
                .OrderBy(s => s.Id).Select(s => new { s.Id, s.Name }).FirstAsync();
            return (communities[0], communities[1], person.Id, person.Name);
        });
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, from);

        page.WaitForElement($"[data-testid=post-open-{secretary}]").Click();
        page.WaitForElement("[data-testid=post-form]");
        Assert.Equal(Today, page.Find("input#post-since").GetAttribute("value"));
        var place = page.FindComponents<MudSelect<int?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "post-place"));
        await page.InvokeAsync(() => place.Instance.ValueChanged.InvokeAsync(to));
        page.Find("input#post-since").Change("2999-01-01");
        page.Find("[data-testid=post-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("任职日期须为今天或一年之内的过去日期", ErrorUnder(page, "input#post-since")));
        Assert.Equal(from, await app.DbAsync(db => db.StaffMembers.Where(s => s.Id == secretary).Select(s => s.CommunityId).SingleAsync()));

        page.Find("input#post-since").Change(Today);
        page.Find("[data-testid=post-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"{name}已调任"));
        Assert.Equal(to, await app.DbAsync(db => db.StaffMembers.Where(s => s.Id == secretary).Select(s => s.CommunityId).SingleAsync()));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=people-secretary][data-staff=\"{secretary}\"]")));
    }

    [Fact]
    public async Task A_secretary_is_offered_no_move()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = harness.Page<ResponsiblePeoplePage>("/admin/people");
        page.WaitForElement("[data-testid=people-secretary]");

        Assert.Empty(page.FindAll("[data-testid^=post-open-]"));
    }
}
