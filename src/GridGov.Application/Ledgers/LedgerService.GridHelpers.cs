using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Ledgers;

/// <summary>A new helper of a grid (网格骨干): the part, who, how to reach him, what he looks after, since when.</summary>
/// <param name="ResidentId">His row in the resident ledger, when registered; the name is then the ledger's.</param>
/// <param name="SubmissionId">The form's idempotency key: a replay answers with the first helper.</param>
public sealed record NewGridHelper(string GridCode, GridHelperRole Role, string? Name, string? Phone, int? ResidentId, string? Coverage, string? Note,
    DateOnly? Since, Guid? SubmissionId = null);

public sealed record GridHelperEdit(GridHelperRole Role, string? Phone, string? Coverage, string? Note);

public sealed partial class LedgerService
{
    /// <summary>The earliest day a helper's part may start: older ledgers are entered with this day or later.</summary>
    public static readonly DateOnly HelperSinceMin = new(1980, 1, 1);

    // ---------- grid helpers (网格骨干, the third 一口清) ----------

    /// <summary>
    /// Enters a helper in a grid of the person's scope. A registered resident may be linked (in a grid of the scope, not
    /// removed); his name is then taken from the ledger. The same phone in the same part of the same grid is refused.
    /// </summary>
    public async Task<int> CreateGridHelperAsync(NewGridHelper input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.GridHelper, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var gridId = await db.Grids.AsNoTracking().Where(g => g.Code == input.GridCode).Select(g => (int?)g.Id).SingleOrDefaultAsync(cancellationToken);
        if (gridId is not { } grid || !scope.Covers(grid))
        {
            throw new DomainException("helper.grid-not-found", "网格不存在或不在您负责的范围内");
        }
        scope.RequireEdit(grid);
        var name = input.Name;
        if (input.ResidentId is { } residentId)
        {
            var resident = await db.Residents.AsNoTracking().Where(r => r.Id == residentId && r.RemovedAt == null)
                .Select(r => new { r.Name, r.GridId }).SingleOrDefaultAsync(cancellationToken);
            if (resident is null || !scope.Covers(resident.GridId))
            {
                throw new DomainException("helper.resident-not-found", "所选居民不存在、已注销或不在您负责的范围内") { Field = DomainFields.HelperName.Name };
            }
            name = resident.Name;
        }
        var since = RequireHelperSince(input.Since);
        var helper = new GridHelper(grid, input.Role, name ?? "", input.Phone ?? "", input.ResidentId, input.Coverage, input.Note, since);
        await RequireNoSameHelperAsync(helper, cancellationToken);
        try
        {
            db.GridHelpers.Add(helper);
            var id = await db.SaveNewOnceAsync(author, SubmissionPurpose.GridHelper, input.SubmissionId, () => helper.Id, clock.GetUtcNow(), cancellationToken);
            LogGridHelperCreated(id, helper.Role, grid, actor.StaffMemberId);
            return id;
        }
        catch (DbUpdateException)
        {
            db.GridHelpers.Entry(helper).State = EntityState.Detached;
            // Two people entered the same helper at the same moment: the unique index let one through.
            await RequireNoSameHelperAsync(helper, cancellationToken);
            throw;
        }
    }

    /// <param name="version">The <see cref="GridHelper.Version"/> the editor saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task UpdateGridHelperAsync(int helperId, uint version, GridHelperEdit input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var helper = await GridHelperAsync(helperId, scope, cancellationToken);
        scope.RequireEdit(helper.GridId);
        RequireNotRemoved(helper.RemovedAt);
        await RequireVersionAsync(nameof(GridHelper), helper.Id, version, helper.Version, cancellationToken);
        helper.Change(input.Role, input.Phone ?? "", input.Coverage, input.Note);
        await RequireNoSameHelperAsync(helper, cancellationToken);
        await SaveEditAsync(nameof(GridHelper), helper.Id, cancellationToken);
        LogGridHelperUpdated(helper.Id, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="GridHelper.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task RemoveGridHelperAsync(int helperId, uint version, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var helper = await GridHelperAsync(helperId, scope, cancellationToken);
        scope.RequireEdit(helper.GridId);
        await RequireVersionAsync(nameof(GridHelper), helper.Id, version, helper.Version, cancellationToken);
        helper.Remove(reason, clock.GetUtcNow());
        await SaveEditAsync(nameof(GridHelper), helper.Id, cancellationToken);
        LogRemoved(nameof(GridHelper), helper.Id, actor.StaffMemberId);
    }

    private DateOnly RequireHelperSince(DateOnly? since)
    {
        var today = WorkingCalendar.ChinaDate(clock.GetUtcNow());
        if (since is not { } day)
        {
            return today;
        }
        if (day > today)
        {
            throw new DomainException("helper.since-future", "担任日期不能晚于今天") { Field = DomainFields.HelperSince.Name };
        }
        return day >= HelperSinceMin
            ? day
            : throw new DomainException("helper.since-too-early", "担任日期不能早于1980年1月1日") { Field = DomainFields.HelperSince.Name };
    }

    private async Task RequireNoSameHelperAsync(GridHelper helper, CancellationToken cancellationToken)
    {
        var same = await db.GridHelpers.AsNoTracking()
            .Where(h => h.GridId == helper.GridId && h.Role == helper.Role && h.Phone == helper.Phone && h.RemovedAt == null && h.Id != helper.Id)
            .Select(h => h.Name).FirstOrDefaultAsync(cancellationToken);
        if (same is not null)
        {
            throw new DomainException("helper.duplicate", $"本网格已有使用该电话的同类骨干（{same}），不能重复登记")
            {
                Field = DomainFields.HelperPhone.Name, Arguments = [same],
            };
        }
    }

    /// <summary>Rows outside the scope answer as "not found": their existence is not disclosed.</summary>
    private async Task<GridHelper> GridHelperAsync(int id, LedgerScope scope, CancellationToken cancellationToken)
    {
        var helper = await db.GridHelpers.SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        return helper is not null && scope.Covers(helper.GridId)
            ? helper
            : throw new DomainException("helper.not-found", "该骨干记录不存在或不在您负责的范围内");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid helper {HelperId} ({Role}) entered in grid {GridId} by staff {StaffMemberId}")]
    private partial void LogGridHelperCreated(int helperId, GridHelperRole role, int gridId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid helper {HelperId} updated by staff {StaffMemberId}")]
    private partial void LogGridHelperUpdated(int helperId, int? staffMemberId);
}
