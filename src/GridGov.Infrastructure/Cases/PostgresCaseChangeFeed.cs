using System.Text.Json;
using GridGov.Application.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Cases;

/// <summary>
/// Announces a case change inside the open transaction: <c>pg_notify</c> on <see cref="Channel"/>, which PostgreSQL
/// delivers to every listening node only when the transaction commits (and never when it rolls back), and the same
/// change kept for this node's notifier until the commit (<see cref="CaseChangeCommits"/>).
/// </summary>
internal sealed class PostgresCaseChangeFeed(GridGovDbContext db, CaseChangeCommits commits, CaseChangeNotifier notifier) : ICaseChangeFeed
{
    public const string Channel = "gridgov_case_changed";

    public async Task EnlistAsync(CaseChanged change, CancellationToken cancellationToken = default)
    {
        // Outside a transaction the NOTIFY would go out at once, before the change is safe: refuse rather than lie.
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A case change is announced inside the transaction that makes it.");
        var payload = JsonSerializer.Serialize(new CaseChangeMessage(notifier.NodeId, change.CaseId, change.Number, change.State.ToString()));
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
        commits.Add(transaction.TransactionId, change);
    }
}

/// <summary>The NOTIFY payload: which node made the change (it has raised it already), and the case.</summary>
internal sealed record CaseChangeMessage(Guid Node, int Id, string Number, string State);
