using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Ledgers;

/// <param name="SubmissionId">The form's idempotency key: a replay answers with the first resident.</param>
public sealed record NewResident(int HouseholdId, string Name, string IdNumber, string? Phone, PopulationKind PopulationKind, IReadOnlyCollection<ResidentGroup> Groups,
    Guid? SubmissionId = null);

/// <summary>The editable facts of a resident. <see cref="Groups"/> holds the ticked tags among those the editor can see.</summary>
public sealed record ResidentEdit(string Name, string? Phone, PopulationKind PopulationKind, IReadOnlyCollection<ResidentGroup> Groups);

/// <summary>A new household: its address (unique among the households on record), room, kind, and a point on the map that gives its grid.</summary>
/// <param name="SubmissionId">The form's idempotency key: a replay answers with the first household.</param>
public sealed record NewHousehold(string Address, string Dwelling, HouseholdKind Kind, double Longitude, double Latitude, Guid? SubmissionId = null);

/// <summary>A new component: its whole 16-digit code as typed, name, state, owner, and the point that gives its grid.</summary>
/// <param name="SubmissionId">The form's idempotency key: a replay answers with the first component.</param>
public sealed record NewComponent(string Code, string Name, ComponentState State, int OwnerDepartmentId, double Longitude, double Latitude,
    Guid? SubmissionId = null);

public sealed record HouseholdEdit(HouseholdKind Kind, string Address, string Dwelling, int? HeadResidentId);

public sealed record UnitInput(
    string Name, UnitKind Kind, string Address, double Longitude, double Latitude, int EmployeeCount,
    string ContactName, string ContactPhone, bool HasPartyOrganisation, int PartyMemberCount, bool IsSmallVenue = false, string? CreditCode = null);

public sealed record ComponentEdit(
    string Name, ComponentClass MajorClass, int MinorClass, int Serial, ComponentState State, int OwnerDepartmentId,
    double? Longitude, double? Latitude);

/// <summary>
/// Every change to the ledgers (台账) goes through here: scope and role are checked, the domain validates,
/// and the save records the change (AuditInterceptor). Refusals are <see cref="DomainException"/>s
/// with messages for the user.
/// </summary>
public sealed partial class LedgerService(
    IGridGovDbContext db,
    LedgerScopes scopes,
    ISpatialQueries spatial,
    TimeProvider clock,
    ILogger<LedgerService> logger)
{
    // ---------- residents ----------

    public async Task<int> CreateResidentAsync(NewResident input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.Resident, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var idNumber = IdNumber.Parse(input.IdNumber);
        if (idNumber.BirthDate > Domain.Calendar.WorkingCalendar.ChinaDate(clock.GetUtcNow()))
        {
            throw new DomainException("id-number.birth-future", "身份证号码中的出生日期晚于今天，请核对") { Field = DomainFields.IdNumber.Name };
        }
        var groups = input.Groups.Select(group => RequireDefined(group, DomainFields.ResidentGroups)).ToList();
        var household = await ActiveHouseholdAsync(input.HouseholdId, scope, cancellationToken);
        scope.RequireEdit(household.GridId, DomainFields.Household);
        await RequireUnusedIdNumberAsync(idNumber.Value, scope, cancellationToken);

        var resident = new Resident(household.GridId, household.Id, input.Name, idNumber,
            string.IsNullOrWhiteSpace(input.Phone) ? null : input.Phone, RequireDefined(input.PopulationKind, DomainFields.PopulationKind));
        foreach (var group in groups.Where(scope.CanSee))
        {
            resident.Tag(group);
        }
        db.Residents.Add(resident);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Remember(author, SubmissionPurpose.Resident, input.SubmissionId, resident.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.Residents.Entry(resident).State = EntityState.Detached;
            foreach (var remembered in db.Submissions.Local.ToList())
            {
                db.Submissions.Entry(remembered).State = EntityState.Detached;
            }
            // A replay that raced its first submission answers with the first resident.
            if (await db.FirstResultAsync(author, SubmissionPurpose.Resident, input.SubmissionId, cancellationToken) is { } raced)
            {
                return int.Parse(raced, System.Globalization.CultureInfo.InvariantCulture);
            }
            // Two people registered the same number at the same moment: the unique index let one through.
            if (await db.Residents.AsNoTracking().AnyAsync(r => r.IdNumber == idNumber.Value, cancellationToken))
            {
                throw IdNumberTaken();
            }
            throw;
        }
        LogResidentCreated(resident.Id, household.Id, actor.StaffMemberId);
        return resident.Id;
    }

    /// <param name="version">The <see cref="Resident.Version"/> the editor saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task UpdateResidentAsync(int residentId, uint version, ResidentEdit input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await ResidentAsync(residentId, scope, cancellationToken);
        scope.RequireEdit(resident.GridId);
        RequireNotRemoved(resident.RemovedAt);
        await RequireVersionAsync(nameof(Resident), resident.Id, version, resident.Version, cancellationToken);
        resident.Rename(input.Name);
        resident.ChangePhone(input.Phone);
        resident.SetPopulationKind(RequireDefined(input.PopulationKind, DomainFields.PopulationKind));
        // Only the tags the editor can see change; sensitive tags they cannot see stay as they are.
        foreach (var group in scope.VisibleGroups)
        {
            if (input.Groups.Contains(group))
            {
                resident.Tag(group);
            }
            else
            {
                resident.Untag(group);
            }
        }
        await SaveEditAsync(nameof(Resident), resident.Id, cancellationToken);
        LogResidentUpdated(resident.Id, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="Resident.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task MoveResidentAsync(int residentId, uint version, int householdId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await ResidentAsync(residentId, scope, cancellationToken);
        scope.RequireEdit(resident.GridId);
        await RequireVersionAsync(nameof(Resident), resident.Id, version, resident.Version, cancellationToken);
        var target = await db.Households.SingleOrDefaultAsync(h => h.Id == householdId, cancellationToken)
            ?? throw new DomainException("household.target-not-found", $"户{householdId}不存在") { Field = DomainFields.Household.Name, Arguments = [householdId] };
        if (!scope.Covers(target.GridId))
        {
            throw new DomainException("household.target-out-of-scope", "目标户不在您负责的网格范围内，请联系所在社区办理迁移") { Field = DomainFields.Household.Name };
        }
        var from = resident.HouseholdId;
        resident.MoveToHousehold(target);
        await ClearHeadAsync(from, resident.Id, cancellationToken);
        await SaveEditAsync(nameof(Resident), resident.Id, cancellationToken);
        LogResidentMoved(resident.Id, from, target.Id, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="Resident.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task RemoveResidentAsync(int residentId, uint version, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await ResidentAsync(residentId, scope, cancellationToken);
        scope.RequireEdit(resident.GridId);
        await RequireVersionAsync(nameof(Resident), resident.Id, version, resident.Version, cancellationToken);
        resident.Remove(reason, clock.GetUtcNow());
        await ClearHeadAsync(resident.HouseholdId, resident.Id, cancellationToken);
        await SaveEditAsync(nameof(Resident), resident.Id, cancellationToken);
        LogRemoved(nameof(Resident), resident.Id, actor.StaffMemberId);
    }

    // ---------- households ----------

    /// <summary>
    /// Registers a household at an address no household on record has (the key the import matches households by), in the
    /// grid its point falls in, which must be one of the creator's.
    /// </summary>
    public async Task<int> CreateHouseholdAsync(NewHousehold input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.Household, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var kind = RequireDefined(input.Kind, DomainFields.HouseholdKind);
        var (_, gridId) = await LocateAsync(input.Longitude, input.Latitude, DomainFields.Location, scope, cancellationToken);
        var household = new Household(gridId, null, input.Address, input.Dwelling, kind);
        await RequireUnusedAddressAsync(household.Address, scope, cancellationToken);
        db.Households.Add(household);
        var id = await db.SaveNewOnceAsync(author, SubmissionPurpose.Household, input.SubmissionId, () => household.Id, clock.GetUtcNow(), cancellationToken);
        LogHouseholdCreated(id, gridId, actor.StaffMemberId);
        return id;
    }

    /// <param name="version">The <see cref="Household.Version"/> the editor saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task UpdateHouseholdAsync(int householdId, uint version, HouseholdEdit input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var household = await HouseholdAsync(householdId, scope, cancellationToken);
        scope.RequireEdit(household.GridId);
        RequireNotRemoved(household.RemovedAt);
        await RequireVersionAsync(nameof(Household), household.Id, version, household.Version, cancellationToken);
        household.ChangeKind(RequireDefined(input.Kind, DomainFields.HouseholdKind));
        household.ChangeAddress(input.Address, input.Dwelling);
        if (input.HeadResidentId is null)
        {
            household.ClearHead();
        }
        else if (input.HeadResidentId is { } headId && headId != household.HeadResidentId)
        {
            var head = await db.Residents.SingleOrDefaultAsync(r => r.Id == headId && r.RemovedAt == null, cancellationToken)
                ?? throw new DomainException("household.head-not-registered", "户主必须是本户在册成员") { Field = DomainFields.HouseholdHead.Name };
            household.SetHead(head);
        }
        await SaveEditAsync(nameof(Household), household.Id, cancellationToken);
        LogHouseholdUpdated(household.Id, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="Household.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task RemoveHouseholdAsync(int householdId, uint version, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var household = await HouseholdAsync(householdId, scope, cancellationToken);
        scope.RequireEdit(household.GridId);
        await RequireVersionAsync(nameof(Household), household.Id, version, household.Version, cancellationToken);
        var members = await db.Residents.CountAsync(r => r.HouseholdId == household.Id && r.RemovedAt == null, cancellationToken);
        if (members > 0)
        {
            throw new DomainException("household.has-members", $"该户还有{members}名在册成员，请先将成员迁出或注销") { Arguments = [members] };
        }
        household.Remove(reason, clock.GetUtcNow());
        await SaveEditAsync(nameof(Household), household.Id, cancellationToken);
        LogRemoved(nameof(Household), household.Id, actor.StaffMemberId);
    }

    // ---------- units ----------

    /// <param name="submissionId">The form's idempotency key: a replay answers with the first unit.</param>
    public async Task<int> CreateUnitAsync(UnitInput input, CaseActor actor, Guid? submissionId = null, CancellationToken cancellationToken = default)
    {
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.Unit, submissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var (point, gridId) = await LocateAsync(input.Longitude, input.Latitude, DomainFields.UnitLocation, scope, cancellationToken);
        var unit = new Unit(gridId, input.Name, RequireDefined(input.Kind, DomainFields.UnitKind), input.Address, point, input.EmployeeCount, input.ContactName, input.ContactPhone);
        unit.SetParty(input.HasPartyOrganisation, input.PartyMemberCount);
        unit.SetSmallVenue(input.IsSmallVenue);
        unit.SetCreditCode(input.CreditCode);
        await RequireUnusedCreditCodeAsync(unit.CreditCode, null, cancellationToken);
        try
        {
            return await db.CreateOnceAsync(author, SubmissionPurpose.Unit, submissionId, async () =>
                {
                    db.Units.Add(unit);
                    await using var transaction = await db.BeginTransactionAsync(cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    db.Remember(author, SubmissionPurpose.Unit, submissionId, unit.Id, clock.GetUtcNow());
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    LogUnitCreated(unit.Id, gridId, actor.StaffMemberId);
                    return unit.Id;
                },
                first => Task.FromResult(int.Parse(first, System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        }
        catch (DbUpdateException) when (unit.CreditCode is not null)
        {
            // Two people gave one credit code at the same moment: the unique index let one through.
            db.Units.Entry(unit).State = EntityState.Detached;
            await RequireUnusedCreditCodeAsync(unit.CreditCode, null, cancellationToken);
            throw;
        }
    }

    /// <param name="version">The <see cref="Unit.Version"/> the editor saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task UpdateUnitAsync(int unitId, uint version, UnitInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var unit = await UnitAsync(unitId, scope, cancellationToken);
        scope.RequireEdit(unit.GridId);
        RequireNotRemoved(unit.RemovedAt);
        await RequireVersionAsync(nameof(Unit), unit.Id, version, unit.Version, cancellationToken);
        if (Math.Abs(unit.Location.X - input.Longitude) > 1e-9 || Math.Abs(unit.Location.Y - input.Latitude) > 1e-9)
        {
            var (point, gridId) = await LocateAsync(input.Longitude, input.Latitude, DomainFields.UnitLocation, scope, cancellationToken);
            unit.Relocate(point, gridId);
        }
        // Party members first when the size shrinks below them, size first when it grows: SetParty checks against the size.
        if (input.EmployeeCount >= unit.EmployeeCount)
        {
            unit.Update(input.Name, RequireDefined(input.Kind, DomainFields.UnitKind), input.Address, input.EmployeeCount, input.ContactName, input.ContactPhone);
            unit.SetParty(input.HasPartyOrganisation, input.PartyMemberCount);
        }
        else
        {
            unit.SetParty(input.HasPartyOrganisation, input.PartyMemberCount);
            unit.Update(input.Name, RequireDefined(input.Kind, DomainFields.UnitKind), input.Address, input.EmployeeCount, input.ContactName, input.ContactPhone);
        }
        unit.SetSmallVenue(input.IsSmallVenue);
        unit.SetCreditCode(input.CreditCode);
        await RequireUnusedCreditCodeAsync(unit.CreditCode, unit.Id, cancellationToken);
        try
        {
            await SaveEditAsync(nameof(Unit), unit.Id, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is not DbUpdateConcurrencyException && unit.CreditCode is not null)
        {
            db.Units.Entry(unit).State = EntityState.Detached;
            await RequireUnusedCreditCodeAsync(unit.CreditCode, unit.Id, cancellationToken);
            throw;
        }
        LogUnitUpdated(unit.Id, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="Unit.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task RemoveUnitAsync(int unitId, uint version, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var unit = await UnitAsync(unitId, scope, cancellationToken);
        scope.RequireEdit(unit.GridId);
        await RequireVersionAsync(nameof(Unit), unit.Id, version, unit.Version, cancellationToken);
        unit.Remove(reason, clock.GetUtcNow());
        await SaveEditAsync(nameof(Unit), unit.Id, cancellationToken);
        LogRemoved(nameof(Unit), unit.Id, actor.StaffMemberId);
    }

    // ---------- components ----------

    /// <summary>
    /// Registers a component by its whole code (the rules of <see cref="Component.FromCode"/>; a code in use is refused),
    /// in the grid its point falls in: one of the creator's grids, or anywhere for the department that owns it.
    /// </summary>
    public async Task<int> CreateComponentAsync(NewComponent input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.Component, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (!scope.CanEdit)
        {
            throw new DomainException("ledger.read-only", "您的角色只能查看台账，不能修改");
        }
        var state = RequireDefined(input.State, DomainFields.ComponentState);
        if (!await db.Departments.AsNoTracking().AnyAsync(d => d.Id == input.OwnerDepartmentId, cancellationToken))
        {
            throw new DomainException("component.owner-not-found", "权属部门不存在") { Field = DomainFields.ComponentOwner.Name };
        }
        var (point, gridId) = await LocateAsync(input.Longitude, input.Latitude, DomainFields.ComponentLocation, scope, cancellationToken, input.OwnerDepartmentId);
        var component = Component.FromCode(gridId, input.Code, input.Name, point, input.OwnerDepartmentId);
        component.ChangeState(state);
        if (await db.Components.AsNoTracking().AnyAsync(c => c.Code == component.Code, cancellationToken))
        {
            throw CodeTaken(component.Code);
        }
        try
        {
            db.Components.Add(component);
            var id = await db.SaveNewOnceAsync(author, SubmissionPurpose.Component, input.SubmissionId, () => component.Id, clock.GetUtcNow(), cancellationToken);
            LogComponentCreated(id, component.Code, gridId, actor.StaffMemberId);
            return id;
        }
        catch (DbUpdateException)
        {
            db.Components.Entry(component).State = EntityState.Detached;
            // Two people registered the same code at the same moment: the unique index let one through.
            if (await db.Components.AsNoTracking().AnyAsync(c => c.Code == component.Code, cancellationToken))
            {
                throw CodeTaken(component.Code);
            }
            throw;
        }
    }

    private static DomainException CodeTaken(string code) =>
        new("component.code-taken", $"部件编码{code}已被其他部件使用") { Field = DomainFields.ComponentCode.Name, Arguments = [code] };

    /// <param name="version">The <see cref="Component.Version"/> the editor saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task UpdateComponentAsync(int componentId, uint version, ComponentEdit input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var component = await db.Components.SingleOrDefaultAsync(c => c.Id == componentId, cancellationToken);
        if (component is null || !scope.CoversComponent(component.GridId, component.OwnerDepartmentId))
        {
            throw new DomainException("component.not-found", "部件不存在或不在您负责的范围内");
        }
        scope.RequireEditComponent(component.GridId, component.OwnerDepartmentId);
        RequireNotRemoved(component.RemovedAt);
        await RequireVersionAsync(nameof(Component), component.Id, version, component.Version, cancellationToken);
        component.Rename(input.Name);
        var oldCode = component.Code;
        component.Reclassify(RequireDefined(input.MajorClass, DomainFields.ComponentClass), input.MinorClass, input.Serial);
        if (component.Code != oldCode && await db.Components.AsNoTracking().AnyAsync(c => c.Code == component.Code && c.Id != component.Id, cancellationToken))
        {
            throw CodeTaken(component.Code);
        }
        component.ChangeState(RequireDefined(input.State, DomainFields.ComponentState));
        if (input.OwnerDepartmentId != component.OwnerDepartmentId)
        {
            if (!await db.Departments.AsNoTracking().AnyAsync(d => d.Id == input.OwnerDepartmentId, cancellationToken))
            {
                throw new DomainException("component.owner-not-found", "权属部门不存在") { Field = DomainFields.ComponentOwner.Name };
            }
            component.ChangeOwner(input.OwnerDepartmentId);
        }
        if (input is { Longitude: { } longitude, Latitude: { } latitude }
            && (Math.Abs(component.Location.X - longitude) > 1e-9 || Math.Abs(component.Location.Y - latitude) > 1e-9))
        {
            var (point, gridId) = await LocateAsync(longitude, latitude, DomainFields.ComponentLocation, scope, cancellationToken, component.OwnerDepartmentId);
            component.Relocate(point, gridId);
        }
        await SaveEditAsync(nameof(Component), component.Id, cancellationToken);
        LogComponentUpdated(component.Id, component.Code, actor.StaffMemberId);
    }

    /// <param name="version">The <see cref="Component.Version"/> the person saw; a row changed since is refused (<see cref="StaleCode"/>).</param>
    public async Task RemoveComponentAsync(int componentId, uint version, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var component = await db.Components.SingleOrDefaultAsync(c => c.Id == componentId, cancellationToken);
        if (component is null || !scope.CoversComponent(component.GridId, component.OwnerDepartmentId))
        {
            throw new DomainException("component.not-found", "部件不存在或不在您负责的范围内");
        }
        scope.RequireEditComponent(component.GridId, component.OwnerDepartmentId);
        await RequireVersionAsync(nameof(Component), component.Id, version, component.Version, cancellationToken);
        component.Remove(reason, clock.GetUtcNow());
        await SaveEditAsync(nameof(Component), component.Id, cancellationToken);
        LogRemoved(nameof(Component), component.Id, actor.StaffMemberId);
    }

    // ---------- helpers ----------

    /// <summary>The code of the refusal of an edit made on a row someone else has changed since it was shown.</summary>
    public const string StaleCode = "ledger.stale";

    /// <summary>A stale save when no one can be named as the one who changed the row.</summary>
    public const string StaleUnknownCode = "ledger.stale-unknown";

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    private static void RequireNotRemoved(DateTimeOffset? removedAt)
    {
        if (removedAt is not null)
        {
            throw new DomainException("ledger.removed", "该记录已注销，不能再修改");
        }
    }

    /// <summary>An edit carries the version of the row its author saw; one made on an older version changes nothing.</summary>
    private async Task RequireVersionAsync(string entityType, int id, uint seen, uint current, CancellationToken cancellationToken)
    {
        if (seen != current)
        {
            LogStaleEdit(entityType, id, seen, current);
            throw await StaleAsync(entityType, id, cancellationToken);
        }
    }

    /// <summary>Saves an edit; a change committed by someone else between load and save (xmin moved) is refused the same way.</summary>
    private async Task SaveEditAsync(string entityType, int id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogStaleSave(entityType, id);
            throw await StaleAsync(entityType, id, cancellationToken);
        }
    }

    /// <summary>Names who changed the row last and when (China time), from the change history.</summary>
    private async Task<DomainException> StaleAsync(string entityType, int id, CancellationToken cancellationToken)
    {
        var last = await db.LedgerChanges.AsNoTracking()
            .Where(c => c.EntityType == entityType && c.EntityId == id)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new { c.ActorName, c.At })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return new DomainException(StaleUnknownCode, "该记录已被他人修改，本次保存未生效；请查看最新内容后重新修改");
        }
        var when = Domain.Calendar.WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new DomainException(StaleCode, $"该记录已被{last.ActorName}于{when}修改，本次保存未生效；请查看最新内容后重新修改") { Arguments = [last.ActorName, when] };
    }

    /// <summary>Rows outside the scope answer as "not found": their existence is not disclosed.</summary>
    private async Task<Resident> ResidentAsync(int id, LedgerScope scope, CancellationToken cancellationToken)
    {
        var resident = await db.Residents.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return resident is not null && scope.Covers(resident.GridId)
            ? resident
            : throw new DomainException("resident.not-found", "居民不存在或不在您负责的范围内");
    }

    private async Task<Household> HouseholdAsync(int id, LedgerScope scope, CancellationToken cancellationToken)
    {
        var household = await db.Households.SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        return household is not null && scope.Covers(household.GridId)
            ? household
            : throw new DomainException("household.not-found", "户不存在或不在您负责的范围内") { Field = DomainFields.Household.Name };
    }

    private async Task<Household> ActiveHouseholdAsync(int id, LedgerScope scope, CancellationToken cancellationToken)
    {
        var household = await HouseholdAsync(id, scope, cancellationToken);
        return household.RemovedAt is null ? household : throw new DomainException("resident.household-removed", "该户已注销，不能登记成员") { Field = DomainFields.Household.Name };
    }

    private async Task<Unit> UnitAsync(int id, LedgerScope scope, CancellationToken cancellationToken)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        return unit is not null && scope.Covers(unit.GridId)
            ? unit
            : throw new DomainException("unit.not-found", "单位不存在或不在您负责的范围内");
    }

    /// <summary>A credit code belongs to one unit on record (the import recognises a unit by it).</summary>
    private async Task RequireUnusedCreditCodeAsync(string? creditCode, int? unitId, CancellationToken cancellationToken)
    {
        if (creditCode is not null
            && await db.Units.AsNoTracking().AnyAsync(u => u.CreditCode == creditCode && u.RemovedAt == null && u.Id != unitId, cancellationToken))
        {
            throw new DomainException("unit.credit-code-taken", "该统一社会信用代码已登记为另一个单位，不能重复登记；请核对") { Field = DomainFields.CreditCode.Name };
        }
    }

    private async Task RequireUnusedIdNumberAsync(string idNumber, LedgerScope scope, CancellationToken cancellationToken)
    {
        var existing = await db.Residents.AsNoTracking().Where(r => r.IdNumber == idNumber)
            .Select(r => new { r.Name, r.GridId }).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            throw scope.Covers(existing.GridId)
                ? new DomainException("resident.id-number-taken", $"该身份证号码已登记（居民{existing.Name}），不能重复登记") { Field = DomainFields.IdNumber.Name, Arguments = [existing.Name] }
                : IdNumberTaken();
        }
    }

    /// <summary>
    /// A household's address is its key among the households on record (the import matches by it): a second one at the
    /// same address is refused, naming the household when it is in the creator's scope.
    /// </summary>
    private async Task RequireUnusedAddressAsync(string address, LedgerScope scope, CancellationToken cancellationToken)
    {
        var existing = await db.Households.AsNoTracking().Where(h => h.Address == address && h.RemovedAt == null)
            .OrderBy(h => h.Id).Select(h => new { h.Id, h.GridId }).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            throw scope.Covers(existing.GridId)
                ? new DomainException("household.address-taken", $"该地址已登记为户（户编号{existing.Id}），不能重复登记；如需增加成员，请在该户中登记")
                {
                    Field = DomainFields.Address.Name, Arguments = [existing.Id],
                }
                : new DomainException("household.address-taken-elsewhere", "该地址已在其他网格登记为户，不能重复登记；请联系所在社区核实") { Field = DomainFields.Address.Name };
        }
    }

    private static DomainException IdNumberTaken() =>
        new("resident.id-number-taken-elsewhere", "该身份证号码已在其他网格登记，不能重复登记；请联系所在社区核实") { Field = DomainFields.IdNumber.Name };

    private async Task ClearHeadAsync(int? householdId, int residentId, CancellationToken cancellationToken)
    {
        if (householdId is { } id && await db.Households.SingleOrDefaultAsync(h => h.Id == id, cancellationToken) is { } household
            && household.HeadResidentId == residentId)
        {
            household.ClearHead();
        }
    }

    /// <summary>The point and its grid; outside the street, in no grid, or outside the editor's grids is refused.</summary>
    private async Task<(NetTopologySuite.Geometries.Point Point, int GridId)> LocateAsync(
        double longitude, double latitude, DomainField what, LedgerScope scope, CancellationToken cancellationToken, int? ownerDepartmentId = null)
    {
        var point = Locations.Require(Locations.Point(longitude, latitude), what);
        switch (await spatial.ResolveGridAsync(point, cancellationToken))
        {
            case GridLocation.InGrid grid:
                if (ownerDepartmentId is { } department)
                {
                    scope.RequireEditComponent(grid.GridId, department, what);
                }
                else
                {
                    scope.RequireEdit(grid.GridId, what);
                }
                return (point, grid.GridId);
            case GridLocation.Uncovered:
                throw DomainException.For(what, "ledger.uncovered", $"{what}在街道内但不属于任何网格，请联系管理员补全网格");
            default:
                throw DomainException.For(what, "ledger.outside-street", $"{what}在本街道范围之外，请在街道范围内选点");
        }
    }

    private static T RequireDefined<T>(T value, DomainField field) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw DomainException.For(field, "form.invalid", $"{field}的取值无效");

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident {ResidentId} registered in household {HouseholdId} by staff {StaffMemberId}")]
    private partial void LogResidentCreated(int residentId, int householdId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident {ResidentId} updated by staff {StaffMemberId}")]
    private partial void LogResidentUpdated(int residentId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resident {ResidentId} moved from household {FromHouseholdId} to {ToHouseholdId} by staff {StaffMemberId}")]
    private partial void LogResidentMoved(int residentId, int? fromHouseholdId, int toHouseholdId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Household {HouseholdId} registered in grid {GridId} by staff {StaffMemberId}")]
    private partial void LogHouseholdCreated(int householdId, int gridId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Component {ComponentId} ({ComponentCode}) registered in grid {GridId} by staff {StaffMemberId}")]
    private partial void LogComponentCreated(int componentId, string componentCode, int gridId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Household {HouseholdId} updated by staff {StaffMemberId}")]
    private partial void LogHouseholdUpdated(int householdId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId} registered in grid {GridId} by staff {StaffMemberId}")]
    private partial void LogUnitCreated(int unitId, int gridId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId} updated by staff {StaffMemberId}")]
    private partial void LogUnitUpdated(int unitId, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Component {ComponentId} ({ComponentCode}) updated by staff {StaffMemberId}")]
    private partial void LogComponentUpdated(int componentId, string componentCode, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{EntityType} {EntityId} edit refused: version {Seen} seen, {Current} current")]
    private partial void LogStaleEdit(string entityType, int entityId, uint seen, uint current);

    [LoggerMessage(Level = LogLevel.Information, Message = "{EntityType} {EntityId} edit refused: changed by someone else between load and save")]
    private partial void LogStaleSave(string entityType, int entityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{EntityType} {EntityId} removed by staff {StaffMemberId}")]
    private partial void LogRemoved(string entityType, int entityId, int? staffMemberId);
}
