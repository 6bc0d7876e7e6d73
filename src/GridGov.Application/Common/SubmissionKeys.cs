using System.Globalization;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Common;

/// <summary>
/// Idempotency keys of the forms that create visits, ledger entries and accounts (cases keep theirs on the case):
/// a replay by the same author answers with the first result, the same key from someone else is refused.
/// </summary>
public static class SubmissionKeys
{
    public static string Staff(CaseActor actor) =>
        "staff:" + (actor.StaffMemberId ?? throw new DomainException("submission.no-author", "只有工作人员可以提交此表单")).ToString(CultureInfo.InvariantCulture);

    public static string User(string userId) => "user:" + userId;

    /// <summary>What the author's earlier submission with this key created; null for a new key (or none).</summary>
    public static async Task<string?> FirstResultAsync(this IGridGovDbContext db, string author, SubmissionPurpose purpose, Guid? submissionId,
        CancellationToken cancellationToken)
    {
        if (submissionId is not { } id)
        {
            return null;
        }
        var found = await db.Submissions.AsNoTracking().Where(s => s.Purpose == purpose && s.SubmissionId == id)
            .Select(s => new { s.Author, s.Result }).ToListAsync(cancellationToken);
        if (found.FirstOrDefault(s => s.Author == author) is { } own)
        {
            return own.Result;
        }
        return found.Count > 0 ? throw Submissions.Foreign() : null;
    }

    /// <summary>
    /// Runs a form's create. Two posts of one submission at the same moment (a double click, two app instances) both find
    /// no earlier result; the key's unique index lets one commit and refuses the other's save, which then answers with
    /// the first post's result, as a replay would.
    /// </summary>
    public static async Task<T> CreateOnceAsync<T>(this IGridGovDbContext db, string author, SubmissionPurpose purpose, Guid? submissionId,
        Func<Task<T>> create, Func<string, Task<T>> firstResult, CancellationToken cancellationToken)
    {
        try
        {
            return await create();
        }
        catch (DbUpdateException) when (submissionId is not null)
        {
            if (await db.FirstResultAsync(author, purpose, submissionId, cancellationToken) is { } first)
            {
                return await firstResult(first);
            }
            throw;
        }
    }

    /// <summary>
    /// Saves a new row the caller has added to the context together with the key that created it, in one transaction, and
    /// answers with the row's id (<paramref name="idOf"/>, read after the save). A post that raced the first one with the
    /// same key answers with the first one's id (<see cref="CreateOnceAsync"/>).
    /// </summary>
    public static Task<int> SaveNewOnceAsync(this IGridGovDbContext db, string author, SubmissionPurpose purpose, Guid? submissionId, Func<int> idOf,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        db.CreateOnceAsync(author, purpose, submissionId, async () =>
            {
                await using var transaction = await db.BeginTransactionAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                var id = idOf();
                db.Remember(author, purpose, submissionId, id, now);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return id;
            },
            first => Task.FromResult(int.Parse(first, CultureInfo.InvariantCulture)), cancellationToken);

    /// <summary>Remembers what the key created; saved with it (one transaction), so a replay finds it.</summary>
    public static void Remember(this IGridGovDbContext db, string author, SubmissionPurpose purpose, Guid? submissionId, object result, DateTimeOffset now)
    {
        if (submissionId is { } id)
        {
            db.Submissions.Add(new SubmissionRecord(author, purpose, id, Convert.ToString(result, CultureInfo.InvariantCulture)!, now));
        }
    }
}
