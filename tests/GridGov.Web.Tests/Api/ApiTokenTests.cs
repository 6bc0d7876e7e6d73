using System.Net;
using System.Net.Http.Json;
using GridGov.Domain.Audit;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Api;

/// <summary>
/// Access tokens of the staff API: issued by the sign-in page's rules (one answer for every refusal, lockout, audit), bound
/// to a server-side session so that signing out or a disabled account ends them at once, valid for /api/v1 only.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTokenTests(WebAppFixture app)
{
    [Fact]
    public async Task A_right_password_gets_a_one_hour_token_that_names_the_person_and_is_audited()
    {
        var signInsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.SignIn && e.ActorUserName == "dispatcher1"));

        using var response = await app.SignInAsync("dispatcher1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.JsonAsync();
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());
        Assert.Equal("Dispatcher", Assert.Single(token.GetProperty("roles").EnumerateArray()).GetString());
        var staffId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "dispatcher1").Select(u => u.StaffMemberId).SingleAsync());
        Assert.Equal(staffId, token.GetProperty("staffMemberId").GetInt32());
        using var client = app.Client(token.GetProperty("accessToken").GetString());
        using var me = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var person = await me.JsonAsync();
        Assert.Equal("Dispatcher", person.GetProperty("role").GetString());
        Assert.Equal(staffId, person.GetProperty("staffMemberId").GetInt32());
        Assert.Equal(signInsBefore + 1, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.SignIn && e.ActorUserName == "dispatcher1")));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_401_problem_in_the_language_asked_for()
    {
        using var wrong = await app.SignInAsync("worker1", "Wrong#Pass2026");
        using var unknown = await app.SignInAsync("nobody-at-all", "Wrong#Pass2026");
        using var english = await app.SignInAsync("nobody-at-all", "Wrong#Pass2026", language: "en-US");

        var wrongProblem = await wrong.ProblemAsync(HttpStatusCode.Unauthorized);
        var unknownProblem = await unknown.ProblemAsync(HttpStatusCode.Unauthorized);
        var englishProblem = await english.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("用户名或密码错误", wrongProblem.GetProperty("detail").GetString());
        Assert.Equal(wrongProblem.GetProperty("title").GetString(), unknownProblem.GetProperty("title").GetString());
        Assert.Equal(wrongProblem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());
        Assert.Equal("Wrong user name or password", englishProblem.GetProperty("detail").GetString());
        Assert.Equal("Not signed in, or the sign-in has ended", englishProblem.GetProperty("title").GetString());
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_then_the_right_password_gets_the_same_refusal()
    {
        for (var i = 0; i < 5; i++)
        {
            using var failed = await app.SignInAsync("admin2", "Wrong#Pass2026");
            await failed.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var right = await app.SignInAsync("admin2");

        var problem = await right.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("用户名或密码错误", problem.GetProperty("detail").GetString());
        var lockoutEnd = await app.DbAsync(db => db.Users.Where(u => u.UserName == "admin2").Select(u => u.LockoutEnd).SingleAsync());
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10), $"locked until {lockoutEnd}");
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditAction.SignInFailed && e.Detail == "接口登录失败：账号已锁定")));
    }

    [Fact]
    public async Task A_disabled_account_s_token_stops_working_at_once_and_it_gets_no_new_one()
    {
        using var client = await app.ApiAsync("streetleader1");
        using (var before = await client.GetAsync("/api/v1/inbox"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        var id = await app.DbAsync(db => db.Users.Where(u => u.UserName == "streetleader1").Select(u => u.Id).SingleAsync());
        var version = await app.VersionAsync("streetleader1");

        var result = await app.AsAsync("admin1", (accounts, adminId) => accounts.DisableAsync(id, adminId, version));

        Assert.True(result.Succeeded);
        using var after = await client.GetAsync("/api/v1/inbox");
        var problem = await after.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", after.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.True(ApiHttp.HasChinese(problem.GetProperty("detail").GetString()));
        using var again = await app.SignInAsync("streetleader1");
        await again.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_out_no_longer_works_and_another_token_of_the_person_goes_on()
    {
        using var first = await app.ApiAsync("secretary1");
        using var second = await app.ApiAsync("secretary1");

        using var revoke = await first.DeleteAsync("/api/v1/tokens/current");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var afterFirst = await first.GetAsync("/api/v1/me");
        await afterFirst.ProblemAsync(HttpStatusCode.Unauthorized);
        using var afterSecond = await second.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, afterSecond.StatusCode);
    }

    [Fact]
    public async Task The_api_takes_no_cookie_and_the_pages_take_no_token()
    {
        using var cookie = await app.SignedInAsync("worker1");
        var token = await app.TokenAsync("worker1");

        using var apiWithCookie = await cookie.GetAsync("/api/v1/inbox");
        using var pageWithToken = app.Client(token);
        using var page = await pageWithToken.GetAsync("/inbox");

        await apiWithCookie.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_forged_or_missing_token_gets_401_problem_details()
    {
        var token = await app.TokenAsync("worker1");
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";

        using var none = app.Client(language: "en");
        using var noToken = await none.GetAsync("/api/v1/inbox");
        using var forgedClient = app.Client(forged);
        using var withForged = await forgedClient.GetAsync("/api/v1/inbox");

        var missing = await noToken.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("/api/v1/tokens", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(ApiHttp.HasChinese(missing.GetProperty("detail").GetString()));
        await withForged.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", withForged.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_body_that_is_not_json_or_lacks_fields_is_a_400_or_415_problem_naming_the_fields()
    {
        using var client = app.Client();
        using var form = await client.PostAsync("/api/v1/tokens", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "worker1" }));
        using var empty = await client.PostAsJsonAsync("/api/v1/tokens", new { });
        using var broken = await client.PostAsync("/api/v1/tokens", new StringContent("{\"userName\": ", System.Text.Encoding.UTF8, "application/json"));

        await form.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var missing = await empty.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["必填"], missing.Errors("userName"));
        Assert.Equal(["必填"], missing.Errors("password"));
        await broken.ProblemAsync(HttpStatusCode.BadRequest);
    }
}
