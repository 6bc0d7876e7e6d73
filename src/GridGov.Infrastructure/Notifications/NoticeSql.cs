using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Notifications;

/// <summary>
/// A notice's recipients in one statement: residents on the ledgers (not removed, their household not removed) with a
/// phone, in the grids (or, for a compound, in a household of one of its buildings), one per phone number.
/// </summary>
internal sealed class NoticeSql(GridGovDbContext db) : INoticeSql
{
    public async Task<int> CountRecipientsAsync(IReadOnlyCollection<int> gridIds, int? compoundId, CancellationToken cancellationToken = default)
    {
        var grids = gridIds.ToArray();
        return compoundId is { } compound
            ? await db.Database.SqlQuery<int>($"""
                SELECT count(DISTINCT r.phone)::int AS "Value"
                FROM residents r
                JOIN households h ON h.id = r.household_id AND h.removed_at IS NULL
                JOIN buildings b ON b.id = h.building_id
                WHERE b.compound_id = {compound} AND r.removed_at IS NULL AND r.phone IS NOT NULL AND btrim(r.phone) <> ''
                """).SingleAsync(cancellationToken)
            : await db.Database.SqlQuery<int>($"""
                SELECT count(DISTINCT r.phone)::int AS "Value"
                FROM residents r
                LEFT JOIN households h ON h.id = r.household_id
                WHERE r.grid_id = ANY({grids}) AND r.removed_at IS NULL AND (h.id IS NULL OR h.removed_at IS NULL)
                  AND r.phone IS NOT NULL AND btrim(r.phone) <> ''
                """).SingleAsync(cancellationToken);
    }

    public async Task<int> EnqueueAsync(long noticeId, IReadOnlyCollection<int> gridIds, int? compoundId, string text, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var grids = gridIds.ToArray();
        var kind = nameof(NotificationKind.Notice);
        var channel = nameof(NotificationChannel.Sms);
        var pending = nameof(DeliveryStatus.Pending);
        var nameLength = Notification.RecipientMaxLength;
        return compoundId is { } compound
            ? await db.Database.ExecuteSqlAsync($"""
                INSERT INTO notifications (kind, channel, recipient_name, recipient_phone, notice_id, body, created_at, status, attempts)
                SELECT DISTINCT ON (r.phone) {kind}, {channel}, left(r.name, {nameLength}), r.phone, {noticeId}, {text}, {now}, {pending}, 0
                FROM residents r
                JOIN households h ON h.id = r.household_id AND h.removed_at IS NULL
                JOIN buildings b ON b.id = h.building_id
                WHERE b.compound_id = {compound} AND r.removed_at IS NULL AND r.phone IS NOT NULL AND btrim(r.phone) <> ''
                ORDER BY r.phone, r.id
                """, cancellationToken)
            : await db.Database.ExecuteSqlAsync($"""
                INSERT INTO notifications (kind, channel, recipient_name, recipient_phone, notice_id, body, created_at, status, attempts)
                SELECT DISTINCT ON (r.phone) {kind}, {channel}, left(r.name, {nameLength}), r.phone, {noticeId}, {text}, {now}, {pending}, 0
                FROM residents r
                LEFT JOIN households h ON h.id = r.household_id
                WHERE r.grid_id = ANY({grids}) AND r.removed_at IS NULL AND (h.id IS NULL OR h.removed_at IS NULL)
                  AND r.phone IS NOT NULL AND btrim(r.phone) <> ''
                ORDER BY r.phone, r.id
                """, cancellationToken);
    }
}
