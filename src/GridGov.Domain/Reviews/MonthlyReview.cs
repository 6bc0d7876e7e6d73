using GridGov.Domain.Common;

namespace GridGov.Domain.Reviews;

/// <summary>
/// A grid leader's monthly review (月度审核) of a grid. Once signed off, the month is frozen for that
/// grid: visits of that month can no longer be added or changed.
/// </summary>
public class MonthlyReview
{
    public const int CommentMaxLength = 2000;

    private MonthlyReview()
    {
        GridCode = "";
    }

    public MonthlyReview(string gridCode, DateOnly month)
    {
        if (month.Day != 1)
        {
            throw new DomainException("review.month", "审核月份必须是某月1日");
        }
        GridCode = gridCode;
        Month = month;
    }

    public long Id { get; private set; }
    public string GridCode { get; private set; }
    /// <summary>The first day of the month reviewed.</summary>
    public DateOnly Month { get; private set; }
    public string? Comment { get; private set; }
    public int? SignedOffByStaffId { get; private set; }
    public DateTimeOffset? SignedOffAt { get; private set; }

    public bool IsSignedOff => SignedOffAt is not null;

    public void SetComment(string? comment)
    {
        RequireOpen();
        Comment = Text.Optional(comment, CommentMaxLength, "审核意见");
    }

    public void SignOff(int leaderStaffId, string? comment, DateTimeOffset at, DateOnly today)
    {
        RequireOpen();
        if (today < Month.AddMonths(1))
        {
            throw new DomainException("review.month-not-over", "本月尚未结束，不能签署月度审核");
        }
        Comment = Text.Optional(comment, CommentMaxLength, "审核意见");
        SignedOffByStaffId = leaderStaffId;
        SignedOffAt = at;
    }

    private void RequireOpen()
    {
        if (IsSignedOff)
        {
            throw new DomainException("review.signed-off", $"{Month:yyyy年M月}的月度审核已签署，不能再修改");
        }
    }
}
