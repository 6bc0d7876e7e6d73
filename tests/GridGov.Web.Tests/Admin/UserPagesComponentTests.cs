using Bunit;
using GridGov.Domain.Organisation;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Admin.AccountPages;

namespace GridGov.Web.Tests.Admin;

/// <summary>
/// The interactive account pages (new account, one account) with bUnit on the real services and database: what the
/// static forms' posts proved, now through the pages' fields and buttons.
/// </summary>
public sealed class UserPagesComponentTests(AdminAppFixture app) : IClassFixture<AdminAppFixture>
{
    private const string Password = DemoStreetDatabaseFixture.DemoPassword;

    private Task<int> FirstCommunityAsync() => app.DbAsync(db => db.Communities.OrderBy(c => c.Code).Select(c => c.Id).FirstAsync());

    [Fact]
    public async Task An_account_created_with_a_new_staff_member_can_sign_in_with_its_initial_password()
    {
        var communityId = await FirstCommunityAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = New(harness);

        await FillAsync(page, userName: "new-worker", displayName: "韩梅梅", role: StaffRole.GridWorker, password: "First#Pass2026", phone: "13912345678", communityId: communityId);
        await SubmitAsync(page);

        var id = await app.UserIdAsync("new-worker");
        page.WaitForAssertion(() => Assert.EndsWith($"/admin/users/{id}", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains("账号已创建，可以使用初始密码登录", harness.Snackbars());
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
    public async Task The_form_sends_its_submission_id_so_a_replay_answers_with_the_first_account_and_creates_no_second_one()
    {
        var communityId = await FirstCommunityAsync();
        var staffBefore = await app.DbAsync(db => db.StaffMembers.CountAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = New(harness);
        var submission = page.Instance.SubmissionId;
        Assert.NotNull(submission);

        await FillAsync(page, userName: "replayed-worker", displayName: "李重放", role: StaffRole.GridWorker, password: "First#Pass2026", phone: "13912345679", communityId: communityId);
        await SubmitAsync(page);
        var id = await app.UserIdAsync("replayed-worker");
        page.WaitForAssertion(() => Assert.EndsWith($"/admin/users/{id}", harness.Navigation.Uri, StringComparison.Ordinal));

        // The same form sent again (a second click, a retried connection): same key, another user name even.
        var replay = await app.AsAsync("admin1", (accounts, adminId) => accounts.CreateAsync(
            new GridGov.Application.Accounts.NewAccount("replayed-worker-2", "李重放", StaffRole.GridWorker, "First#Pass2026", null, "13912345679", communityId, null),
            adminId, submission, CancellationToken.None));

        Assert.True(replay.Succeeded);
        Assert.Equal(id, replay.UserId);
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName!.StartsWith("replayed-worker"))));
        Assert.Equal(staffBefore + 1, await app.DbAsync(db => db.StaffMembers.CountAsync()));
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
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = New(harness);

        await FillAsync(page, userName: "li-lei", role: StaffRole.StreetLeader, password: Password, staffMemberId: staffId);
        await SubmitAsync(page);
        page.WaitForAssertion(() => Assert.Contains("账号角色必须一致", ErrorUnder(page, "Role")));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "li-lei")));
        Assert.Equal("li-lei", page.Find("input#user-name").GetAttribute("value")); // what was typed stays

        await FillAsync(page, role: StaffRole.Dispatcher);
        await SubmitAsync(page);
        page.WaitForAssertion(() => Assert.Contains("/admin/users/", harness.Navigation.Uri, StringComparison.Ordinal));
        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "li-lei"));
        Assert.Equal((staffId, "李雷"), (user.StaffMemberId!.Value, user.DisplayName));
        using var person = app.CreateClient();
        await person.SignInAsync("li-lei", Password);
        Assert.True(await person.IsSignedInAsync());
    }

    [Fact]
    public async Task Bad_create_forms_get_chinese_messages_under_their_fields_and_create_nothing()
    {
        var before = await app.DbAsync(db => db.Users.CountAsync());
        var staffBefore = await app.DbAsync(db => db.StaffMembers.CountAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");

        var empty = New(harness);
        await SubmitAsync(empty);
        empty.WaitForAssertion(() => Assert.Equal("请输入用户名", ErrorUnder(empty, "UserName")));
        Assert.Equal("请输入姓名", ErrorUnder(empty, "DisplayName"));
        Assert.Equal("请选择角色", ErrorUnder(empty, "Role"));
        Assert.Equal("请输入密码", ErrorUnder(empty, "Password"));

        var taken = New(harness);
        await FillAsync(taken, userName: "worker1", displayName: "重名", role: StaffRole.Dispatcher, password: "Other#Pass2026", phone: "13912345678");
        await SubmitAsync(taken);
        taken.WaitForAssertion(() => Assert.Equal("用户名“worker1”已被使用", ErrorUnder(taken, "UserName")));

        var noCommunity = New(harness);
        await FillAsync(noCommunity, userName: "no-community", displayName: "无社区", role: StaffRole.GridWorker, password: "Other#Pass2026", phone: "13912345678");
        await SubmitAsync(noCommunity);
        noCommunity.WaitForAssertion(() => Assert.Equal("请选择所属社区", ErrorUnder(noCommunity, "CommunityId")));

        var script = New(harness);
        await FillAsync(script, userName: "bad-role", displayName: "<script>alert(1)</script>", password: "Other#Pass2026");
        await SubmitAsync(script);
        script.WaitForAssertion(() => Assert.Equal("请选择角色", ErrorUnder(script, "Role")));
        Assert.Empty(script.FindAll("script")); // the typed script stays text in its field
        Assert.Equal("<script>alert(1)</script>", script.Find("input#user-display-name").GetAttribute("value"));

        var controls = New(harness);
        await FillAsync(controls, userName: "control-chars", displayName: "张\0三", role: StaffRole.Dispatcher, password: "Other#Pass2026\u001b", phone: "139\u00071234567");
        await SubmitAsync(controls);
        controls.WaitForAssertion(() => Assert.Equal(ControlCharacterGuard.Message, ErrorUnder(controls, "DisplayName")));
        Assert.Equal(ControlCharacterGuard.Message, ErrorUnder(controls, "Password"));
        Assert.Equal(ControlCharacterGuard.Message, ErrorUnder(controls, "Phone"));

        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync()));
        Assert.Equal(staffBefore, await app.DbAsync(db => db.StaffMembers.CountAsync()));
    }

    [Fact]
    public async Task A_reset_password_ends_the_old_session_refuses_the_old_password_and_accepts_the_new_one()
    {
        using var person = await app.SignedInAsync("handler1");
        Assert.True(await person.IsSignedInAsync());
        var id = await app.UserIdAsync("handler1");
        var hash = await app.PasswordHashAsync("handler1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Detail(harness, id);

        await page.Find("input#user-temporary-password").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "short" });
        await page.Find("form[data-testid=user-reset-form]").SubmitAsync(EventArgs.Empty);
        page.WaitForAssertion(() => Assert.Contains("密码至少需要10个字符", ErrorUnder(page, "Password")));
        Assert.Equal(hash, await app.PasswordHashAsync("handler1"));
        Assert.True(await person.IsSignedInAsync());

        await page.Find("input#user-temporary-password").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Temp#Pass2026x" });
        await page.Find("form[data-testid=user-reset-form]").SubmitAsync(EventArgs.Empty);
        page.WaitForAssertion(() => Assert.Contains("密码已重置，该用户需用临时密码重新登录", harness.Snackbars()));
        Assert.Null(ErrorUnder(page, "Password"));

        Assert.False(await person.IsSignedInAsync());
        using var again = app.CreateClient();
        using var old = await again.TrySignInAsync("handler1", Password);
        Assert.Contains("用户名或密码错误", await old.Content.ReadAsStringAsync());
        await again.SignInAsync("handler1", "Temp#Pass2026x");
        Assert.True(await again.IsSignedInAsync());
    }

    [Fact]
    public async Task Disabling_asks_first_then_the_account_cannot_sign_in_and_its_session_ends_until_it_is_enabled_again()
    {
        using var person = await app.SignedInAsync("secretary1");
        var id = await app.UserIdAsync("secretary1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Detail(harness, id);

        // Cancelled: nothing happens.
        page.Find("[data-testid=user-disable]").Click();
        harness.Dialogs.WaitForElement("[data-testid=user-disable-dialog]");
        Assert.Contains("确定停用账号“secretary1”", harness.Dialogs.Markup, StringComparison.Ordinal);
        await harness.Dialogs.Find("[data-testid=user-disable-cancel]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=user-disable-dialog]")));
        Assert.Null(await app.LockoutEndAsync("secretary1"));
        Assert.True(await person.IsSignedInAsync());

        // Confirmed: disabled at once.
        page.Find("[data-testid=user-disable]").Click();
        await harness.Dialogs.WaitForElement("[data-testid=user-disable-confirm]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.Contains("账号已停用，该用户的登录会话将结束", harness.Snackbars()));
        page.WaitForAssertion(() => Assert.Equal("disabled", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.NotNull(await app.LockoutEndAsync("secretary1"));
        using var admin = await app.SignedInAsync("admin1");
        Assert.Contains("data-status=\"disabled\"", await admin.GetStringAsync("/admin/users?q=secretary1"));

        Assert.False(await person.IsSignedInAsync());
        using var again = app.CreateClient();
        using var refused = await again.TrySignInAsync("secretary1", Password);
        Assert.Contains("用户名或密码错误", await refused.Content.ReadAsStringAsync());
        Assert.False(refused.HasAuthCookie());

        await page.Find("[data-testid=user-enable]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.Contains("账号已启用", harness.Snackbars()));
        await again.SignInAsync("secretary1", Password);
        Assert.True(await again.IsSignedInAsync());
    }

    [Fact]
    public async Task An_administrator_cannot_disable_himself_the_button_is_off_and_the_service_refuses()
    {
        var id = await app.UserIdAsync("admin1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Detail(harness, id);

        Assert.True(page.Find("[data-testid=user-disable]").HasAttribute("disabled"));
        Assert.Contains("不能停用自己的账号", page.Markup, StringComparison.Ordinal);
        var version = await app.VersionAsync("admin1");
        var result = await app.AsAsync("admin1", (accounts, adminId) => accounts.DisableAsync(adminId, adminId, version));

        Assert.False(result.Succeeded);
        Assert.Equal("不能停用自己的账号", result.Errors[""]);
        Assert.Null(await app.LockoutEndAsync("admin1"));
        using var admin = await app.SignedInAsync("admin1");
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
        var id = await app.UserIdAsync("streetleader1");
        using var admin = await app.SignedInAsync("admin1");
        var detail = await admin.GetStringAsync($"/admin/users/{id}"); // the prerendered page
        Assert.Contains("data-status=\"locked\"", detail);
        Assert.Contains("data-testid=\"user-unlock\"", detail);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Detail(harness, id);

        await page.Find("[data-testid=user-unlock]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        page.WaitForAssertion(() => Assert.Contains("账号已解除锁定", harness.Snackbars()));
        page.WaitForAssertion(() => Assert.Equal("active", page.Find("[data-status]").GetAttribute("data-status")));
        Assert.Null(await app.LockoutEndAsync("streetleader1"));
        await person.SignInAsync("streetleader1", Password);
        Assert.True(await person.IsSignedInAsync());
    }

    [Fact]
    public async Task A_reset_on_an_account_another_administrator_changed_meanwhile_is_refused_naming_them_and_keeps_the_typed_password()
    {
        var id = await app.UserIdAsync("dispatcher2");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Detail(harness, id);
        await page.Find("input#user-temporary-password").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Mine#Pass2026x" });

        // Meanwhile admin2 disables the account.
        var shown = await app.VersionAsync("dispatcher2");
        var other = await app.AsAsync("admin2", (accounts, adminId) => accounts.DisableAsync(id, adminId, shown));
        Assert.True(other.Succeeded);
        var hash = await app.PasswordHashAsync("dispatcher2");
        var last = await app.DbAsync(db => db.AuditEntries.Where(e => e.EntityType == "ApplicationUser" && e.EntityId == id)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).FirstAsync());
        var entries = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.EntityId == id));
        var admin2 = await app.StaffNameAsync("admin2");

        await page.Find("form[data-testid=user-reset-form]").SubmitAsync(EventArgs.Empty);

        var when = GridGov.Domain.Calendar.WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        page.WaitForAssertion(() => Assert.Contains($"该账号已被{admin2}（admin2）于{when}修改", ErrorUnder(page, "general")));
        Assert.Equal("Mine#Pass2026x", page.Find("input#user-temporary-password").GetAttribute("value"));
        Assert.Equal(hash, await app.PasswordHashAsync("dispatcher2"));
        Assert.Equal(entries, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.EntityId == id)));
        Assert.Empty(harness.Snackbars());
        // The page now shows the account as it is (disabled) and holds its new version: sent again, the reset goes through.
        page.WaitForAssertion(() => Assert.Equal("disabled", page.Find("[data-status]").GetAttribute("data-status")));

        await page.Find("form[data-testid=user-reset-form]").SubmitAsync(EventArgs.Empty);
        page.WaitForAssertion(() => Assert.Contains("密码已重置，该用户需用临时密码重新登录", harness.Snackbars()));
        Assert.NotEqual(hash, await app.PasswordHashAsync("dispatcher2"));
    }
}
