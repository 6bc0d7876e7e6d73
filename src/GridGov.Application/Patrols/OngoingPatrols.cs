using System.Data.Common;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Patrols;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Patrols;

/// <summary>A patrol under way as its patroller sees it.</summary>
public sealed record OngoingPatrolView(Guid Id, string GridCode, DateTimeOffset StartedAt, int Points, DateTimeOffset? LastPointAt, long? RecordedPatrolId);

/// <summary>One GPS fix as a phone sends it.</summary>
public sealed record TrackPoint(double Longitude, double Latitude, DateTimeOffset RecordedAt);

/// <summary>What a post of points did: how many were new, and how many the patrol has now.</summary>
public sealed record TrackPointsAdded(int Added, int Points);

/// <summary>
/// Patrols recorded as they happen (the phone app): start in one of one's grids, post GPS points as they come (a point of a
/// moment already stored is skipped, so a batch sent again adds nothing), finish — which records the patrol through
/// <see cref="PatrolService"/>, the patrol page's use case, with the points as its track and the ongoing patrol's id as its
/// submission id (a finish sent again answers with the same patrol). Only the patroller sees and changes his patrol under way.
/// </summary>
public sealed class OngoingPatrols(IGridGovDbContext db, PatrolService patrols, TimeProvider clock, ILogger<OngoingPatrols> logger)
{
    private const string UniqueViolation = "23505";

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    public async Task<(OngoingPatrolView Patrol, bool Started)> StartAsync(CaseActor patroller, Guid id, string gridCode, DateTimeOffset? startedAt,
        CancellationToken cancellationToken = default)
    {
        var staffId = RequirePatroller(patroller);
        if (await db.OngoingPatrols.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } existing)
        {
            return existing.PatrollerStaffId == staffId ? (await ViewAsync(existing, cancellationToken), false) : throw Submissions.Foreign();
        }
        gridCode = (gridCode ?? "").Trim();
        if (!patroller.GridCodes.Contains(gridCode))
        {
            throw new DomainException("patrol.not-your-grid", $"您不负责网格{gridCode}，不能登记该网格的巡查") { Field = DomainFields.PatrolGrid.Name, Arguments = [gridCode] };
        }
        if (!await db.Grids.AnyAsync(g => g.Code == gridCode && g.ValidTo == null, cancellationToken))
        {
            throw new DomainException("patrol.grid-not-found", $"网格{gridCode}不存在或已撤销") { Field = DomainFields.PatrolGrid.Name, Arguments = [gridCode] };
        }
        var now = clock.GetUtcNow();
        var patrol = new OngoingPatrol(id, staffId, gridCode, startedAt ?? now, now);
        db.OngoingPatrols.Add(patrol);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is DbException { SqlState: UniqueViolation })
        {
            // The same start sent twice at the same moment: the other one stored it.
            db.OngoingPatrols.Entry(patrol).State = EntityState.Detached;
            return await StartAsync(patroller, id, gridCode, startedAt, cancellationToken);
        }
        logger.LogInformation("Patrol {OngoingPatrolId} started in grid {GridCode} by {Patroller}", id, gridCode, patroller.Name);
        return (await ViewAsync(patrol, cancellationToken), true);
    }

    public async Task<OngoingPatrolView> GetAsync(CaseActor patroller, Guid id, CancellationToken cancellationToken = default) =>
        await ViewAsync(await OwnAsync(patroller, id, tracked: false, cancellationToken), cancellationToken);

    public async Task<TrackPointsAdded> AddPointsAsync(CaseActor patroller, Guid id, IReadOnlyList<TrackPoint> points, CancellationToken cancellationToken = default)
    {
        var patrol = await OwnAsync(patroller, id, tracked: false, cancellationToken);
        patrol.RequireUnderWay();
        if (points.Count > OngoingPatrol.MaxPointsPerPost)
        {
            throw new DomainException("track.points-per-post", $"一次最多提交{OngoingPatrol.MaxPointsPerPost}个轨迹点")
            {
                Field = DomainFields.Track.Name, Arguments = [OngoingPatrol.MaxPointsPerPost],
            };
        }
        var now = clock.GetUtcNow();
        // The domain checks every point first: one bad point refuses the whole post, nothing is written.
        var fixes = points.Select(p => new OngoingPatrolPoint(patrol, p.Longitude, p.Latitude, p.RecordedAt, now))
            .GroupBy(p => p.RecordedAt).Select(g => g.First()).ToList();
        var moments = fixes.Select(p => p.RecordedAt).ToList();
        var stored = await db.OngoingPatrolPoints.Where(p => p.OngoingPatrolId == id && moments.Contains(p.RecordedAt)).Select(p => p.RecordedAt)
            .ToListAsync(cancellationToken);
        var added = fixes.Where(p => !stored.Contains(p.RecordedAt)).ToList();
        var count = await db.OngoingPatrolPoints.CountAsync(p => p.OngoingPatrolId == id, cancellationToken);
        if (count + added.Count > TrackRules.MaxPoints)
        {
            throw new DomainException("track.point-limit", $"巡查轨迹点数超过{TrackRules.MaxPoints}个，请抽稀后上传") { Field = DomainFields.Track.Name, Arguments = [TrackRules.MaxPoints] };
        }
        db.OngoingPatrolPoints.AddRange(added);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is DbException { SqlState: UniqueViolation })
        {
            // Two posts of the same points at the same moment: nothing of this one was written; the phone sends it again.
            foreach (var point in added)
            {
                db.OngoingPatrolPoints.Entry(point).State = EntityState.Detached;
            }
            throw new DomainException("ongoing-patrol.concurrent", "同一批轨迹点正在同时提交，本次未保存，请重试");
        }
        return new TrackPointsAdded(added.Count, count + added.Count);
    }

    /// <summary>Records the patrol with the points as its track (the patrol page's rules); a finish sent again answers with the same patrol.</summary>
    public async Task<RecordedPatrol> FinishAsync(CaseActor patroller, Guid id, DateTimeOffset? endedAt, string? notes, IReadOnlyList<PatrolProblem> problems,
        CancellationToken cancellationToken = default)
    {
        var patrol = await OwnAsync(patroller, id, tracked: true, cancellationToken);
        var points = await db.OngoingPatrolPoints.AsNoTracking().Where(p => p.OngoingPatrolId == id).OrderBy(p => p.RecordedAt)
            .Select(p => new { p.Longitude, p.Latitude, p.RecordedAt }).ToListAsync(cancellationToken);
        var coordinates = new List<Coordinate>(points.Count);
        foreach (var point in points)
        {
            var coordinate = new Coordinate(point.Longitude, point.Latitude);
            if (coordinates.Count == 0 || !coordinates[^1].Equals2D(coordinate))
            {
                coordinates.Add(coordinate);
            }
        }
        if (coordinates.Count < 2)
        {
            throw new DomainException("track.empty", "巡查轨迹至少需要两个点") { Field = DomainFields.Track.Name };
        }
        var end = endedAt ?? (points[^1].RecordedAt > patrol.StartedAt ? points[^1].RecordedAt : clock.GetUtcNow());
        var track = Factory.CreateLineString([.. coordinates]);
        var recorded = await patrols.RecordAsync(patroller, patrol.GridCode, patrol.StartedAt, end, track, notes, problems, cancellationToken, submissionId: id);
        if (!patrol.IsFinished)
        {
            patrol.Finished(recorded.PatrolId);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Patrol {OngoingPatrolId} finished by {Patroller}: recorded as patrol {PatrolId} with {Points} points", id, patroller.Name, recorded.PatrolId, points.Count);
        }
        return recorded;
    }

    private static int RequirePatroller(CaseActor patroller) =>
        patroller.StaffMemberId is { } staffId && patroller.Role is StaffRole.GridWorker or StaffRole.GridLeader
            ? staffId
            : throw new DomainException("patrol.role", "只有网格员或网格长可以登记巡查");

    /// <summary>Someone else's patrol under way is answered like one that does not exist.</summary>
    private async Task<OngoingPatrol> OwnAsync(CaseActor patroller, Guid id, bool tracked, CancellationToken cancellationToken)
    {
        var staffId = RequirePatroller(patroller);
        var query = tracked ? db.OngoingPatrols : db.OngoingPatrols.AsNoTracking();
        return await query.SingleOrDefaultAsync(p => p.Id == id && p.PatrollerStaffId == staffId, cancellationToken)
            ?? throw new DomainException("ongoing-patrol.not-found", "巡查不存在");
    }

    private async Task<OngoingPatrolView> ViewAsync(OngoingPatrol patrol, CancellationToken cancellationToken)
    {
        var points = await db.OngoingPatrolPoints.AsNoTracking().Where(p => p.OngoingPatrolId == patrol.Id)
            .GroupBy(p => p.OngoingPatrolId)
            .Select(g => new { Count = g.Count(), Last = g.Max(p => p.RecordedAt) })
            .SingleOrDefaultAsync(cancellationToken);
        return new OngoingPatrolView(patrol.Id, patrol.GridCode, patrol.StartedAt, points?.Count ?? 0, points?.Last, patrol.RecordedPatrolId);
    }
}
