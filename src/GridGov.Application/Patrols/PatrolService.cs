using System.Data.Common;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Patrols;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Patrols;

/// <summary>A problem found on a patrol (巡查发现的问题), reported as a case where it was seen.</summary>
public sealed record PatrolProblem(int CategoryId, string Description, double Longitude, double Latitude, string? Address = null);

/// <summary>
/// A patrol as the recording form gives it: a track read from a file or drawn on the map, and times that may be left
/// to the track's own (a GPX with times).
/// </summary>
public sealed record PatrolRecording(string GridCode, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, ParsedTrack Track, string? Notes,
    IReadOnlyList<PatrolProblem> Problems, Guid? SubmissionId = null);

/// <summary>What recording a patrol did: the patrol, its coverage and the numbers of the cases it reported.</summary>
public sealed record RecordedPatrol(long PatrolId, double Coverage, IReadOnlyList<string> CaseNumbers, bool AlreadyRecorded);

/// <summary>
/// Records patrols (巡查登记). A patrol is refused — and nothing at all is written — when the patroller does not
/// serve the grid, the times are wrong or in the future, the grid's month is signed off, the track is not a valid
/// line, less than <see cref="PatrolOptions.MinShareInGrid"/> of its length lies within the grid (widened by
/// <see cref="PatrolOptions.InGridMarginMeters"/>), or any problem cannot be reported.
/// </summary>
public sealed class PatrolService(
    IGridGovDbContext db,
    IPatrolCoverage coverage,
    CaseWorkflowService workflow,
    IOptions<PatrolOptions> options,
    TimeProvider clock,
    ILogger<PatrolService> logger)
{
    /// <summary>SQLSTATE of a unique index refusing a row.</summary>
    private const string UniqueViolation = "23505";

    /// <summary>A phone's clock may run a little ahead of the server's.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Records what the form gave; a time left empty is the track's own, and refused when the track has none.</summary>
    public Task<RecordedPatrol> RecordAsync(CaseActor patroller, PatrolRecording recording, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var start = recording.StartedAt ?? recording.Track.FirstTime;
        var end = recording.EndedAt ?? recording.Track.LastTime;
        if (start is null || end is null)
        {
            throw new DomainException("patrol.times-required", "请填写巡查开始和结束时间") { Field = DomainFields.PatrolTimes.Name };
        }
        return RecordAsync(patroller, recording.GridCode, start.Value, end.Value, recording.Track.Line, recording.Notes, recording.Problems, cancellationToken,
            recording.SubmissionId);
    }

    public async Task<RecordedPatrol> RecordAsync(
        CaseActor patroller,
        string gridCode,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt,
        LineString track,
        string? notes,
        IReadOnlyList<PatrolProblem>? problems = null,
        CancellationToken cancellationToken = default,
        Guid? submissionId = null)
    {
        ArgumentNullException.ThrowIfNull(patroller);
        problems ??= [];
        if (patroller.StaffMemberId is not { } staffId || patroller.Role is not (StaffRole.GridWorker or StaffRole.GridLeader))
        {
            throw new DomainException("patrol.role", "只有网格员或网格长可以登记巡查");
        }
        // A replayed form is the patrol it recorded the first time, whatever changed since; someone else's key is refused.
        if (await SubmittedAsync(submissionId, patroller, cancellationToken) is { } submitted)
        {
            return submitted;
        }
        gridCode = (gridCode ?? "").Trim();
        if (!patroller.GridCodes.Contains(gridCode))
        {
            throw new DomainException("patrol.not-your-grid", $"您不负责网格{gridCode}，不能登记该网格的巡查") { Field = DomainFields.PatrolGrid.Name, Arguments = [gridCode] };
        }
        var grid = await db.Grids.AsNoTracking()
            .Where(g => g.Code == gridCode && g.ValidTo == null)
            .Select(g => new { g.Id, g.Name })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("patrol.grid-not-found", $"网格{gridCode}不存在或已撤销") { Field = DomainFields.PatrolGrid.Name, Arguments = [gridCode] };

        var now = clock.GetUtcNow();
        if (startedAt > now + ClockTolerance)
        {
            throw new DomainException("patrol.start-future", "巡查开始时间不能晚于当前时间") { Field = DomainFields.PatrolTimes.Name };
        }
        if (endedAt > now + ClockTolerance)
        {
            throw new DomainException("patrol.end-future", "巡查结束时间不能晚于当前时间") { Field = DomainFields.PatrolTimes.Name };
        }
        if (problems.Count > PatrolReports.MaxPerPatrol)
        {
            throw new DomainException("patrol.too-many-problems", $"一次巡查最多上报{PatrolReports.MaxPerPatrol}个问题") { Field = DomainFields.PatrolProblems.Name, Arguments = [PatrolReports.MaxPerPatrol] };
        }
        // The domain checks the times, the track's own rules and the notes.
        var patrol = new Patrol(grid.Id, staffId, startedAt.ToUniversalTime(), endedAt.ToUniversalTime(), track, notes, submissionId);

        var day = WorkingCalendar.ChinaDate(startedAt);
        var month = new DateOnly(day.Year, day.Month, 1);
        if (await db.MonthlyReviews.AnyAsync(r => r.GridCode == gridCode && r.Month == month && r.SignedOffAt != null, cancellationToken))
        {
            throw new DomainException("patrol.month-signed-off", $"{month:yyyy年M月}的月度审核已签署，不能再补录该月的巡查") { Field = DomainFields.PatrolGrid.Name, Arguments = [month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)] };
        }

        // The same patrol posted twice (a double click, a resent form) is the patrol already stored.
        if (await AlreadyRecordedAsync(patrol, patroller, cancellationToken) is { } already)
        {
            return already;
        }

        var rules = options.Value;
        var fit = await coverage.FitAsync(grid.Id, patrol.Track, day, cancellationToken);
        if (fit.ShareOfTrackInGrid < rules.MinShareInGrid)
        {
            throw new DomainException("patrol.track-outside-grid",
                $"轨迹不在该网格内：只有{fit.ShareOfTrackInGrid:P0}的轨迹在{grid.Name}（含周边{rules.InGridMarginMeters:0}米）范围内，" +
                $"至少需要{rules.MinShareInGrid:P0}；请确认选择的网格和上传的轨迹")
            {
                Field = DomainFields.Track.Name,
                Arguments = [fit.ShareOfTrackInGrid, grid.Name, Math.Round(rules.InGridMarginMeters), rules.MinShareInGrid],
            };
        }
        patrol.SetCoverage(fit.Coverage);

        var phone = await db.StaffMembers.AsNoTracking().Where(s => s.Id == staffId).Select(s => s.Phone).SingleAsync(cancellationToken);
        var caseNumbers = new List<string>(problems.Count);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        db.Patrols.Add(patrol);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is DbException { SqlState: UniqueViolation })
        {
            // The same post may have won a race on the unique (patroller, submission id) or (patroller, grid, start, end) index a moment ago.
            await transaction.RollbackAsync(cancellationToken);
            db.Patrols.Entry(patrol).State = EntityState.Detached;
            if ((await SubmittedAsync(submissionId, patroller, cancellationToken) ?? await AlreadyRecordedAsync(patrol, patroller, cancellationToken)) is { } raced)
            {
                return raced;
            }
            throw;
        }
        await coverage.RefreshDaysAsync([grid.Id], day, day.AddDays(1), cancellationToken);
        if (problems.Count > 0)
        {
            // The workflow service joins the transaction open here, so a refused report undoes the patrol too.
            for (var i = 0; i < problems.Count; i++)
            {
                var problem = problems[i];
                var address = string.IsNullOrWhiteSpace(problem.Address) ? $"{grid.Name}（巡查发现）" : problem.Address;
                var reported = await workflow.ReportAsync(new ReportCase(problem.CategoryId, problem.Description, problem.Longitude, problem.Latitude,
                    address, CaseSource.GridWorkerPatrol, CasePriority.Normal, patroller.Name, phone, [],
                    PatrolReports.SubmissionId(patrol.Id, i), SubmissionPurpose.PatrolReport), patroller, cancellationToken);
                caseNumbers.Add(reported.Number);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Patrol {PatrolId} recorded in grid {GridCode} by {Patroller}: coverage {Coverage:P1}, {InGrid:P0} of the track in the grid, reports {CaseNumbers}",
            patrol.Id, gridCode, patroller.Name, patrol.CoverageShare, fit.ShareOfTrackInGrid, caseNumbers);
        return new RecordedPatrol(patrol.Id, patrol.CoverageShare, caseNumbers, AlreadyRecorded: false);
    }

    private async Task<RecordedPatrol?> AlreadyRecordedAsync(Patrol patrol, CaseActor patroller, CancellationToken cancellationToken)
    {
        var existing = await db.Patrols.AsNoTracking()
            .Where(p => p.PatrollerStaffId == patrol.PatrollerStaffId && p.GridId == patrol.GridId && p.StartedAt == patrol.StartedAt && p.EndedAt == patrol.EndedAt)
            .Select(p => new { p.Id, p.CoverageShare })
            .FirstOrDefaultAsync(cancellationToken);
        return existing is null ? null : await RecordedAsync(existing.Id, existing.CoverageShare, patrol.PatrollerStaffId, patroller, cancellationToken);
    }

    /// <summary>
    /// The patrol the author's earlier post of this form recorded; null for a new key (or none). The same key used by
    /// someone else is refused (nothing written), never answered with their patrol.
    /// </summary>
    private async Task<RecordedPatrol?> SubmittedAsync(Guid? submissionId, CaseActor patroller, CancellationToken cancellationToken)
    {
        if (submissionId is not { } id)
        {
            return null;
        }
        var found = await db.Patrols.AsNoTracking().Where(p => p.SubmissionId == id)
            .Select(p => new { p.Id, p.CoverageShare, p.PatrollerStaffId }).ToListAsync(cancellationToken);
        if (found.FirstOrDefault(p => p.PatrollerStaffId == patroller.StaffMemberId) is { } own)
        {
            return await RecordedAsync(own.Id, own.CoverageShare, own.PatrollerStaffId, patroller, cancellationToken);
        }
        if (found.Count > 0)
        {
            logger.LogWarning("Patrol submission {SubmissionId} of another patroller refused for {Patroller}", id, patroller.Name);
            throw Submissions.Foreign();
        }
        return null;
    }

    private async Task<RecordedPatrol> RecordedAsync(long patrolId, double coverageShare, int patrollerStaffId, CaseActor patroller, CancellationToken cancellationToken)
    {
        var numbers = await PatrolReports.Of(db.Cases.AsNoTracking(), patrolId, patrollerStaffId).OrderBy(c => c.Number).Select(c => c.Number).ToListAsync(cancellationToken);
        logger.LogInformation("Patrol {PatrolId} posted again by {Patroller}; nothing new written", patrolId, patroller.Name);
        return new RecordedPatrol(patrolId, coverageShare, numbers, AlreadyRecorded: true);
    }
}
