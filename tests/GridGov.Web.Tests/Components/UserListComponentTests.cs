using Bunit;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>The interactive account list (MudDataGrid on server data) with bUnit on the real application and database.</summary>
public sealed class UserListComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IReadOnlyList<string> UserNames(IRenderedComponent<UserList> page) =>
        [.. page.FindAll("[data-user]").Select(e => e.GetAttribute("data-user")!)];

    [Fact]
    public async Task The_search_in_the_url_narrows_the_accounts_and_a_new_search_reloads_them()
    {
        var workers = await app.DbAsync(db => db.Users.Where(u => EF.Functions.ILike(u.UserName!, "%worker%") || EF.Functions.ILike(u.DisplayName, "%worker%"))
            .OrderBy(u => u.UserName).Select(u => u.UserName!).Take(50).ToListAsync());
        Assert.True(workers.Count > 1);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");

        var page = harness.Page<UserList>("/admin/users?q=worker");
        page.WaitForAssertion(() => Assert.Equal(workers, UserNames(page)));

        harness.Navigation.NavigateTo("/admin/users?q=secretary1");
        page.WaitForAssertion(() => Assert.Equal(["secretary1"], UserNames(page)));
        Assert.Equal("active", page.Find("[data-status]").GetAttribute("data-status"));

        harness.Navigation.NavigateTo("/admin/users?q=" + Uri.EscapeDataString("没有这个人"));
        page.WaitForElement("[data-testid=user-none]");
    }

    [Fact]
    public async Task A_control_character_in_the_search_is_ignored_not_an_error()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");

        var page = harness.Page<UserList>("/admin/users?q=" + Uri.EscapeDataString("secretary1\0"));

        page.WaitForAssertion(() => Assert.Equal(["secretary1"], UserNames(page)));
    }
}
