using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Residents;

public sealed record PointEntryRow(DateTimeOffset At, PointEntryKind Kind, int Points, int BalanceAfter, string? CaseNumber, string Note);

/// <summary>A phone's points: the balance and the latest ledger lines (newest first).</summary>
public sealed record PointsStatement(string MaskedPhone, int Balance, IReadOnlyList<PointEntryRow> Entries);

public sealed record ExchangeItemRow(int Id, string Name, int Points, int Stock, bool IsActive, uint Version);

public sealed record ExchangeItemInput(string? Name, int Points, int Stock, bool IsActive);

/// <summary>What a redemption left: the new balance and what was handed out.</summary>
public sealed record RedemptionDone(long RedemptionId, string ItemName, int Points, int Balance);

/// <summary>
/// Points (积分) outside the workflow: a phone's statement (the resident's own page, staff at the counter), the exchange list
/// (积分兑换, kept by administrators) and redemptions recorded by staff. A redemption takes the phone's points lock
/// (<see cref="ResidentPointsLedger.LockName"/>) so two redemptions — or a redemption and a credit — take turns and the
/// balance never goes negative; the item's stock is guarded by its version. Each write is audited (the audit interceptor).
/// </summary>
public sealed partial class ResidentPointsService(IGridGovDbContext db, TimeProvider clock, ILogger<ResidentPointsService> logger)
{
    public const int StatementLines = 50;

    /// <summary>Who records redemptions at the counter: the center's dispatchers, community secretaries and administrators.</summary>
    public static readonly IReadOnlySet<StaffRole> CounterRoles = new HashSet<StaffRole> { StaffRole.Dispatcher, StaffRole.CommunitySecretary, StaffRole.Administrator };

    /// <summary>Who keeps the exchange list: administrators.</summary>
    public static readonly IReadOnlySet<StaffRole> ListRoles = new HashSet<StaffRole> { StaffRole.Administrator };

    public async Task<PointsStatement> StatementAsync(string phone, CancellationToken cancellationToken = default)
    {
        var number = Phone.Require(phone, DomainFields.ResidentPhone);
        var balance = await db.ResidentPointAccounts.AsNoTracking().Where(a => a.Phone == number).Select(a => (int?)a.Balance).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var entries = await db.ResidentPointEntries.AsNoTracking().Where(e => e.Phone == number)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(StatementLines)
            .Select(e => new PointEntryRow(e.At, e.Kind, e.Points, e.BalanceAfter, e.CaseNumber, e.Note))
            .ToListAsync(cancellationToken);
        return new PointsStatement(ResidentCodes.Mask(number), balance, entries);
    }

    /// <summary>A phone's statement for staff at the counter (the number typed in full by the resident present).</summary>
    public Task<PointsStatement> StatementForStaffAsync(string? phone, CaseActor actor, CancellationToken cancellationToken = default)
    {
        Require(actor, CounterRoles);
        return StatementAsync(phone ?? "", cancellationToken);
    }

    public async Task<IReadOnlyList<ExchangeItemRow>> ItemsAsync(bool activeOnly, CancellationToken cancellationToken = default) =>
        await db.ExchangeItems.AsNoTracking().Where(i => !activeOnly || i.IsActive).OrderBy(i => i.Points).ThenBy(i => i.Name)
            .Select(i => new ExchangeItemRow(i.Id, i.Name, i.Points, i.Stock, i.IsActive, i.Version)).ToListAsync(cancellationToken);

    public async Task<int> AddItemAsync(ExchangeItemInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        Require(actor, ListRoles);
        var item = new ExchangeItem(input.Name ?? "", input.Points, input.Stock, input.IsActive);
        await RequireUniqueNameAsync(item.Name, null, cancellationToken);
        db.ExchangeItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        LogItem(item.Id, item.Name, actor.Name);
        return item.Id;
    }

    /// <summary>An edit on the version the administrator saw; a change since then is refused.</summary>
    public async Task UpdateItemAsync(int id, ExchangeItemInput input, uint version, CaseActor actor, CancellationToken cancellationToken = default)
    {
        Require(actor, ListRoles);
        var item = await db.ExchangeItems.SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new DomainException("exchange.not-found", "兑换物品不存在");
        if (item.Version != version)
        {
            throw new DomainException("exchange.stale", "该物品已被他人修改或已兑换，请刷新后重试");
        }
        item.Update(input.Name ?? "", input.Points, input.Stock, input.IsActive);
        await RequireUniqueNameAsync(item.Name, id, cancellationToken);
        await SaveAsync(cancellationToken);
        LogItem(item.Id, item.Name, actor.Name);
    }

    /// <summary>兑换: the phone's points for one piece of the item, recorded by the staff member at the counter.</summary>
    public async Task<RedemptionDone> RedeemAsync(string? phone, int itemId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        Require(actor, CounterRoles);
        var number = Phone.Require(phone ?? "", DomainFields.ResidentPhone);
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.LockAsync(ResidentPointsLedger.LockName(number), cancellationToken);
        var item = await db.ExchangeItems.SingleOrDefaultAsync(i => i.Id == itemId, cancellationToken)
            ?? throw DomainException.For(DomainFields.ExchangeItem, "exchange.not-found", "兑换物品不存在");
        var account = await db.ResidentPointAccounts.SingleOrDefaultAsync(a => a.Phone == number, cancellationToken);
        if (account is null || account.Balance < item.Points)
        {
            throw new DomainException("points.insufficient", $"积分不足：需要{item.Points}分，当前余额{account?.Balance ?? 0}分") { Arguments = [item.Points, account?.Balance ?? 0] };
        }
        item.TakeOne();
        var redemption = new Redemption(number, item, actor.StaffMemberId, actor.Name, now);
        db.Redemptions.Add(redemption);
        await SaveAsync(cancellationToken);
        db.ResidentPointEntries.Add(account.Debit(PointEntryKind.Redemption, item.Points, now, null, null, redemption.Id, $"兑换“{item.Name}”"));
        await SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRedeemed(ResidentCodes.Mask(number), item.Name, item.Points, actor.Name);
        return new RedemptionDone(redemption.Id, item.Name, item.Points, account.Balance);
    }

    private async Task RequireUniqueNameAsync(string name, int? except, CancellationToken cancellationToken)
    {
        if (await db.ExchangeItems.AnyAsync(i => i.Name == name && i.Id != except, cancellationToken))
        {
            throw DomainException.For(DomainFields.ExchangeItemName, "exchange.name-taken", $"已有名为“{name}”的兑换物品", name);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("exchange.stale", "该物品已被他人修改或已兑换，请刷新后重试");
        }
    }

    private static void Require(CaseActor actor, IReadOnlySet<StaffRole> roles)
    {
        if (actor.Role is not { } role || !roles.Contains(role))
        {
            throw new DomainException("points.forbidden", "您的角色不能办理积分兑换");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange item {ItemId} {Name} saved by {Actor}")]
    private partial void LogItem(int itemId, string name, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Phone} redeemed {Item} for {Points} points, recorded by {Actor}")]
    private partial void LogRedeemed(string phone, string item, int points, string actor);
}
