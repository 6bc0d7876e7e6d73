using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Residents;

/// <summary>
/// Writes a phone's points (积分) as the workflow changes a resident's case, inside the workflow's own transaction and
/// saved by its SaveChanges, so the points and the change that earned them commit together or not at all:
/// <list type="bullet">
/// <item>a resident's own report (<see cref="SubmissionPurpose.ResidentReport"/>: a phone confirmed by a code) registered as a
/// valid case (立案, or 确认现场处置) earns <see cref="ResidentOptions.PointsPerValidReport"/>, once per case;</item>
/// <item>a rejected (不予立案) or merged (合并, a duplicate) report earns nothing — it never reaches registration;</item>
/// <item>a credited case voided later (作废) is reversed (冲正), down to zero at most.</item>
/// </list>
/// Writers of one phone's account take turns on a lock (<see cref="IGridGovDbContext.LockAsync"/>), so a credit, a reversal and
/// a redemption at the same moment never lose an update; the database also refuses a negative balance.
/// </summary>
public sealed class ResidentPointsLedger(IGridGovDbContext db, IOptions<ResidentOptions> options)
{
    public static string LockName(string phone) => "resident-points:" + phone;

    /// <summary>Called by the workflow after a change, before its save: the steps from <paramref name="fromStep"/> on.</summary>
    public async Task OnStepsAsync(Case @case, int fromStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (@case.SubmissionPurpose != SubmissionPurpose.ResidentReport || @case.ReporterPhone is not { } phone)
        {
            return;
        }
        var actions = @case.History.Skip(fromStep).Select(h => h.Action).ToList();
        var validates = actions.Any(a => a is CaseAction.Register or CaseAction.ConfirmOnSpot);
        var voids = actions.Contains(CaseAction.Void);
        if (!validates && !voids)
        {
            return;
        }
        await db.LockAsync(LockName(phone), cancellationToken);
        var entries = await db.ResidentPointEntries.Where(e => e.CaseId == @case.Id).Select(e => new { e.Kind, e.Points }).ToListAsync(cancellationToken);
        var credited = entries.Where(e => e.Kind == PointEntryKind.ValidReport).Sum(e => e.Points);
        var reversed = entries.Any(e => e.Kind == PointEntryKind.Reversal);
        var account = await AccountAsync(phone, now, cancellationToken);
        if (validates && credited == 0 && options.Value.PointsPerValidReport > 0)
        {
            credited = options.Value.PointsPerValidReport;
            db.ResidentPointEntries.Add(account.Credit(PointEntryKind.ValidReport, credited, now, @case.Id, @case.Number, $"上报案件{@case.Number}经立案为有效案件"));
        }
        if (voids && credited > 0 && !reversed && account.Reverse(credited, now, @case.Id, @case.Number) is { } reversal)
        {
            db.ResidentPointEntries.Add(reversal);
        }
    }

    /// <summary>The phone's account, tracked (created when it has none yet); the caller holds <see cref="LockName"/>.</summary>
    internal async Task<ResidentPointAccount> AccountAsync(string phone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await db.ResidentPointAccounts.SingleOrDefaultAsync(a => a.Phone == phone, cancellationToken);
        if (account is null)
        {
            account = new ResidentPointAccount(phone, now);
            db.ResidentPointAccounts.Add(account);
        }
        return account;
    }
}
