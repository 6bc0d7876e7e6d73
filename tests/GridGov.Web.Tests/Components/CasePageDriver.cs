using System.Globalization;
using Bunit;
using GridGov.Web.Components.Pages.Cases;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Drives the interactive case page with bUnit as the harness's person: opens a case, fills an action's fields, submits
/// it (answering the confirmation dialog of archive, merge and void) and reads what the page says.
/// </summary>
internal static class CasePageDriver
{
    public static IRenderedComponent<CaseDetail> OpenCase(this ComponentHarness harness, string number, string culture = "zh-CN")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        harness.Navigation.NavigateTo($"/cases/{number}");
        var page = harness.Context.Render<CaseDetail>(p => p.Add(c => c.Number, long.Parse(number, CultureInfo.InvariantCulture)));
        page.WaitForElement("[data-testid=case-number]");
        return page;
    }

    /// <summary>The form of one action in the panel.</summary>
    public static AngleSharp.Dom.IElement Form(this IRenderedComponent<CaseDetail> page, string action) => page.Find($"form[data-action={action}]");

    public static bool Offers(this IRenderedComponent<CaseDetail> page, string action) => page.FindAll($"[data-testid=submit-{action}]").Count > 0;

    /// <summary>Types into a text field of an action (its input id is action-field, lower case).</summary>
    public static void Type(this IRenderedComponent<CaseDetail> page, string action, string field, string value) =>
        page.Find($"#{action.ToLowerInvariant()}-{field}").Change(value);

    /// <summary>Opens a MudSelect (by its data-testid) and clicks the item whose text is <paramref name="text"/>.</summary>
    public static void Choose<TPage>(this IRenderedComponent<TPage> page, ComponentHarness harness, string testId, string text) where TPage : IComponent
    {
        var select = page.Find($"[data-testid={testId}]");
        var control = select.ClassList.Contains("mud-input-control") ? select : select.QuerySelector(".mud-input-control") ?? select.Closest(".mud-input-control")
            ?? throw new InvalidOperationException(select.Closest(".mud-select")?.OuterHtml ?? select.OuterHtml);
        control.MouseDown();
        harness.Popovers.WaitForAssertion(() => Assert.Contains(harness.Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == text));
        harness.Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == text).Click();
    }

    /// <summary>Chooses photos for an action's upload field.</summary>
    public static void ChoosePhotos(this IRenderedComponent<CaseDetail> page, string action, params (string Name, byte[] Bytes)[] photos)
    {
        var inputs = page.FindComponents<InputFile>();
        var input = inputs.SingleOrDefault(f => f.Find("input").GetAttribute("data-testid") == $"{action.ToLowerInvariant()}-photos")
            ?? throw new InvalidOperationException($"{inputs.Count} file inputs; form: {page.Form(action).OuterHtml}");
        input.UploadFiles([.. photos.Select(p => InputFileContent.CreateFromBinary(p.Bytes, p.Name, contentType: "image/png"))]);
        page.WaitForElement($"form[data-action={action}] [data-testid=photos-chosen]");
    }

    /// <summary>Submits an action; a confirmation dialog, if one opens, is answered with <paramref name="confirm"/>.</summary>
    public static void Submit(this IRenderedComponent<CaseDetail> page, ComponentHarness harness, string action, bool confirm = true)
    {
        page.Form(action).Submit();
        if (action is "Archive" or "Merge" or "Void")
        {
            harness.Dialogs.WaitForElement(".mud-message-box");
            harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains(confirm ? "确定" : "取消", StringComparison.Ordinal)).Click();
        }
    }

    /// <summary>Waits for the action to be answered: done (the page says so) or refused (its message), and returns the message.</summary>
    public static string WaitForRefusal(this IRenderedComponent<CaseDetail> page, string action)
    {
        var error = page.WaitForElement($"form[data-action={action}] [data-testid=action-error]");
        return error.TextContent;
    }

    public static void WaitForDone(this IRenderedComponent<CaseDetail> page) => page.WaitForElement("[data-testid=action-done]");
}
