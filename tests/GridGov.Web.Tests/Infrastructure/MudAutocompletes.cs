using Microsoft.Playwright;

namespace GridGov.Web.Tests.Infrastructure;

/// <summary>Choosing from a MudAutocomplete in the browser the way a person does, without racing the component.</summary>
public static class MudAutocompletes
{
    /// <summary>
    /// Types into the autocomplete, clicks the category option and waits until the component has handed the focus back
    /// to its input: it does so after the choice, fire and forget, so a field filled before that would lose its text
    /// to the autocomplete.
    /// </summary>
    public static async Task ChooseCategoryAsync(this IPage page, string inputId, string typed, string categoryId)
    {
        var input = page.Locator($"#{inputId}");
        await page.FillAsync($"#{inputId}", typed);
        await page.Locator($".mud-popover-open [data-category='{categoryId}']").ClickAsync();
        await Assertions.Expect(page.Locator($".mud-popover-open [data-category='{categoryId}']")).ToHaveCountAsync(0);
        await Assertions.Expect(input).ToBeFocusedAsync();
    }
}
