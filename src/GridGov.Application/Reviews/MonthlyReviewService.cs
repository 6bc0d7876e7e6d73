using System.Data.Common;
using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Reviews;

/// <summary>
/// The grid leader's monthly review (月度审核): a comment, and the sign-off that freezes the grid's month
/// (visits of that month can no longer be added or changed). Only the grid's own leader writes it.
/// </summary>
public sealed class MonthlyReviewService(IGridGovDbContext db, TimeProvider clock, ILogger<MonthlyReviewService> logger)
{
    /// <summary>The code of the refusal of a save on a review someone has changed since it was shown.</summary>
    public const string StaleCode = "review.stale";

    /// <summary>A stale save when no one can be named as the one who changed the review.</summary>
    public const string StaleUnknownCode = "review.stale-unknown";

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    private const string UniqueViolation = "23505";

    /// <param name="version">The <see cref="GridReview.Version"/> the leader saw (0: no review yet); a review changed since is refused (<see cref="StaleCode"/>).</param>
    public Task<MonthlyReview> SaveCommentAsync(string gridCode, DateOnly month, uint version, string? comment, CaseActor leader, CancellationToken cancellationToken = default) =>
        ChangeAsync(gridCode, month, version, leader, review =>
        {
            review.SetComment(comment, leader.StaffMemberId!.Value, clock.GetUtcNow());
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM}: comment saved by {Leader}", gridCode, month, leader.Name);
        }, cancellationToken);

    /// <param name="version">The <see cref="GridReview.Version"/> the leader saw (0: no review yet); a review changed since is refused (<see cref="StaleCode"/>).</param>
    public Task<MonthlyReview> SignOffAsync(string gridCode, DateOnly month, uint version, string? comment, CaseActor leader, CancellationToken cancellationToken = default) =>
        ChangeAsync(gridCode, month, version, leader, review =>
        {
            var now = clock.GetUtcNow();
            review.SignOff(leader.StaffMemberId!.Value, comment, now, WorkingCalendar.ChinaDate(now));
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM} signed off by {Leader}; the month is frozen", gridCode, month, leader.Name);
        }, cancellationToken);

    private async Task<MonthlyReview> ChangeAsync(string gridCode, DateOnly month, uint version, CaseActor leader, Action<MonthlyReview> change,
        CancellationToken cancellationToken)
    {
        if (!await db.Grids.AnyAsync(g => g.Code == gridCode, cancellationToken))
        {
            throw new DomainException("review.grid-not-found", "网格不存在");
        }
        if (!await ReviewScope.LeadsAsync(db, leader, gridCode, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken))
        {
            throw new DomainException("review.not-leader", "只有本网格的网格长可以填写和签署月度审核");
        }
        var review = await db.MonthlyReviews.SingleOrDefaultAsync(r => r.GridCode == gridCode && r.Month == month, cancellationToken);
        // A signed-off month answers as such (the domain refuses any change); an open one must be the version the leader saw.
        if (review is not { IsSignedOff: true } && version != (review?.Version ?? 0))
        {
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM}: save by {Leader} refused, version {Seen} seen, {Current} current",
                gridCode, month, leader.Name, version, review?.Version ?? 0);
            throw await StaleAsync(gridCode, month, cancellationToken);
        }
        if (review is null)
        {
            review = new MonthlyReview(gridCode, month);
            db.MonthlyReviews.Add(review);
        }
        change(review);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || exception.InnerException is DbException { SqlState: UniqueViolation })
        {
            // Saved by someone else between load and save: xmin moved (an update), or the unique (grid, month) index
            // let the other first save through (an insert).
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM}: save by {Leader} refused, changed by someone else between load and save",
                gridCode, month, leader.Name);
            throw await StaleAsync(gridCode, month, cancellationToken);
        }
        return review;
    }

    /// <summary>Names who saved the review last and when (China time).</summary>
    private async Task<DomainException> StaleAsync(string gridCode, DateOnly month, CancellationToken cancellationToken)
    {
        var last = await db.MonthlyReviews.AsNoTracking()
            .Where(r => r.GridCode == gridCode && r.Month == month)
            .Select(r => new { r.ChangedAt, Name = db.StaffMembers.Where(s => s.Id == r.ChangedByStaffId).Select(s => s.Name).SingleOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (last is { ChangedAt: { } at, Name: { } name })
        {
            var when = WorkingCalendar.ToChinaTime(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return new DomainException(StaleCode, $"该月度审核已被{name}于{when}修改，本次保存未生效；请查看最新内容后重新填写") { Arguments = [name, when] };
        }
        return new DomainException(StaleUnknownCode, "该月度审核已被他人修改，本次保存未生效；请查看最新内容后重新填写");
    }
}
