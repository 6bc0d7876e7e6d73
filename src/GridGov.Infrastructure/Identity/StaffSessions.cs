using System.Security.Claims;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Identity;

/// <summary>
/// Server-side sessions behind the sign-in cookies. Every request's cookie is checked against its row (one look-up by
/// primary key), so an ended session stops working on every app instance at once, however long the cookie would last.
/// </summary>
public sealed class StaffSessions(GridGovDbContext db, TimeProvider clock)
{
    /// <summary>The claim in the sign-in cookie that names its session.</summary>
    public const string ClaimType = "session_id";

    public static Guid? IdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimType), out var id) ? id : null;

    public async Task<Guid> StartAsync(string userId, CancellationToken cancellationToken = default)
    {
        var session = new StaffSession(userId, clock.GetUtcNow());
        db.StaffSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>True while the principal's session is open and belongs to its user; a cookie without a session never is.</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return IdOf(principal) is { } id && userId is not null
            && await db.StaffSessions.AnyAsync(s => s.Id == id && s.UserId == userId && s.EndedAt == null, cancellationToken);
    }

    /// <summary>Ends the principal's own session (sign-out); the person's other sessions stay open.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (IdOf(principal) is { } id)
        {
            var now = clock.GetUtcNow();
            await db.StaffSessions.Where(s => s.Id == id && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        }
    }

    /// <summary>Ends every open session of the user (password reset, disabled account).</summary>
    public async Task EndAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await db.StaffSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }
}
