using GridGov.Domain.Common;

namespace GridGov.Domain.Organisation;

/// <summary>
/// 任职: where a community secretary or a department handler serves (their community or department), from
/// <see cref="Since"/> until <see cref="EndedOn"/> (the first day no longer; null while in force). A move ends the posting in
/// force and starts the next; a posting is never deleted. The place in force is also on the staff member
/// (<see cref="StaffMember.CommunityId"/>, <see cref="StaffMember.DepartmentId"/>), which scopes read.
/// </summary>
public class StaffPosting : Entity
{
    private StaffPosting()
    {
    }

    internal StaffPosting(int staffMemberId, int? communityId, int? departmentId, DateOnly since)
    {
        StaffMemberId = staffMemberId;
        CommunityId = communityId;
        DepartmentId = departmentId;
        Since = since;
    }

    public int StaffMemberId { get; private set; }
    public int? CommunityId { get; private set; }
    public int? DepartmentId { get; private set; }
    public DateOnly Since { get; private set; }
    public DateOnly? EndedOn { get; private set; }

    internal void End(DateOnly endedOn) => EndedOn = endedOn;
}
