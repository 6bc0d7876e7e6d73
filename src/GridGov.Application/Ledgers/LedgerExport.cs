using System.Runtime.CompilerServices;

namespace GridGov.Application.Ledgers;

/// <summary>
/// A ledger list as an export reads it: the very rows of the list page (the same filter, scope and masking, so a file
/// never tells more than the page), every one of them in the list's order, up to <see cref="LedgerExports.Cap"/>.
/// The rows stream from the database as they are written; nothing holds the whole list in memory.
/// </summary>
/// <param name="Rows">At most <see cref="LedgerExports.Cap"/> + 1 rows: one more than the cap says the cap was reached.</param>
/// <param name="Refusal">Why a resident search searched nothing (no rows then), as the page says it.</param>
public sealed record LedgerExport<TRow>(IAsyncEnumerable<TRow> Rows, DateTimeOffset Now, ResidentSearchRefusal? Refusal = null);

public static class LedgerExports
{
    /// <summary>Rows in one file; a larger list is exported in parts by narrowing the filter.</summary>
    public const int Cap = 100_000;

    internal static LedgerExport<TRow> Of<TRow>(IQueryable<TRow> ordered, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(Stream(ordered.Take(Cap + 1), row => row, cancellationToken), now);

    internal static LedgerExport<TRow> Of<TRead, TRow>(IQueryable<TRead> ordered, Func<TRead, TRow> map, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(Stream(ordered.Take(Cap + 1), map, cancellationToken), now);

    internal static LedgerExport<TRow> Empty<TRow>(DateTimeOffset now, ResidentSearchRefusal? refusal = null) =>
        new(Nothing<TRow>(), now, refusal);

    private static async IAsyncEnumerable<TRow> Stream<TRead, TRow>(
        IQueryable<TRead> rows, Func<TRead, TRow> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsAsyncEnumerable(rows).WithCancellation(cancellationToken))
        {
            yield return map(row);
        }
    }

#pragma warning disable CS1998 // an empty stream awaits nothing
    private static async IAsyncEnumerable<TRow> Nothing<TRow>()
    {
        yield break;
    }
#pragma warning restore CS1998
}
