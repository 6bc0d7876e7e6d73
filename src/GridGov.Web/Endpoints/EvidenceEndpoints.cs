using GridGov.Application.Cases;
using GridGov.Application.Common;
using Microsoft.EntityFrameworkCore;
using GridGov.Web.Infrastructure;

namespace GridGov.Web.Endpoints;

/// <summary>
/// Photos of cases, by content hash. Only the browser may keep one (private: never a shared proxy), and it asks again
/// each time (no-cache, answered 304 by the hash's ETag), so a person who lost access to the case no longer sees it.
/// </summary>
public sealed class EvidenceEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/evidence/{sha256}", async (string sha256, IEvidenceStore store, IGridGovDbContext db, CurrentStaff staff, HttpContext http, CancellationToken cancellationToken) =>
            {
                // A photo is shown to those who may open one of the cases it belongs to, or the case it was merged into
                // (the surviving case lists the merged reports with their photos); anyone else gets 404.
                var actor = await staff.ActorAsync(cancellationToken);
                var visible = db.Cases.VisibleTo(actor);
                // The review queue shows a held resident report's photos to those who decide it.
                if (!await db.Cases.Where(c => c.Evidence.Any(e => e.Sha256 == sha256))
                        .AnyAsync(c => visible.Any(v => v.Id == c.Id || v.Id == c.MergedIntoCaseId), cancellationToken)
                    && !(actor.Role is { } role && Application.Residents.HeldReports.Roles.Contains(role)
                         && await db.HeldReports.AnyAsync(h => h.PhotoHashes.Contains(sha256), cancellationToken)))
                {
                    return Results.NotFound();
                }
                var stream = await store.OpenAsync(sha256, cancellationToken);
                if (stream is null)
                {
                    return Results.NotFound();
                }
                http.Response.Headers.CacheControl = "private, no-cache";
                var head = new byte[12];
                var read = await stream.ReadAsync(head, cancellationToken);
                stream.Position = 0;
                var contentType = EvidenceFiles.DetectImageType(head.AsSpan(0, read)) ?? "application/octet-stream";
                return Results.Stream(stream, contentType, enableRangeProcessing: true,
                    entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{sha256}\""));
            })
            .RequireAuthorization(Policies.Staff)
            .WithName("Evidence");
}
