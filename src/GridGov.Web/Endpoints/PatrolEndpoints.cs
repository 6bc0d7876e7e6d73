using System.Globalization;
using GridGov.Application.Patrols;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The live parts of the patrol pages (巡查): a month's daily coverage, the next page of the list, and one patrol's
/// map (grid, covered area, track) as GeoJSON. Each answers only what the signed-in person may see.
/// </summary>
public sealed class PatrolEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        var patrols = endpoints.MapGroup("/patrols").RequireAuthorization(new AuthorizeAttribute { Roles = PatrolRoles.Read });

        patrols.MapGet("/days", async (
                [FromQuery(Name = "grid")] string? grid,
                [FromQuery(Name = "month")] string? month,
                [FromQuery(Name = "patroller")] string? patroller,
                PatrolQueries query,
                CurrentStaff staff,
                CancellationToken cancellationToken) =>
            {
                var staffId = int.TryParse(patroller, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
                var days = await query.MonthDaysAsync(await staff.ActorAsync(cancellationToken), grid, PatrolFormat.ParseMonth(month), staffId, cancellationToken);
                return new RazorComponentResult<PatrolDays>(new Dictionary<string, object?> { [nameof(PatrolDays.Days)] = days });
            })
            .WithName("PatrolDays");

        patrols.MapGet("/rows", async (
                [FromQuery(Name = "grid")] string? grid,
                [FromQuery(Name = "month")] string? month,
                [FromQuery(Name = "page")] string? page,
                PatrolQueries query,
                CurrentStaff staff,
                CancellationToken cancellationToken) =>
            {
                var viewer = await staff.ActorAsync(cancellationToken);
                var number = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
                var chosenMonth = PatrolFormat.ParseMonth(month) ?? new DateOnly(query.Today.Year, query.Today.Month, 1);
                var grids = await query.GridsAsync(viewer, cancellationToken);
                var gridCode = grids.Any(g => g.Code == grid) ? grid : null;
                var rows = await query.ListAsync(viewer, new PatrolFilter(gridCode, chosenMonth, null, number), cancellationToken);
                var scope = PatrolQueries.ScopeOf(viewer);
                var filter = string.Join("&", new[]
                {
                    gridCode is null ? null : "grid=" + Uri.EscapeDataString(gridCode),
                    "month=" + PatrolFormat.Month(chosenMonth),
                }.Where(q => q is not null));
                return new RazorComponentResult<PatrolRows>(new Dictionary<string, object?>
                {
                    [nameof(PatrolRows.Page)] = rows,
                    [nameof(PatrolRows.Query)] = filter,
                    [nameof(PatrolRows.ShowPatroller)] = scope != PatrolViewScope.OwnPatrols,
                    [nameof(PatrolRows.ShowGrid)] = gridCode is null || grids.Count > 1,
                    [nameof(PatrolRows.FullCoverageShare)] = query.FullCoverageShare,
                });
            })
            .WithName("PatrolRows");

        patrols.MapGet("/{id:long}/map", async Task<Results<ContentHttpResult, NotFound>> (
                long id,
                PatrolQueries query,
                CurrentStaff staff,
                CancellationToken cancellationToken) =>
            {
                var json = await query.MapGeoJsonAsync(id, await staff.ActorAsync(cancellationToken), cancellationToken);
                return json is null ? TypedResults.NotFound() : TypedResults.Content(json, "application/geo+json");
            })
            .WithName("PatrolMap");
    }
}
