using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

/// <summary>Component filters; <see cref="Text"/> is the start of a code (digits) or part of a name.</summary>
public sealed record ComponentFilter(
    string? Text = null,
    ComponentClass? MajorClass = null,
    ComponentState? State = null,
    int? CommunityId = null,
    string? GridCode = null,
    bool IncludeRemoved = false)
{
    public const int TextMaxLength = 40;
}

public sealed record ComponentRow(
    int Id, string Code, string Name, ComponentClass MajorClass, int MinorClass, ComponentState State, string OwnerDepartmentName, int GridId, string GridName, bool Removed);

public sealed record ComponentFacts(
    int Id, string Code, string Name, ComponentClass MajorClass, int MinorClass, int Serial, ComponentState State,
    int OwnerDepartmentId, string OwnerDepartmentName, double Longitude, double Latitude,
    int GridId, string GridCode, string GridName, string CommunityName, DateTimeOffset? RemovedAt, string? RemovalReason, uint Version);

public sealed record ComponentDetailView(
    LedgerScope Scope, ComponentFacts Component, IReadOnlyList<Choice> Departments, IReadOnlyList<LedgerHistoryEntry> History)
{
    public bool CanEdit => Scope.CanEdit && Scope.CoversComponent(Component.GridId, Component.OwnerDepartmentId) && Component.RemovedAt is null;
}

/// <summary>The new-component form's context: who may register, the grids its map opens on, and the owner departments.</summary>
public sealed record NewComponentView(LedgerScope Scope, IReadOnlyList<string> FocusGridCodes, IReadOnlyList<Choice> Departments)
{
    /// <summary>Those who keep components: the grids' staff, and a department for its own.</summary>
    public bool CanCreate => Scope.CanEdit && (Scope.SeesPeople || Scope.ComponentDepartmentId is not null);
}

/// <summary>What the component pages (部件台账) show: the scope's grids, or a department's own components.</summary>
public sealed class ComponentQueries(IGridGovDbContext db, LedgerScopes scopes, TimeProvider clock)
{
    /// <summary>A department keeps its own components wherever they are in the street: its places are the whole street's.</summary>
    public async Task<LedgerListContext> ContextAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new LedgerListContext(scope, await LedgerPlaces.LoadAsync(db, scope.ComponentPlaces, cancellationToken));
    }

    public async Task<LedgerPage<ComponentRow>> ListAsync(
        ComponentFilter filter, CaseActor actor, LedgerPageRequest request, CancellationToken cancellationToken = default) =>
        await MatchingAsync(filter, actor, cancellationToken) is { } rows
            ? await LedgerPaging.PageAsync(rows, request, cancellationToken)
            : LedgerPage<ComponentRow>.Empty;

    /// <summary>Every row of the list as the page shows it, for an export.</summary>
    public async Task<LedgerExport<ComponentRow>> ExportAsync(ComponentFilter filter, CaseActor actor, CancellationToken cancellationToken = default) =>
        await MatchingAsync(filter, actor, cancellationToken) is { } rows
            ? LedgerExports.Of(rows, clock.GetUtcNow(), cancellationToken)
            : LedgerExports.Empty<ComponentRow>(clock.GetUtcNow());

    /// <summary>
    /// The list's rows in its order: the scope's grids, or a department's own components wherever they are; null when
    /// the person sees neither.
    /// </summary>
    private async Task<IQueryable<ComponentRow>?> MatchingAsync(ComponentFilter filter, CaseActor actor, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var department = scope.ComponentDepartmentId;
        if (department is null && !scope.SeesPeople)
        {
            return null;
        }
        var components = db.Components.AsNoTracking();
        if (department is { } owner)
        {
            components = components.Where(c => c.OwnerDepartmentId == owner);
        }
        if (await LedgerPlaces.GridIdsAsync(db, scope.ComponentPlaces, filter.CommunityId, filter.GridCode, cancellationToken) is { } gridIds)
        {
            components = components.Where(c => gridIds.Contains(c.GridId));
        }
        if (!filter.IncludeRemoved)
        {
            components = components.Where(c => c.RemovedAt == null);
        }
        if (SearchText.Clean(filter.Text) is { } text)
        {
            components = text.All(char.IsAsciiDigit)
                ? components.Where(c => c.Code.StartsWith(text))
                : components.Where(c => c.Name.Contains(text));
        }
        if (filter.MajorClass is { } major)
        {
            components = components.Where(c => c.MajorClass == major);
        }
        if (filter.State is { } state)
        {
            components = components.Where(c => c.State == state);
        }
        return components.OrderBy(c => c.Id)
            .Select(c => new ComponentRow(c.Id, c.Code, c.Name, c.MajorClass, c.MinorClass, c.State,
                db.Departments.Where(d => d.Id == c.OwnerDepartmentId).Select(d => d.Name).FirstOrDefault() ?? "",
                c.GridId, db.Grids.Where(g => g.Id == c.GridId).Select(g => g.Name).FirstOrDefault() ?? "", c.RemovedAt != null));
    }

    public async Task<ComponentDetailView?> DetailAsync(int id, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var component = await db.Components.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (component is null || !scope.CoversComponent(component.GridId, component.OwnerDepartmentId))
        {
            return null;
        }
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == component.GridId)
            .Select(g => new { g.Code, g.Name, Community = g.Community!.Name }).SingleAsync(cancellationToken);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new Choice(d.Id, d.Name)).ToListAsync(cancellationToken);
        var gridNames = await db.Grids.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var detail = new ComponentFacts(component.Id, component.Code, component.Name, component.MajorClass, component.MinorClass, component.Serial,
            component.State, component.OwnerDepartmentId, departments.FirstOrDefault(d => d.Id == component.OwnerDepartmentId)?.Name ?? "",
            component.Location.X, component.Location.Y, component.GridId, grid.Code, grid.Name, grid.Community, component.RemovedAt, component.RemovalReason, component.Version);
        return new ComponentDetailView(scope, detail, departments,
            await LedgerHistory.LoadAsync(db, nameof(Component), component.Id, scope, gridNames, cancellationToken));
    }

    public async Task<NewComponentView> NewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var departments = await db.Departments.AsNoTracking()
            .Where(d => scope.ComponentDepartmentId == null || d.Id == scope.ComponentDepartmentId)
            .OrderBy(d => d.Code).Select(d => new Choice(d.Id, d.Name)).ToListAsync(cancellationToken);
        return new NewComponentView(scope, await UnitQueries.FocusGridCodesAsync(db, scope, cancellationToken), departments);
    }
}
