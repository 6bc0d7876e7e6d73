using System.Net;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Admin;

public sealed class UserAdminTests(AdminAppFixture app) : IClassFixture<AdminAppFixture>
{
    public static TheoryData<string> NonAdministrators => new() { "dispatcher1", "secretary1", "leader1", "worker1", "handler1", "streetleader1" };

    [Theory]
    [MemberData(nameof(NonAdministrators))]
    public async Task Nobody_but_administrators_reaches_any_admin_users_route(string userName)
    {
        using var client = await app.SignedInAsync(userName);
        var adminId = await app.UserIdAsync("admin2");
        var token = await client.TokenFromAsync("/");

        foreach (var url in new[] { "/admin/users", "/admin/users/new", $"/admin/users/{adminId}", "/admin/users?q=admin" })
        {
            using var get = await client.GetAsync(url);
            AssertForbidden(get, $"GET {url}");
        }
        foreach (var (url, handler) in new[] { ("/admin/users/new", "user-new"), ($"/admin/users/{adminId}", "user-disable"), ($"/admin/users/{adminId}", "user-reset") })
        {
            using var post = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.UserName"] = "sneaky",
                ["Input.DisplayName"] = "越权",
                ["Input.Role"] = "Administrator",
                ["Input.Password"] = "Sneaky#Pass2026",
                ["Reset.Password"] = "Sneaky#Pass2026",
                ["__RequestVerificationToken"] = token,
                ["_handler"] = handler,
            }));
            AssertForbidden(post, $"POST {url} {handler}");
        }
        Assert.Null(await app.LockoutEndAsync("admin2"));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
        Assert.DoesNotContain("/admin/users", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_account_is_the_chinese_404_page_and_a_post_to_it_changes_nothing()
    {
        using var admin = await app.SignedInAsync("admin1");
        var token = await admin.TokenFromAsync("/admin/users/new");
        var before = await app.DbAsync(db => db.Users.CountAsync(u => u.LockoutEnd != null));

        using var page = await admin.GetAsync("/admin/users/no-such-account");
        using var post = await admin.PostAsync("/admin/users/no-such-account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "user-disable",
        }));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // The status code page replaces the body: the shared Chinese 404 page.
        Assert.Contains("页面不存在", html);
        Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)post.StatusCode}");
        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync(u => u.LockoutEnd != null)));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_shows_accounts_with_role_staff_member_status_and_failed_count_and_a_nav_item()
    {
        using var admin = await app.SignedInAsync("admin1");

        var home = await admin.GetStringAsync("/");
        var html = await admin.GetStringAsync("/admin/users?q=dispatcher1");

        Assert.Contains("href=\"/admin/users\"", home);
        Assert.Contains("账号管理", home);
        Assert.Contains("data-user=\"dispatcher1\"", html);
        Assert.Contains("座席员", html);
        Assert.Contains("data-status=\"active\"", html);
        Assert.Contains(await app.StaffNameAsync("dispatcher1"), html);
        Assert.DoesNotContain("data-user=\"worker1\"", html);
    }

    [Fact]
    public async Task The_account_pages_are_prerendered_with_their_fields_and_the_accounts_facts()
    {
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.UserIdAsync("dispatcher1");

        var form = await admin.GetStringAsync("/admin/users/new");
        var detail = await admin.GetStringAsync($"/admin/users/{id}");

        Assert.Contains("data-testid=\"user-form\"", form);
        Assert.Contains("id=\"user-name\"", form);
        Assert.Contains("id=\"user-password\"", form);
        Assert.Contains("data-testid=\"user-submit\"", form);
        Assert.Contains("<code>dispatcher1</code>", detail);
        Assert.Contains(await app.StaffNameAsync("dispatcher1"), detail);
        Assert.Contains("座席员", detail);
        Assert.Contains("data-status=\"active\"", detail);
        Assert.Contains("data-testid=\"user-disable\"", detail);
        Assert.Contains("id=\"user-temporary-password\"", detail);
    }

    private static void AssertForbidden(HttpResponseMessage response, string what) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
            $"{what}: {(int)response.StatusCode} {response.Headers.Location}");
}
