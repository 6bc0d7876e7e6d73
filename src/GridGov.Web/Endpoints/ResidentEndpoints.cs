using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Residents;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The residents' endpoints beside their pages (all public, listed in <see cref="PublicEndpoints"/>): the grid outlines for
/// the report map (no personal data), a result photo of the resident's own case (only with the confirmed phone that
/// reported it), and leaving the resident session.
/// </summary>
public sealed class ResidentEndpoints : IEndpointModule
{
    public const string GridsPattern = "/r/map/grids";
    public const string PhotoPattern = "/r/photos/{caseNumber}/{sha256}";
    public const string SignOutPattern = "/r/signout";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(GridsPattern, async (ISpatialQueries spatial, CancellationToken cancellationToken) =>
                Results.Text(await spatial.GridsGeoJsonAsync(cancellationToken), "application/geo+json; charset=utf-8"))
            .AllowAnonymousWhenListed();

        endpoints.MapGet(PhotoPattern, async (string caseNumber, string sha256, ResidentSession session, ResidentCases cases, IEvidenceStore store,
                HttpContext http, CancellationToken cancellationToken) =>
            {
                if (session.Phone(http) is not { } phone || !await cases.MayShowPhotoAsync(caseNumber, phone, sha256, cancellationToken)
                    || await store.OpenAsync(sha256, cancellationToken) is not { } stream)
                {
                    return Results.NotFound();
                }
                http.Response.Headers.CacheControl = "private, no-cache";
                var head = new byte[12];
                var read = await stream.ReadAsync(head, cancellationToken);
                stream.Position = 0;
                return Results.Stream(stream, EvidenceFiles.DetectImageType(head.AsSpan(0, read)) ?? "application/octet-stream");
            })
            .AllowAnonymousWhenListed();

        endpoints.MapPost(SignOutPattern, (ResidentSession session, HttpContext http) =>
            {
                session.SignOut(http);
                return Results.LocalRedirect("/r");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymousWhenListed();
    }
}
