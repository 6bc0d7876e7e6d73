using System.Net;
using GridGov.Domain.Organisation;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Admin;

public sealed class UserAdminTests(AdminAppFixture app) : IClassFixture<AdminAppFixture>
{
    private const string Password = DemoStreetDatabaseFixture.DemoPassword;

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
    public async Task A_replayed_new_account_form_answers_with_the_first_account_and_creates_no_second_one()
    {
        using var admin = await app.SignedInAsync("admin1");
        var communityId = await app.DbAsync(db => db.Communities.OrderBy(c => c.Code).Select(c => c.Id).FirstAsync());
        var form = new Dictionary<string, string>
        {
            ["Input.UserName"] = "replayed-worker",
            ["Input.DisplayName"] = "李重放",
            ["Input.Role"] = nameof(StaffRole.GridWorker),
            ["Input.Password"] = "First#Pass2026",
            ["Input.StaffMemberId"] = "",
            ["Input.Phone"] = "13912345679",
            ["Input.CommunityId"] = communityId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.DepartmentId"] = "",
            ["Input.SubmissionId"] = Guid.NewGuid().ToString(),
        };
        var staffBefore = await app.DbAsync(db => db.StaffMembers.CountAsync());

        using var first = await admin.PostFormAsync("/admin/users/new", "user-new", form);
        using var replay = await admin.PostFormAsync("/admin/users/new", "user-new", form);

        var id = await app.UserIdAsync("replayed-worker");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal($"/admin/users/{id}?done=created", replay.Headers.Location!.PathAndQuery);
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "replayed-worker")));
        Assert.Equal(staffBefore + 1, await app.DbAsync(db => db.StaffMembers.CountAsync()));
    }

    [Fact]
    public async Task An_account_created_with_a_new_staff_member_can_sign_in_with_its_initial_password()
    {
        using var admin = await app.SignedInAsync("admin1");
        var communityId = await app.DbAsync(db => db.Communities.OrderBy(c => c.Code).Select(c => c.Id).FirstAsync());

        using var response = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "new-worker",
            ["Input.DisplayName"] = "韩梅梅",
            ["Input.Role"] = nameof(StaffRole.GridWorker),
            ["Input.Password"] = "First#Pass2026",
            ["Input.StaffMemberId"] = "",
            ["Input.Phone"] = "13912345678",
            ["Input.CommunityId"] = communityId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.DepartmentId"] = "",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await app.UserIdAsync("new-worker");
        Assert.Equal($"/admin/users/{id}?done=created", response.Headers.Location!.PathAndQuery);
        Assert.Contains("账号已创建", await admin.GetStringAsync(response.Headers.Location));
        var staff = await app.DbAsync(db => db.Users.Where(u => u.UserName == "new-worker")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s).SingleAsync());
        Assert.Equal(("韩梅梅", StaffRole.GridWorker, communityId), (staff.Name, staff.Role, staff.CommunityId!.Value));
        Assert.Equal(nameof(StaffRole.GridWorker), await app.DbAsync(db => db.UserRoles.Where(r => r.UserId == id)
            .Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).SingleAsync()));

        using var person = app.CreateClient();
        await person.SignInAsync("new-worker", "First#Pass2026");
        Assert.True(await person.IsSignedInAsync());
        Assert.Contains("韩梅梅", await person.GetStringAsync("/inbox"));
    }

    [Fact]
    public async Task An_account_can_be_linked_to_an_existing_staff_member_of_the_same_role_only()
    {
        var staffId = await app.DbAsync(async db =>
        {
            var staff = new StaffMember("李雷", "13812345678", StaffRole.Dispatcher);
            db.StaffMembers.Add(staff);
            await db.SaveChangesAsync();
            return staff.Id;
        });
        using var admin = await app.SignedInAsync("admin1");
        Dictionary<string, string> Form(string role) => new()
        {
            ["Input.UserName"] = "li-lei",
            ["Input.DisplayName"] = "",
            ["Input.Role"] = role,
            // The demo password passes the policy.
            ["Input.Password"] = Password,
            ["Input.StaffMemberId"] = staffId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        using var mismatch = await admin.PostFormAsync("/admin/users/new", "user-new", Form(nameof(StaffRole.StreetLeader)));
        Assert.Equal(HttpStatusCode.OK, mismatch.StatusCode);
        Assert.Contains("账号角色必须一致", await mismatch.Content.ReadAsStringAsync());
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "li-lei")));

        using var linked = await admin.PostFormAsync("/admin/users/new", "user-new", Form(nameof(StaffRole.Dispatcher)));
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "li-lei"));
        Assert.Equal((staffId, "李雷"), (user.StaffMemberId!.Value, user.DisplayName));
        using var person = app.CreateClient();
        await person.SignInAsync("li-lei", Password);
        Assert.True(await person.IsSignedInAsync());
    }

    [Fact]
    public async Task Bad_create_forms_get_chinese_messages_next_to_their_fields_and_create_nothing()
    {
        using var admin = await app.SignedInAsync("admin1");
        var before = await app.DbAsync(db => db.Users.CountAsync());
        var staffBefore = await app.DbAsync(db => db.StaffMembers.CountAsync());

        using var empty = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>());
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        using var taken = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "worker1",
            ["Input.DisplayName"] = "重名",
            ["Input.Role"] = "Dispatcher",
            ["Input.Password"] = "Other#Pass2026",
            ["Input.Phone"] = "13912345678",
        });
        using var noCommunity = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "no-community",
            ["Input.DisplayName"] = "无社区",
            ["Input.Role"] = "GridWorker",
            ["Input.Password"] = "Other#Pass2026",
            ["Input.Phone"] = "13912345678",
            ["Input.CommunityId"] = "999999",
        });
        using var badRole = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "bad-role",
            ["Input.DisplayName"] = "<script>alert(1)</script>",
            ["Input.Role"] = "Dispatcher,Administrator",
            ["Input.Password"] = "Other#Pass2026",
        });
        var badRoleHtml = await badRole.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("data-error-for=\"UserName\">请输入用户名", emptyHtml);
        Assert.Contains("data-error-for=\"DisplayName\">请输入姓名", emptyHtml);
        Assert.Contains("data-error-for=\"Role\">请选择角色", emptyHtml);
        Assert.Contains("data-error-for=\"Password\">请输入密码", emptyHtml);
        Assert.Contains("用户名“worker1”已被使用", await taken.Content.ReadAsStringAsync());
        Assert.Contains("data-error-for=\"CommunityId\">请选择所属社区", await noCommunity.Content.ReadAsStringAsync());
        Assert.Contains("请选择角色", badRoleHtml);
        Assert.DoesNotContain("<script>alert(1)</script>", badRoleHtml);
        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync()));
        Assert.Equal(staffBefore, await app.DbAsync(db => db.StaffMembers.CountAsync()));
    }

    [Fact]
    public async Task A_reset_password_ends_the_old_session_refuses_the_old_password_and_accepts_the_new_one()
    {
        using var person = await app.SignedInAsync("handler1");
        Assert.True(await person.IsSignedInAsync());
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.UserIdAsync("handler1");

        using var weak = await admin.PostFormAsync($"/admin/users/{id}", "user-reset", new Dictionary<string, string> { ["Reset.Password"] = "short" });
        Assert.Contains("data-error-for=\"Password\">密码至少需要10个字符", await weak.Content.ReadAsStringAsync());
        Assert.True(await person.IsSignedInAsync());

        using var reset = await admin.PostFormAsync($"/admin/users/{id}", "user-reset", new Dictionary<string, string> { ["Reset.Password"] = "Temp#Pass2026x" });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains("密码已重置", await admin.GetStringAsync(reset.Headers.Location));

        Assert.False(await person.IsSignedInAsync());
        using var again = app.CreateClient();
        using var old = await again.TrySignInAsync("handler1", Password);
        Assert.Contains("用户名或密码错误", await old.Content.ReadAsStringAsync());
        await again.SignInAsync("handler1", "Temp#Pass2026x");
        Assert.True(await again.IsSignedInAsync());
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_its_session_ends_until_it_is_enabled_again()
    {
        using var person = await app.SignedInAsync("secretary1");
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.UserIdAsync("secretary1");

        using var disable = await admin.PostFormAsync($"/admin/users/{id}", "user-disable", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);
        Assert.Contains("账号已停用", await admin.GetStringAsync(disable.Headers.Location));
        Assert.Contains("data-status=\"disabled\"", await admin.GetStringAsync("/admin/users?q=secretary1"));

        Assert.False(await person.IsSignedInAsync());
        using var again = app.CreateClient();
        using var refused = await again.TrySignInAsync("secretary1", Password);
        Assert.Contains("用户名或密码错误", await refused.Content.ReadAsStringAsync());
        Assert.False(refused.HasAuthCookie());

        using var enable = await admin.PostFormAsync($"/admin/users/{id}", "user-enable", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, enable.StatusCode);
        await again.SignInAsync("secretary1", Password);
        Assert.True(await again.IsSignedInAsync());
    }

    [Fact]
    public async Task An_administrator_cannot_disable_himself()
    {
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.UserIdAsync("admin1");

        using var response = await admin.PostFormAsync($"/admin/users/{id}", "user-disable", new Dictionary<string, string>());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("不能停用自己的账号", html);
        Assert.Null(await app.LockoutEndAsync("admin1"));
        Assert.True(await admin.IsSignedInAsync());
    }

    [Fact]
    public async Task A_locked_account_shows_as_locked_and_the_administrator_can_unlock_it()
    {
        using var person = app.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await person.TrySignInAsync("streetleader1", $"Wrong-{attempt}-password");
        }
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.UserIdAsync("streetleader1");
        var detail = await admin.GetStringAsync($"/admin/users/{id}");
        Assert.Contains("data-status=\"locked\"", detail);
        Assert.Contains("data-testid=\"user-unlock\"", detail);

        using var unlock = await admin.PostFormAsync($"/admin/users/{id}", "user-unlock", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        Assert.Contains("账号已解除锁定", await admin.GetStringAsync(unlock.Headers.Location));
        Assert.Null(await app.LockoutEndAsync("streetleader1"));
        await person.SignInAsync("streetleader1", Password);
        Assert.True(await person.IsSignedInAsync());
    }

    private static void AssertForbidden(HttpResponseMessage response, string what) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
            $"{what}: {(int)response.StatusCode} {response.Headers.Location}");
}
