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

    /// <summary>Who saved the review last (a comment or the sign-off), and when: named when a stale save is refused.</summary>
    public int? ChangedByStaffId { get; private set; }
    public DateTimeOffset? ChangedAt { get; private set; }

    /// <summary>The row version (PostgreSQL xmin): a save carries the version its author saw, and a stale one is refused.</summary>
    public uint Version { get; private set; }

    public bool IsSignedOff => SignedOffAt is not null;

    public void SetComment(string? comment, int staffId, DateTimeOffset at)
    {
        RequireOpen();
        Comment = CheckedComment(comment);
        ChangedByStaffId = staffId;
        ChangedAt = at;
    }

    public void SignOff(int leaderStaffId, string? comment, DateTimeOffset at, DateOnly today)
    {
        RequireOpen();
        if (today < Month.AddMonths(1))
        {
            throw new DomainException("review.month-not-over", "本月尚未结束，不能签署月度审核");
        }
        Comment = CheckedComment(comment);
        SignedOffByStaffId = leaderStaffId;
        SignedOffAt = at;
        ChangedByStaffId = leaderStaffId;
        ChangedAt = at;
    }

    /// <summary>
    /// The comment trimmed and checked; control characters (other than tab and line breaks) are refused: PostgreSQL
    /// refuses a NUL in text, and an interactive page's input never passes the HTTP guard against them.
    /// </summary>
    private static string? CheckedComment(string? comment)
    {
        if (comment is not null && comment.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            throw new DomainException("review.comment-control", "审核意见含有不可见的控制字符（如 NUL），请删除这些字符后重试") { Field = DomainFields.ReviewComment.Name };
        }
        return Text.Optional(comment, CommentMaxLength, DomainFields.ReviewComment);
    }

    private void RequireOpen()
    {
        if (IsSignedOff)
        {
            throw new DomainException("review.signed-off", $"{Month:yyyy年M月}的月度审核已签署，不能再修改") { Arguments = [Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)] };
        }
    }
}
