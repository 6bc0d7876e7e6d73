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
    public const string ConcurrencyMessage = "该月度审核已被他人更新，请刷新后重试";

    public Task<MonthlyReview> SaveCommentAsync(string gridCode, DateOnly month, string? comment, CaseActor leader, CancellationToken cancellationToken = default) =>
        ChangeAsync(gridCode, month, leader, review =>
        {
            review.SetComment(comment);
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM}: comment saved by {Leader}", gridCode, month, leader.Name);
        }, cancellationToken);

    public Task<MonthlyReview> SignOffAsync(string gridCode, DateOnly month, string? comment, CaseActor leader, CancellationToken cancellationToken = default) =>
        ChangeAsync(gridCode, month, leader, review =>
        {
            var now = clock.GetUtcNow();
            review.SignOff(leader.StaffMemberId!.Value, comment, now, WorkingCalendar.ChinaDate(now));
            logger.LogInformation("Monthly review {GridCode} {Month:yyyy-MM} signed off by {Leader}; the month is frozen", gridCode, month, leader.Name);
        }, cancellationToken);

    private async Task<MonthlyReview> ChangeAsync(string gridCode, DateOnly month, CaseActor leader, Action<MonthlyReview> change, CancellationToken cancellationToken)
    {
        if (!await db.Grids.AnyAsync(g => g.Code == gridCode, cancellationToken))
        {
            throw new DomainException("grid.not-found", "网格不存在");
        }
        if (!await ReviewScope.LeadsAsync(db, leader, gridCode, cancellationToken))
        {
            throw new DomainException("review.not-leader", "只有本网格的网格长可以填写和签署月度审核");
        }
        var review = await db.MonthlyReviews.SingleOrDefaultAsync(r => r.GridCode == gridCode && r.Month == month, cancellationToken);
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
        catch (DbUpdateException)
        {
            // Two first saves of the same grid and month at once: the unique (grid, month) index lets one through.
            throw new DomainException("review.concurrency", ConcurrencyMessage);
        }
        return review;
    }
}
