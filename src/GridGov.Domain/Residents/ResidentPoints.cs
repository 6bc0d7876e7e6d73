using GridGov.Domain.Common;

namespace GridGov.Domain.Residents;

/// <summary>Why a phone's points (积分) changed.</summary>
public enum PointEntryKind
{
    ValidReport,  // 有效上报: the resident's report was registered as a valid case
    Reversal,     // 冲正: a credited case was voided later
    Redemption,   // 兑换: staff recorded an exchange
}

/// <summary>
/// A phone's points balance (积分账户). The balance never goes below zero: the domain refuses a debit beyond it and the
/// database checks it too; every change is one <see cref="ResidentPointEntry"/> written in the same transaction.
/// </summary>
public class ResidentPointAccount
{
    private ResidentPointAccount()
    {
        Phone = "";
    }

    public ResidentPointAccount(string phone, DateTimeOffset now)
    {
        Phone = Common.Phone.Require(phone, DomainFields.ResidentPhone);
        UpdatedAt = now;
    }

    public string Phone { get; private set; }
    public int Balance { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin): a second writer that did not wait for the lock fails.</summary>
    public uint Version { get; private set; }

    public ResidentPointEntry Credit(PointEntryKind kind, int points, DateTimeOffset now, int? caseId, string? caseNumber, string note)
    {
        if (points <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(points), "A credit adds points.");
        }
        Balance += points;
        UpdatedAt = now;
        return new ResidentPointEntry(Phone, kind, points, Balance, now, caseId, caseNumber, null, note);
    }

    /// <summary>Takes points off; more than the balance is refused (a redemption) — a reversal takes what is left (<see cref="Reverse"/>).</summary>
    public ResidentPointEntry Debit(PointEntryKind kind, int points, DateTimeOffset now, int? caseId, string? caseNumber, long? redemptionId, string note)
    {
        if (points <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(points), "A debit takes points.");
        }
        if (points > Balance)
        {
            throw new DomainException("points.insufficient", $"积分不足：需要{points}分，当前余额{Balance}分") { Arguments = [points, Balance] };
        }
        Balance -= points;
        UpdatedAt = now;
        return new ResidentPointEntry(Phone, kind, -points, Balance, now, caseId, caseNumber, redemptionId, note);
    }

    /// <summary>
    /// 冲正 of a case's credit when the case is voided: the credit comes off, but never below zero — points already
    /// exchanged are not taken back from a person's hands; the entry says how much could not be reversed. Null when
    /// nothing is left to take.
    /// </summary>
    public ResidentPointEntry? Reverse(int credited, DateTimeOffset now, int caseId, string caseNumber)
    {
        var taken = Math.Min(credited, Balance);
        if (taken <= 0)
        {
            return null;
        }
        var note = taken == credited ? $"案件{caseNumber}已作废，冲正" : $"案件{caseNumber}已作废，冲正{taken}分（其余{credited - taken}分已兑换）";
        return Debit(PointEntryKind.Reversal, taken, now, caseId, caseNumber, null, note);
    }
}

/// <summary>One line of a phone's points ledger (积分明细); the ledger is append-only.</summary>
public class ResidentPointEntry
{
    public const int NoteMaxLength = 200;

    private ResidentPointEntry()
    {
        Phone = Note = "";
    }

    internal ResidentPointEntry(string phone, PointEntryKind kind, int points, int balanceAfter, DateTimeOffset at, int? caseId, string? caseNumber,
        long? redemptionId, string note)
    {
        Phone = phone;
        Kind = kind;
        Points = points;
        BalanceAfter = balanceAfter;
        At = at;
        CaseId = caseId;
        CaseNumber = caseNumber;
        RedemptionId = redemptionId;
        Note = note.Length > NoteMaxLength ? note[..NoteMaxLength] : note;
    }

    public long Id { get; private set; }
    public string Phone { get; private set; }
    public PointEntryKind Kind { get; private set; }
    /// <summary>Signed: credits positive, reversals and redemptions negative.</summary>
    public int Points { get; private set; }
    public int BalanceAfter { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? CaseId { get; private set; }
    public string? CaseNumber { get; private set; }
    public long? RedemptionId { get; private set; }
    public string Note { get; private set; }
}
