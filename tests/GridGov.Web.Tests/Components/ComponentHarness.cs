using System.Globalization;
using System.Security.Claims;
using Bunit;
using GridGov.Infrastructure.Identity;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Renders interactive pages and components with bUnit as a signed-in demo user, on the running app's own services and
/// database (a scope of <see cref="WebAppFixture.Services"/> is bUnit's fallback): the application layer, the scope
/// rules and PostGIS are the real ones; only the browser is left out. The user is set the way a circuit sets it
/// (<see cref="SignedInUser.UseCircuit"/>), with the claims the sign-in would give.
/// </summary>
public sealed class ComponentHarness : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private ComponentHarness(AsyncServiceScope scope, BunitContext context, IRenderedComponent<MudPopoverProvider> popovers,
        IRenderedComponent<MudDialogProvider> dialogs)
    {
        _scope = scope;
        Context = context;
        Popovers = popovers;
        Dialogs = dialogs;
    }

    public BunitContext Context { get; }

    /// <summary>Where open selects and menus render their items.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers { get; }

    /// <summary>Where confirmation dialogs (MudDialog, message boxes) render, as the shell's provider does.</summary>
    public IRenderedComponent<MudDialogProvider> Dialogs { get; }

    /// <summary>The snackbars ("saved", "done") a page has shown.</summary>
    public ISnackbar Snackbar => Context.Services.GetRequiredService<ISnackbar>();

    public NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    public static async Task<ComponentHarness> SignedInAsync(WebAppFixture app, string userName)
    {
        var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No demo user {userName}.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        scope.ServiceProvider.GetRequiredService<SignedInUser>().UseCircuit(principal, "127.0.0.1", "bUnit");

        var context = new BunitContext();
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(20);
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddTransient<MudLocalizer, ChineseMudLocalizer>();
        var authorization = context.AddAuthorization();
        authorization.SetAuthorized(userName);
        authorization.SetClaims([.. principal.Claims.Where(c => c.Type != ClaimTypes.Role)]);
        authorization.SetRoles([.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
        context.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        // As in a circuit: the pages read their rows as server data (prerendering is what the HTTP tests see).
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        // MudBlazor's popovers (selects, menus) render into a provider, as in the shell.
        var popovers = context.Render<MudPopoverProvider>();
        var dialogs = context.Render<MudDialogProvider>();
        return new ComponentHarness(scope, context, popovers, dialogs);
    }

    /// <summary>
    /// Renders a routed page at <paramref name="url"/> (its query string reaches [SupplyParameterFromQuery]), in Chinese
    /// (the app's default) unless another <paramref name="culture"/> is asked for.
    /// </summary>
    public IRenderedComponent<TPage> Page<TPage>(string url, string culture = "zh-CN") where TPage : IComponent
    {
        // Set here (not in an async method, whose culture would not reach the test).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        Navigation.NavigateTo(url);
        return Context.Render<TPage>();
    }

    /// <summary>Whether a message is in Chinese (has a CJK ideograph): what the bad-input corpora ask of every refusal.</summary>
    public static bool IsChinese(string? text) => text is not null && text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>
    /// Retries an assertion that reads the database until it passes or <paramref name="timeout"/> (default 5 s) runs out.
    /// It runs on the test's own thread: a database read blocked on inside bUnit's WaitForAssertion would run on the
    /// renderer's dispatcher and wait for a continuation that needs that same dispatcher (a deadlock that hung CI).
    /// </summary>
    public static async Task EventuallyAsync(Func<Task> assertion, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _scope.DisposeAsync();
    }
}
