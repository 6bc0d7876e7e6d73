using System.Text.Json.Serialization;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

/// <summary>
/// Which ledger rows a staff member may see and change: street roles the whole street, a community
/// secretary the community's grids, grid leaders and workers their own grids, a department handler
/// only the components the department owns. Street leaders read; the others also edit.
/// </summary>
public sealed record LedgerScope(
    bool WholeStreet,
    [property: JsonConverter(typeof(ReadOnlySetJsonConverter<int>))] IReadOnlySet<int> GridIds,
    int? ComponentDepartmentId,
    bool CanSeeSensitive,
    bool CanEdit,
    StaffRole? Role)
{
    /// <summary>Roles that may see (and set) the sensitive group tags (社区矫正, 安置帮教, 吸毒人员, 精神障碍).</summary>
    public static readonly IReadOnlySet<StaffRole> SensitiveRoles = new HashSet<StaffRole>
    {
        StaffRole.Dispatcher, StaffRole.StreetLeader, StaffRole.Administrator, StaffRole.CommunitySecretary,
    };

    /// <summary>
    /// Roles that may reveal a full ID number or phone on a detail page (masked everywhere else), need-to-know:
    /// grid workers and leaders visit and call the people of their own grids, the community secretary those of the
    /// community, and administrators answer for the data (correcting records, requests from the people concerned).
    /// Dispatchers and street leaders work with cases and figures, department handlers see no people: none of them
    /// needs a full number. The scope (<see cref="Covers"/>) limits each role to its own grids.
    /// </summary>
    public static readonly IReadOnlySet<StaffRole> RevealRoles = new HashSet<StaffRole>
    {
        StaffRole.GridWorker, StaffRole.GridLeader, StaffRole.CommunitySecretary, StaffRole.Administrator,
    };

    /// <summary>Whether this person may reveal the full numbers of a row in the given grid.</summary>
    public bool CanReveal(int gridId) => Role is { } role && RevealRoles.Contains(role) && Covers(gridId);

    /// <summary>
    /// A case reporter's phone: as above, and dispatchers too, who call reporters back (registration, 回访).
    /// Department handlers and street leaders do not.
    /// </summary>
    public bool CanRevealReporter(int gridId) => CanReveal(gridId) || Role == StaffRole.Dispatcher;

    /// <summary>Whether people, households and units are visible at all (not to department handlers).</summary>
    public bool SeesPeople => WholeStreet || GridIds.Count > 0;

    public bool Covers(int gridId) => WholeStreet || GridIds.Contains(gridId);

    /// <summary>The places a component list filters by: a department keeps its own components wherever they are in the street.</summary>
    [JsonIgnore]
    public LedgerScope ComponentPlaces => ComponentDepartmentId is null ? this : this with { WholeStreet = true };

    public bool CoversComponent(int gridId, int ownerDepartmentId) =>
        Covers(gridId) || (ComponentDepartmentId is { } department && department == ownerDepartmentId);

    /// <summary>The group tags this person may see, in the order of the enum.</summary>
    public IReadOnlyList<ResidentGroup> VisibleGroups =>
        Enum.GetValues<ResidentGroup>().Where(g => CanSeeSensitive || !g.IsSensitive()).ToList();

    public bool CanSee(ResidentGroup group) => CanSeeSensitive || !group.IsSensitive();

    /// <summary>Refuses a change the person may not make; the message is for the user, under <paramref name="field"/> when given.</summary>
    public void RequireEdit(int gridId, DomainField? field = null)
    {
        if (!CanEdit)
        {
            throw new DomainException("ledger.read-only", "您的角色只能查看台账，不能修改");
        }
        if (!Covers(gridId))
        {
            throw new DomainException("ledger.out-of-scope", "该记录不在您负责的网格范围内") { Field = field?.Name };
        }
    }

    /// <summary>Components may also be kept by the department that owns them.</summary>
    public void RequireEditComponent(int gridId, int ownerDepartmentId, DomainField? field = null)
    {
        if (!CanEdit)
        {
            throw new DomainException("ledger.read-only", "您的角色只能查看台账，不能修改");
        }
        if (!CoversComponent(gridId, ownerDepartmentId))
        {
            throw new DomainException("component.out-of-scope", "该部件不在您负责的范围内") { Field = field?.Name };
        }
    }
}

/// <summary>Builds the <see cref="LedgerScope"/> of an actor from their role, community and grids.</summary>
public sealed class LedgerScopes(IGridGovDbContext db)
{
    public async Task<LedgerScope> ForAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var role = actor.Role;
        var sensitive = role is { } r && LedgerScope.SensitiveRoles.Contains(r);
        switch (role)
        {
            case StaffRole.Dispatcher or StaffRole.Administrator:
                return new LedgerScope(true, new HashSet<int>(), null, sensitive, CanEdit: true, role);
            case StaffRole.StreetLeader:
                return new LedgerScope(true, new HashSet<int>(), null, sensitive, CanEdit: false, role);
            case StaffRole.CommunitySecretary when actor.CommunityId is { } communityId:
                var communityGrids = await db.Grids.AsNoTracking().Where(g => g.CommunityId == communityId).Select(g => g.Id).ToListAsync(cancellationToken);
                return new LedgerScope(false, communityGrids.ToHashSet(), null, sensitive, CanEdit: true, role);
            case StaffRole.GridLeader or StaffRole.GridWorker:
                var codes = actor.GridCodes.ToList();
                var grids = await db.Grids.AsNoTracking().Where(g => codes.Contains(g.Code)).Select(g => g.Id).ToListAsync(cancellationToken);
                return new LedgerScope(false, grids.ToHashSet(), null, sensitive, CanEdit: true, role);
            case StaffRole.DepartmentHandler:
                return new LedgerScope(false, new HashSet<int>(), actor.DepartmentId, sensitive, CanEdit: actor.DepartmentId is not null, role);
            default:
                return new LedgerScope(false, new HashSet<int>(), null, false, CanEdit: false, role);
        }
    }
}
