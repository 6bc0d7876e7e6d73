using System.Text.Json;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Components.Shared;

/// <summary>
/// The grid popup's texts (wwwroot/js/grid-map.js, buildPopup) in the page's language, for a map element's
/// data-grid-labels attribute. Keys are the resource names without their "GridPopup_" prefix.
/// </summary>
public static class GridMapLabels
{
    private static readonly string[] Keys = ["Grid", "Code", "Name", "Community", "Leader", "Workers", "WorkersCount", "Duty", "NotSet", "None", "Unnamed"];

    public static string Json(IStringLocalizer<SharedResource> localizer) =>
        JsonSerializer.Serialize(Keys.ToDictionary(key => key, key => localizer["GridPopup_" + key].Value));
}
