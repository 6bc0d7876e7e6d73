using GridGov.Application.Ledgers;
using GridGov.Web.Endpoints;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>The ledger forms' live part: where a point clicked on the map falls (grid, or refused).</summary>
public sealed class LedgerEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ledgers/where", async (
                HttpRequest request,
                [FromQuery(Name = "for")] string? what,
                UnitQueries units,
                CurrentStaff staff,
                CancellationToken cancellationToken) =>
            {
                // htmx sends the form's own field names (Input.Longitude, Edit.Longitude…).
                var longitude = Field(request, "Longitude");
                var latitude = Field(request, "Latitude");
                var location = await units.WhereAsync(LedgerLabels.ParseDouble(longitude), LedgerLabels.ParseDouble(latitude), cancellationToken);
                // Units must lie in the editor's grids; components may also be kept by their department, which the save checks.
                bool? inScope = null;
                if (what != "component" && location is Application.Grids.GridLocation.InGrid grid)
                {
                    inScope = (await units.ScopeAsync(await staff.ActorAsync(), cancellationToken)).Covers(grid.GridId);
                }
                return new RazorComponentResult<LedgerWhere>(new Dictionary<string, object?>
                {
                    [nameof(LedgerWhere.Location)] = location,
                    [nameof(LedgerWhere.InScope)] = inScope,
                });
            })
            .RequireAuthorization(Policies.Staff)
            .WithName("LedgerWhere");
    }

    private static string? Field(HttpRequest request, string name) =>
        request.Query.FirstOrDefault(pair => pair.Key == name || pair.Key.EndsWith("." + name, StringComparison.Ordinal)).Value.FirstOrDefault();
}
