using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Ledgers;

/// <param name="SubmissionId">The form's idempotency key: a replay answers with the first record.</param>
public sealed record NewFollowUp(int ResidentId, DateOnly? FollowedUpOn, FollowUpWay Way, FollowUpRisk Risk, string? Situation, Guid? SubmissionId = null);

public sealed record FollowUpRow(int Id, DateOnly FollowedUpOn, FollowUpWay Way, FollowUpRisk Risk, string Situation, string StaffName, DateTimeOffset RecordedAt);

/// <summary>A key person's follow-ups as the resident page shows them, and whether the viewer may record one.</summary>
public sealed record FollowUpsView(int ResidentId, IReadOnlyList<FollowUpRow> Rows, bool CanRecord);

/// <summary>
/// Key-person follow-ups (重点人员跟进): recorded for a resident with a sensitive tag by those who may see the tags and keep
/// the ledgers of that resident's grid (community secretaries, dispatchers, administrators), read by those who may see the
/// tags. To everyone else the records do not exist: the same "not found" as for a resident outside the scope.
/// </summary>
public sealed partial class KeyPersonFollowUpService(IGridGovDbContext db, LedgerScopes scopes, TimeProvider clock, ILogger<KeyPersonFollowUpService> logger)
{
    /// <summary>A follow-up may be entered up to this many days after it happened.</summary>
    public const int BackdateDays = 90;

    /// <summary>The resident's follow-ups, newest first; null when the viewer may not know of them.</summary>
    public async Task<FollowUpsView?> ForResidentAsync(int residentId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await KeyPersonAsync(residentId, scope, cancellationToken);
        if (resident is null)
        {
            return null;
        }
        var rows = await db.KeyPersonFollowUps.AsNoTracking()
            .Where(f => f.ResidentId == residentId)
            .OrderByDescending(f => f.FollowedUpOn).ThenByDescending(f => f.Id)
            .Select(f => new FollowUpRow(f.Id, f.FollowedUpOn, f.Way, f.Risk, f.Situation,
                db.StaffMembers.Where(s => s.Id == f.StaffMemberId).Select(s => s.Name).First(), f.RecordedAt))
            .ToListAsync(cancellationToken);
        return new FollowUpsView(residentId, rows, scope.CanEdit && actor.StaffMemberId is not null && resident.RemovedAt is null);
    }

    public async Task<int> RecordAsync(NewFollowUp input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.KeyPersonFollowUp, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await KeyPersonAsync(input.ResidentId, scope, cancellationToken)
            ?? throw new DomainException("follow-up.not-found", "居民不存在、不是重点人员或不在您负责的范围内");
        scope.RequireEdit(resident.GridId);
        if (actor.StaffMemberId is not { } staffId)
        {
            throw new DomainException("ledger.read-only", "您的角色只能查看台账，不能修改");
        }
        if (resident.RemovedAt is not null)
        {
            throw new DomainException("ledger.removed", "该记录已注销，不能再修改");
        }
        var today = WorkingCalendar.ChinaDate(clock.GetUtcNow());
        var day = input.FollowedUpOn ?? today;
        if (day > today)
        {
            throw new DomainException("follow-up.date-future", "跟进日期不能晚于今天") { Field = DomainFields.FollowUpDate.Name };
        }
        if (day < today.AddDays(-BackdateDays))
        {
            throw new DomainException("follow-up.date-too-early", $"只能补录{BackdateDays}天内的跟进记录") { Field = DomainFields.FollowUpDate.Name, Arguments = [BackdateDays] };
        }
        var followUp = new KeyPersonFollowUp(resident.Id, staffId, day, input.Way, input.Risk, input.Situation ?? "", clock.GetUtcNow());
        db.KeyPersonFollowUps.Add(followUp);
        var id = await db.SaveNewOnceAsync(author, SubmissionPurpose.KeyPersonFollowUp, input.SubmissionId, () => followUp.Id, clock.GetUtcNow(), cancellationToken);
        LogRecorded(id, resident.Id, followUp.Risk, staffId);
        return id;
    }

    /// <summary>The resident when he carries a sensitive tag and the viewer may see such tags in his grid; else null.</summary>
    private async Task<Resident?> KeyPersonAsync(int residentId, LedgerScope scope, CancellationToken cancellationToken)
    {
        if (!scope.CanSeeSensitive)
        {
            return null;
        }
        var resident = await db.Residents.AsNoTracking().SingleOrDefaultAsync(r => r.Id == residentId, cancellationToken);
        return resident is not null && scope.Covers(resident.GridId) && resident.Groups.Any(g => g.IsSensitive()) ? resident : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Key-person follow-up {FollowUpId} of resident {ResidentId} recorded ({Risk}) by staff {StaffMemberId}")]
    private partial void LogRecorded(int followUpId, int residentId, FollowUpRisk risk, int staffMemberId);
}
