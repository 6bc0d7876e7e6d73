using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>Small helpers for driving the interactive ledger detail pages with bUnit.</summary>
internal static class LedgerPageDriver
{
    /// <summary>
    /// Renders a routed detail page at <paramref name="url"/> with its route id, as the router would (the harness's
    /// <see cref="ComponentHarness.Page{TPage}"/> supplies the query string only).
    /// </summary>
    public static IRenderedComponent<TPage> DetailPage<TPage>(this ComponentHarness harness, string url, Action<ComponentParameterCollectionBuilder<TPage>> route)
        where TPage : IComponent
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo(url);
        return harness.Context.Render(route);
    }

    /// <summary>The message a MudTextField shows under the input with this id (null when none).</summary>
    public static string? ErrorUnder<T>(this IRenderedComponent<T> page, string inputId) where T : class, IComponent
    {
        var control = page.Find($"input#{inputId}").Closest(".mud-input-control");
        return control?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }

    /// <summary>The message shown for a part of the form that is not one input (data-error-for).</summary>
    public static string? ErrorFor<T>(this IRenderedComponent<T> page, string field) where T : class, IComponent =>
        page.FindAll($"[data-error-for={field}]").FirstOrDefault()?.TextContent.Trim();

    public static string? TestId<T>(this IRenderedComponent<T> page, string testId) where T : class, IComponent =>
        page.FindAll($"[data-testid={testId}]").FirstOrDefault()?.TextContent.Trim();

    /// <summary>Chooses a value in the page's (first) MudSelect of <typeparamref name="TValue"/>, as picking its item does.</summary>
    public static Task ChooseAsync<T, TValue>(this IRenderedComponent<T> page, TValue value) where T : class, IComponent
    {
        var select = page.FindComponent<MudSelect<TValue>>();
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    /// <summary>Clicks the button of the open confirmation dialog whose text is <paramref name="text"/>.</summary>
    public static void Answer(this ComponentHarness harness, string text)
    {
        harness.Dialogs.WaitForAssertion(() => Assert.Contains(harness.Dialogs.FindAll("button"), b => b.TextContent.Trim() == text));
        harness.Dialogs.FindAll("button").First(b => b.TextContent.Trim() == text).Click();
    }
}
