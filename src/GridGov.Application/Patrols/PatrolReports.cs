using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Application.Patrols;

/// <summary>
/// Links a patrol to the reports (cases) it raised without a column of its own: problem number i of patrol p is
/// reported with a submission id derived from (p, i), so the case is found again through the unique index on
/// <c>cases.submission_id</c>, and a repeated post of the same problem cannot create a second case.
/// The ids are predictable, so they count only as the patroller's own <see cref="SubmissionPurpose.PatrolReport"/> keys:
/// anyone else posting one through a form makes a case of their own that never attaches to the patrol.
/// </summary>
public static class PatrolReports
{
    /// <summary>Most problems one patrol may report.</summary>
    public const int MaxPerPatrol = 10;

    public static Guid SubmissionId(long patrolId, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxPerPatrol);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"gridgov/patrol/{patrolId}/report/{index}")));
        var bytes = hash.AsSpan(0, 16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (name-based, custom hash)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static Guid?[] SubmissionIds(long patrolId) =>
        Enumerable.Range(0, MaxPerPatrol).Select(i => (Guid?)SubmissionId(patrolId, i)).ToArray();

    /// <summary>The cases this patrol raised: its keys, reported by its patroller for this purpose.</summary>
    public static IQueryable<Case> Of(IQueryable<Case> cases, long patrolId, int patrollerStaffId)
    {
        var submissionIds = SubmissionIds(patrolId);
        return cases.Where(c => c.ReporterStaffId == patrollerStaffId && c.SubmissionPurpose == SubmissionPurpose.PatrolReport
            && submissionIds.Contains(c.SubmissionId));
    }
}
