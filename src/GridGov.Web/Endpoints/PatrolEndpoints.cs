using GridGov.Application.Patrols;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridGov.Web.Endpoints;

/// <summary>
/// One patrol's map (grid, covered area, track) as GeoJSON for the patrol page (巡查), answered only to those who may
/// see the patrol.
/// </summary>
public sealed class PatrolEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        var patrols = endpoints.MapGroup("/patrols").RequireAuthorization(new AuthorizeAttribute { Roles = PatrolRoles.Read });

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
