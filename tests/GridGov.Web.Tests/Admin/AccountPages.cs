using System.Globalization;
using Bunit;
using GridGov.Application.Accounts;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Admin;

/// <summary>Drives the interactive account pages with bUnit, and the account service as a given administrator.</summary>
public static class AccountPages
{
    /// <summary>The account page of <paramref name="userId"/>, as routed (the id is a route parameter).</summary>
    public static IRenderedComponent<UserDetail> Detail(ComponentHarness harness, string userId)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/admin/users/{userId}");
        var page = harness.Context.Render<UserDetail>(parameters => parameters.Add(p => p.Id, userId));
        page.WaitForElement("[data-testid=user-facts]");
        return page;
    }

    public static IRenderedComponent<UserNew> New(ComponentHarness harness)
    {
        var page = harness.Page<UserNew>("/admin/users/new");
        page.WaitForElement("[data-testid=user-form]");
        return page;
    }

    /// <summary>Fills the new-account form as a person would: text typed, choices picked; null leaves a field alone.</summary>
    public static async Task FillAsync(IRenderedComponent<UserNew> page, string? userName = null, string? displayName = null, StaffRole? role = null,
        string? password = null, int? staffMemberId = null, string? phone = null, int? communityId = null, int? departmentId = null)
    {
        async Task Type(string id, string? value)
        {
            if (value is not null)
            {
                await page.Find($"input#{id}").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = value });
            }
        }
        await Type("user-name", userName);
        await Type("user-display-name", displayName);
        await Type("user-password", password);
        await Type("user-phone", phone);
        if (role is not null)
        {
            await Pick(page, "user-role", (StaffRole?)role);
        }
        if (staffMemberId is not null)
        {
            await Pick(page, "user-staff", staffMemberId);
        }
        if (communityId is not null)
        {
            await Pick(page, "user-community", communityId);
        }
        if (departmentId is not null)
        {
            await Pick(page, "user-department", departmentId);
        }
    }

    /// <summary>Picks <paramref name="value"/> in the MudSelect marked with <paramref name="testId"/>.</summary>
    public static Task Pick<TPage, T>(IRenderedComponent<TPage> page, string testId, T value) where TPage : class, Microsoft.AspNetCore.Components.IComponent
    {
        var select = page.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));
        return page.InvokeAsync(() => select.Instance.SelectOption(value));
    }

    public static Task SubmitAsync(IRenderedComponent<UserNew> page) => page.Find("form[data-testid=user-form]").SubmitAsync(EventArgs.Empty);

    /// <summary>
    /// The message shown under a field (its MudBlazor helper line in error), or null. The field is found by its
    /// data-error-for (on the input MudBlazor renders); "general" is the form's alert.
    /// </summary>
    public static string? ErrorUnder<TPage>(IRenderedComponent<TPage> page, string field) where TPage : class, Microsoft.AspNetCore.Components.IComponent
    {
        foreach (var marked in page.FindAll($"[data-error-for='{field}']"))
        {
            if (marked.ClassList.Contains("mud-alert"))
            {
                return marked.TextContent.Trim();
            }
            var control = marked.Closest(".mud-input-control");
            var message = control?.QuerySelectorAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).FirstOrDefault(t => t.Length > 0);
            if (message is not null)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>Runs <paramref name="work"/> on the account service in a scope of its own, signed in as <paramref name="userName"/> (the audit's actor).</summary>
    public static async Task<T> AsAsync<T>(this WebAppFixture app, string userName, Func<IUserAccounts, string, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        scope.ServiceProvider.GetRequiredService<SignedInUser>().UseCircuit(principal, "127.0.0.1", "test");
        return await work(scope.ServiceProvider.GetRequiredService<IUserAccounts>(), user.Id);
    }

    /// <summary>The account's version (ConcurrencyStamp) as the database has it now.</summary>
    public static Task<string?> VersionAsync(this WebAppFixture app, string userName) =>
        app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.ConcurrencyStamp).SingleAsync());

    public static Task<string?> PasswordHashAsync(this WebAppFixture app, string userName) =>
        app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync());

    public static IReadOnlyList<string> Snackbars(this ComponentHarness harness) => [.. harness.Snackbar.ShownSnackbars.Select(s => s.Message ?? "")];
}
