using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Residents;

/// <summary>Where a report held for review stands.</summary>
public enum HeldReportState
{
    Waiting,   // 待审核
    Released,  // 已放行: it entered the workflow as a case
    Refused,   // 已拒绝
}

/// <summary>
/// A resident's report held for review (待审核上报) instead of entering the workflow, because its phone sent more reports
/// in a day than the street allows. A dispatcher releases it (it becomes a case through the workflow, as if just
/// reported) or refuses it with a reason. The photos are already checked and stored; the row keeps their hashes.
/// </summary>
public class HeldReport
{
    public const int ReasonMaxLength = 200;

    private HeldReport()
    {
        Phone = Description = Address = ClientAddress = "";
        Location = null!;
        PhotoHashes = [];
    }

    public HeldReport(string phone, int categoryId, string description, Point location, string address, IReadOnlyList<CaseEvidence> photos,
        Guid submissionId, string clientAddress, DateTimeOffset now)
    {
        Phone = phone;
        CategoryId = categoryId;
        Description = Text.Require(description, Case.DescriptionMaxLength, DomainFields.Description);
        Location = location;
        Address = Text.Require(address, Case.AddressMaxLength, DomainFields.Address);
        PhotoHashes = photos.Select(p => p.Sha256).ToList();
        SubmissionId = submissionId;
        ClientAddress = clientAddress.Length > ResidentCode.ClientAddressMaxLength ? clientAddress[..ResidentCode.ClientAddressMaxLength] : clientAddress;
        HeldAt = now;
    }

    public long Id { get; private set; }
    public string Phone { get; private set; }
    public int CategoryId { get; private set; }
    public string Description { get; private set; }
    public Point Location { get; private set; }
    public string Address { get; private set; }
    /// <summary>The photos, checked and stored by content hash (the evidence store) when the report was held.</summary>
    public List<string> PhotoHashes { get; private set; }
    /// <summary>The derived submission key of the resident's form: a replay finds this row instead of holding it twice.</summary>
    public Guid SubmissionId { get; private set; }
    public string ClientAddress { get; private set; }
    public DateTimeOffset HeldAt { get; private set; }
    public HeldReportState State { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public int? DecidedByStaffId { get; private set; }
    public string? DecidedByName { get; private set; }
    public string? RefusalReason { get; private set; }
    /// <summary>The case it became once released.</summary>
    public string? CaseNumber { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin): two dispatchers deciding at once, one wins.</summary>
    public uint Version { get; private set; }

    public void Release(CaseActor by, string caseNumber, DateTimeOffset now)
    {
        RequireWaiting();
        State = HeldReportState.Released;
        CaseNumber = caseNumber;
        Decided(by, now);
    }

    public void Refuse(CaseActor by, string reason, DateTimeOffset now)
    {
        RequireWaiting();
        RefusalReason = Text.Require(reason, ReasonMaxLength, DomainFields.HeldRefusalReason);
        State = HeldReportState.Refused;
        Decided(by, now);
    }

    private void Decided(CaseActor by, DateTimeOffset now)
    {
        DecidedAt = now;
        DecidedByStaffId = by.StaffMemberId;
        DecidedByName = by.Name;
    }

    private void RequireWaiting()
    {
        if (State != HeldReportState.Waiting)
        {
            throw new DomainException("held.decided", "该上报已处理过，请刷新后查看");
        }
    }
}
