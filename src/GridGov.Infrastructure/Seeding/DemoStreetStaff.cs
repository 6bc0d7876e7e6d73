using System.Security.Cryptography;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace GridGov.Infrastructure.Seeding;

/// <summary>Staff, their grid duties and their sign-in accounts, ready to copy.</summary>
internal sealed class StaffPlan
{
    public List<SeedRow<StaffMember>> Staff { get; } = [];
    public List<SeedRow<GridAssignment>> Assignments { get; } = [];
    public List<ApplicationUser> Users { get; } = [];
    public List<IdentityUserRole<string>> UserRoles { get; } = [];
}

/// <summary>
/// Everyone who works the demo street (实名落图): per grid a leader (网格长) and 2–3 workers, per
/// community a secretary, per department two handlers, and the center's dispatchers, street leaders
/// and administrators. Each gets an account in the Identity role named after their <see cref="StaffRole"/>.
/// The first person of each role has a short user name (dispatcher1, leader1…); the others are named
/// after their grid, community or department code.
/// </summary>
internal sealed class DemoStreetStaff(
    Random random,
    DateOnly since,
    string passwordHash,
    IReadOnlyDictionary<StaffRole, string> roleIds,
    IdSequence staffIds,
    IdSequence assignmentIds)
{
    public const string FirstHandlerDepartmentCode = ReferenceData.Chengguan;

    /// <summary>The short user names of the demo accounts, one per role, in the order they are shown.</summary>
    public static readonly string[] DemoUserNames =
        ["dispatcher1", "secretary1", "leader1", "worker1", "handler1", "streetleader1", "admin1"];

    private readonly StaffPlan _plan = new();

    public StaffPlan Create(IReadOnlyList<Community> communities, IReadOnlyList<Department> departments)
    {
        for (var i = 1; i <= 4; i++)
        {
            Add(StaffRole.Dispatcher, $"dispatcher{i}", Between(1975, 2000));
        }
        for (var i = 1; i <= 2; i++)
        {
            Add(StaffRole.StreetLeader, $"streetleader{i}", Between(1968, 1982));
        }
        for (var i = 1; i <= 2; i++)
        {
            Add(StaffRole.Administrator, $"admin{i}", Between(1980, 1998));
        }
        // 城管 first, so handler1 works for the department most cases go to.
        var departmentOrder = departments
            .OrderBy(d => d.Code == FirstHandlerDepartmentCode ? 0 : 1)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        foreach (var department in departmentOrder)
        {
            for (var i = 1; i <= 2; i++)
            {
                var userName = department == departmentOrder[0] && i == 1 ? "handler1" : $"handler-{department.Code.ToLowerInvariant()}-{i}";
                Add(StaffRole.DepartmentHandler, userName, Between(1972, 1998), departmentId: department.Id);
            }
        }
        foreach (var community in communities)
        {
            var isFirstCommunity = community == communities[0];
            Add(StaffRole.CommunitySecretary, isFirstCommunity ? "secretary1" : $"secretary-{community.Code}", Between(1966, 1985), community.Id);
            foreach (var grid in community.Grids)
            {
                AddGridTeam(community, grid, isFirstGrid: isFirstCommunity && grid == community.Grids[0]);
            }
        }
        return _plan;
    }

    /// <summary>A leader, a full-time worker, and one or two professional or auxiliary workers.</summary>
    private void AddGridTeam(Community community, Grid grid, bool isFirstGrid)
    {
        var leader = Add(StaffRole.GridLeader, isFirstGrid ? "leader1" : $"leader-{grid.Code}", Between(1970, 1992), community.Id);
        Assign(grid, leader, GridDuty.Leader);

        GridDuty[] workerDuties = random.Next(2) == 0
            ? [GridDuty.FullTimeWorker, GridDuty.ProfessionalWorker, GridDuty.AuxiliaryWorker]
            : [GridDuty.FullTimeWorker, random.Next(2) == 0 ? GridDuty.ProfessionalWorker : GridDuty.AuxiliaryWorker];
        for (var i = 1; i <= workerDuties.Length; i++)
        {
            var userName = isFirstGrid && i == 1 ? "worker1" : $"worker-{grid.Code}-{i}";
            var worker = Add(StaffRole.GridWorker, userName, Between(1975, 2001), community.Id);
            Assign(grid, worker, workerDuties[i - 1]);
        }
    }

    private int Add(StaffRole role, string userName, int birthYear, int? communityId = null, int? departmentId = null)
    {
        var sex = random.Next(2) == 0 ? Sex.Male : Sex.Female;
        var staff = new StaffMember(DemoStreetNames.FullName(sex, birthYear, random), DemoStreetNames.MobilePhone(random), role, communityId, departmentId);
        var staffId = staffIds.Next();
        _plan.Staff.Add(new(staffId, staff));

        var user = new ApplicationUser
        {
            Id = DeterministicGuid().ToString(),
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            PasswordHash = passwordHash,
            // Secrets, not data: these come from the system's cryptographic generator, not the seed.
            SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            PhoneNumber = staff.Phone,
            LockoutEnabled = true,
            DisplayName = staff.Name,
            StaffMemberId = staffId,
        };
        _plan.Users.Add(user);
        _plan.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[role] });
        return staffId;
    }

    private void Assign(Grid grid, int staffId, GridDuty duty) =>
        _plan.Assignments.Add(new(assignmentIds.Next(), new GridAssignment(grid.Code, staffId, duty, since)));

    private int Between(int min, int max) => random.Next(min, max + 1);

    /// <summary>A version-4 GUID drawn from the seeded generator, so user ids repeat with the seed.</summary>
    private Guid DeterministicGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
