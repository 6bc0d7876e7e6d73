using System.Globalization;
using GridGov.Application.Audit;
using GridGov.Application.Common;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

/// <summary>
/// The resident list's filters. <see cref="Text"/> is a name prefix, or a whole ID number or phone number (never part
/// of one: see <see cref="ResidentSearch"/>); <see cref="Address"/> is part of the household's address.
/// </summary>
public sealed record ResidentFilter(
    string? Text = null,
    string? Address = null,
    ResidentGroup? Group = null,
    PopulationKind? Kind = null,
    int? CommunityId = null,
    string? GridCode = null,
    bool IncludeRemoved = false)
{
    public const int TextMaxLength = 30;
    public const int AddressMaxLength = 60;
}

/// <summary>A resident in a list: ID number and phone masked.</summary>
public sealed record ResidentRow(
    int Id, string Name, string MaskedIdNumber, Sex Sex, int Age, string? MaskedPhone, int? HouseholdId, string? Address,
    PopulationKind PopulationKind, IReadOnlyList<ResidentGroup> Groups, int GridId, string GridName, bool Removed);

/// <param name="Filter">The filter as applied: a tag the person may not see is dropped.</param>
/// <param name="Refusal">Why the search text searched nothing (the page says it), or null.</param>
public sealed record ResidentListView(ResidentFilter Filter, LedgerPage<ResidentRow> Page, ResidentSearchRefusal? Refusal = null);

/// <summary>Why a resident search searched nothing.</summary>
public enum ResidentSearchRefusal
{
    /// <summary>Digits that are not a whole ID number or phone.</summary>
    PartialNumber,

    /// <summary>More whole-number look-ups in the last hour than <see cref="ResidentSearch.LookupBudget"/>.</summary>
    LookupBudgetSpent,
}

/// <summary>What a resident search text asks for.</summary>
public enum ResidentSearchKind
{
    Name,
    IdNumber,
    Phone,

    /// <summary>Digits that are not a whole ID number or phone: refused, never matched as a prefix or part.</summary>
    PartialNumber,
}

/// <summary>
/// How the resident search reads its text. Personal numbers are masked for most roles, so a search by part of one
/// would let a person learn the rest digit by digit (one request per digit, each answer "found" or "not found").
/// Numbers are therefore matched only whole and exactly (the person already knows the whole number), and each such
/// look-up is audited; text with any digit that is not a whole number searches nothing. Whole numbers can still be
/// guessed (the list shows an ID number's region and last four characters and the person's age, leaving a few hundred
/// birth dates), so each person has a budget of look-ups per hour, counted from the audit log on every app node.
/// </summary>
public static class ResidentSearch
{
    /// <summary>Whole-number look-ups one person may make in <see cref="LookupWindow"/>: a desk's day, not a guessing run.</summary>
    public const int LookupBudget = 30;

    public static readonly TimeSpan LookupWindow = TimeSpan.FromHours(1);

    public static ResidentSearchKind Classify(string text)
    {
        if (!text.Any(char.IsAsciiDigit))
        {
            return ResidentSearchKind.Name;
        }
        if (text.Length == IdNumber.Length && text[..^1].All(char.IsAsciiDigit) && (char.IsAsciiDigit(text[^1]) || text[^1] == 'X'))
        {
            return ResidentSearchKind.IdNumber;
        }
        return Phone.IsValid(text) ? ResidentSearchKind.Phone : ResidentSearchKind.PartialNumber;
    }
}

public sealed record ResidentFacts(
    int Id, string Name, string IdNumber, Sex Sex, DateOnly BirthDate, int Age, string? Phone, PopulationKind PopulationKind,
    IReadOnlyList<ResidentGroup> Groups, int GridId, string GridCode, string GridName, string CommunityName,
    DateTimeOffset? RemovedAt, string? RemovalReason, uint Version);

public sealed record HouseholdSummary(int Id, string Address, string Dwelling, HouseholdKind Kind, int? HeadResidentId, bool Removed);

/// <summary>A member of a household, as lists show them (masked numbers).</summary>
public sealed record MemberRow(
    int Id, string Name, Sex Sex, int Age, string MaskedIdNumber, string? MaskedPhone, bool IsHead,
    PopulationKind PopulationKind, IReadOnlyList<ResidentGroup> Groups);

/// <summary>A household offered when choosing where a resident lives.</summary>
public sealed record HouseholdCandidate(int Id, string Address, HouseholdKind Kind, string? HeadName, int Members, string GridName);

public sealed record ResidentDetailView(
    LedgerScope Scope,
    ResidentFacts Resident,
    HouseholdSummary? Household,
    IReadOnlyList<MemberRow> Members,
    IReadOnlyList<LedgerHistoryEntry> History,
    IReadOnlyList<HouseholdCandidate> Candidates);

public sealed record NewResidentView(LedgerScope Scope, HouseholdCandidate? Household, IReadOnlyList<HouseholdCandidate> Candidates);

/// <summary>What the resident pages (居民台账) show, limited to the signed-in person's scope.</summary>
public sealed class ResidentQueries(IGridGovDbContext db, LedgerScopes scopes, AuditLog audit, TimeProvider clock)
{
    public async Task<LedgerListContext> ContextAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new LedgerListContext(scope, await LedgerPlaces.LoadAsync(db, scope, cancellationToken));
    }

    public async Task<ResidentListView> ListAsync(
        ResidentFilter filter, CaseActor actor, LedgerPageRequest request, CancellationToken cancellationToken = default)
    {
        var (applied, matching, refusal) = await MatchingAsync(filter, actor, cancellationToken);
        if (matching is null)
        {
            return new ResidentListView(applied, LedgerPage<ResidentRow>.Empty, refusal);
        }
        var (residents, scope, lookup) = matching.Value;
        var count = await residents.Take(LedgerPaging.CountLimit + 1).CountAsync(cancellationToken);
        if (lookup is { } number)
        {
            await AuditLookupAsync(number.Kind, number.Text, count, cancellationToken);
        }
        var today = Ages.Today(clock);
        var rows = await Listed(residents).Skip(request.Index * request.Size).Take(request.Size).ToListAsync(cancellationToken);
        var page = rows.Select(r => r.ToRow(scope, today)).ToList();
        return new ResidentListView(applied, new LedgerPage<ResidentRow>(page, Math.Min(count, LedgerPaging.CountLimit), count > LedgerPaging.CountLimit));
    }

    /// <summary>
    /// Every row of the list as the page shows it (masked, tags the person may not see left out), for an export; a
    /// whole-number search is a look-up as on the page (audited, within the hourly budget).
    /// </summary>
    public async Task<LedgerExport<ResidentRow>> ExportAsync(ResidentFilter filter, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var (_, matching, refusal) = await MatchingAsync(filter, actor, cancellationToken);
        if (matching is null)
        {
            return LedgerExports.Empty<ResidentRow>(now, refusal);
        }
        var (residents, scope, lookup) = matching.Value;
        if (lookup is { } number)
        {
            await AuditLookupAsync(number.Kind, number.Text, await residents.Take(LedgerPaging.CountLimit + 1).CountAsync(cancellationToken), cancellationToken);
        }
        var today = Ages.Today(clock);
        return LedgerExports.Of(Listed(residents), r => r.ToRow(scope, today), now, cancellationToken);
    }

    /// <summary>
    /// The residents a list or an export may show for <paramref name="filter"/>, or null with the reason it shows none:
    /// no people in the person's scope, part of a number, or the hour's look-ups spent.
    /// </summary>
    private async Task<(ResidentFilter Applied, (IQueryable<Resident> Residents, LedgerScope Scope, (ResidentSearchKind Kind, string Text)? Lookup)? Matching, ResidentSearchRefusal? Refusal)>
        MatchingAsync(ResidentFilter filter, CaseActor actor, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        // A tag the person may not see is no filter at all: filtering by it would disclose who has it.
        filter = filter.Group is { } tag && !scope.CanSee(tag) ? filter with { Group = null } : filter;
        var text = SearchText.Clean(filter.Text)?.ToUpperInvariant();
        var search = text is { Length: > 0 } ? ResidentSearch.Classify(text) : (ResidentSearchKind?)null;
        if (!scope.SeesPeople)
        {
            return (filter, null, null);
        }
        if (search == ResidentSearchKind.PartialNumber)
        {
            return (filter, null, ResidentSearchRefusal.PartialNumber);
        }
        var lookup = search is ResidentSearchKind.IdNumber or ResidentSearchKind.Phone;
        if (lookup && await LookupsInWindowAsync(actor, cancellationToken) >= ResidentSearch.LookupBudget)
        {
            await audit.RecordAsync(AuditAction.Lookup, nameof(Resident), null,
                $"按完整号码查找被拒绝：一小时内已查找{ResidentSearch.LookupBudget}次", cancellationToken);
            return (filter, null, ResidentSearchRefusal.LookupBudgetSpent);
        }
        var gridIds = await LedgerPlaces.GridIdsAsync(db, scope, filter.CommunityId, filter.GridCode, cancellationToken);
        var residents = Filtered(filter, search is { } kind ? (text!, kind) : null, gridIds);
        return (filter, (residents, scope, lookup ? (search!.Value, text!) : null), null);
    }

    /// <summary>What a list row reads of a resident, in the list's order; <see cref="ToRow"/> masks it.</summary>
    private IQueryable<ListedResident> Listed(IQueryable<Resident> residents) =>
        residents
            .OrderBy(r => r.Id)
            .Select(r => new ListedResident(r.Id, r.Name, r.IdNumber, r.Sex, r.BirthDate, r.Phone, r.HouseholdId,
                db.Households.Where(h => h.Id == r.HouseholdId).Select(h => h.Address).FirstOrDefault(),
                r.PopulationKind, r.Groups, r.GridId, db.Grids.Where(g => g.Id == r.GridId).Select(g => g.Name).FirstOrDefault() ?? "", r.RemovedAt));

    private sealed record ListedResident(
        int Id, string Name, string IdNumber, Sex Sex, DateOnly BirthDate, string? Phone, int? HouseholdId, string? Address,
        PopulationKind PopulationKind, List<ResidentGroup> Groups, int GridId, string GridName, DateTimeOffset? RemovedAt)
    {
        /// <summary>The numbers masked here, after the query: a list never carries a whole number to the page.</summary>
        public ResidentRow ToRow(LedgerScope scope, DateOnly today) =>
            new(Id, Name, Masking.IdNumber(IdNumber), Sex, Ages.On(BirthDate, today), Masking.Phone(Phone), HouseholdId, Address,
                PopulationKind, Groups.Where(scope.CanSee).ToList(), GridId, GridName, RemovedAt is not null);
    }

    /// <param name="search">The search text, trimmed and upper-cased, as <see cref="ResidentSearch.Classify"/> read it.</param>
    /// <param name="gridIds">The grids the list is limited to (<see cref="LedgerPlaces.GridIdsAsync"/>); null for the whole street.</param>
    private IQueryable<Resident> Filtered(ResidentFilter filter, (string Text, ResidentSearchKind Kind)? search, IReadOnlyList<int>? gridIds)
    {
        var residents = db.Residents.AsNoTracking();
        if (gridIds is not null)
        {
            residents = residents.Where(r => gridIds.Contains(r.GridId));
        }
        if (!filter.IncludeRemoved)
        {
            residents = residents.Where(r => r.RemovedAt == null);
        }
        if (search is (var text, var searchKind))
        {
            residents = searchKind switch
            {
                ResidentSearchKind.Name => residents.Where(r => r.Name.StartsWith(text)),
                ResidentSearchKind.IdNumber => residents.Where(r => r.IdNumber == text),
                ResidentSearchKind.Phone => residents.Where(r => r.Phone == text),
                _ => residents.Where(r => false),
            };
        }
        if (SearchText.Clean(filter.Address) is { } address)
        {
            residents = residents.Where(r => db.Households.Any(h => h.Id == r.HouseholdId && h.Address.Contains(address)));
        }
        if (filter.Group is { } group)
        {
            residents = residents.Where(r => r.Groups.Contains(group));
        }
        if (filter.Kind is { } kind)
        {
            residents = residents.Where(r => r.PopulationKind == kind);
        }
        return residents;
    }

    private Task<int> LookupsInWindowAsync(CaseActor actor, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - ResidentSearch.LookupWindow;
        return db.AuditEntries.AsNoTracking()
            .CountAsync(e => e.Action == AuditAction.Lookup && e.ActorStaffId == actor.StaffMemberId && e.At > since, cancellationToken);
    }

    /// <summary>A look-up by a whole number: who looked for which (masked) number, and how many rows it found.</summary>
    private Task AuditLookupAsync(ResidentSearchKind kind, string number, int found, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditAction.Lookup, nameof(Resident), null,
            kind == ResidentSearchKind.IdNumber
                ? $"按完整号码查找：身份证号 {Masking.IdNumber(number)}；{found}条"
                : $"按完整号码查找：电话 {Masking.Phone(number)}；{found}条",
            cancellationToken);

    /// <summary>The resident's page, or null when the resident does not exist or is outside the person's scope.</summary>
    public async Task<ResidentDetailView?> DetailAsync(int id, string? householdSearch, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var resident = await db.Residents.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (resident is null || !scope.Covers(resident.GridId))
        {
            return null;
        }
        var gridNames = await GridNamesAsync(cancellationToken);
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == resident.GridId)
            .Select(g => new { g.Code, g.Name, Community = g.Community!.Name }).SingleAsync(cancellationToken);
        var today = Ages.Today(clock);

        HouseholdSummary? household = null;
        IReadOnlyList<MemberRow> members = [];
        if (resident.HouseholdId is { } householdId)
        {
            household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
                .Select(h => new HouseholdSummary(h.Id, h.Address, h.Dwelling, h.Kind, h.HeadResidentId, h.RemovedAt != null))
                .SingleAsync(cancellationToken);
            members = await MembersAsync(db, householdId, household.HeadResidentId, scope, today, cancellationToken);
        }

        var detail = new ResidentFacts(resident.Id, resident.Name, resident.IdNumber, resident.Sex, resident.BirthDate, Ages.On(resident.BirthDate, today),
            resident.Phone, resident.PopulationKind, resident.Groups.Where(scope.CanSee).ToList(), resident.GridId, grid.Code, grid.Name, grid.Community,
            resident.RemovedAt, resident.RemovalReason, resident.Version);
        var history = await LedgerHistory.LoadAsync(db, nameof(Resident), resident.Id, scope, gridNames, cancellationToken);
        var candidates = scope.CanEdit && resident.RemovedAt is null
            ? await HouseholdLookup.FindAsync(db, scope, householdSearch, resident.HouseholdId, gridNames, cancellationToken)
            : [];
        return new ResidentDetailView(scope, detail, household, members, history, candidates);
    }

    /// <summary>The registration form: the chosen household (if in scope and active) and households matching a search.</summary>
    public async Task<NewResidentView> NewAsync(int? householdId, string? householdSearch, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var gridNames = await GridNamesAsync(cancellationToken);
        var chosen = householdId is { } id
            ? (await HouseholdLookup.FindAsync(db, scope, id.ToString(CultureInfo.InvariantCulture), null, gridNames, cancellationToken)).FirstOrDefault()
            : null;
        var candidates = scope.CanEdit && scope.SeesPeople
            ? await HouseholdLookup.FindAsync(db, scope, householdSearch, null, gridNames, cancellationToken)
            : [];
        return new NewResidentView(scope, chosen, candidates);
    }

    internal static async Task<IReadOnlyList<MemberRow>> MembersAsync(
        IGridGovDbContext db, int householdId, int? headResidentId, LedgerScope scope, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await db.Residents.AsNoTracking()
            .Where(r => r.HouseholdId == householdId && r.RemovedAt == null)
            .OrderBy(r => r.BirthDate).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.Sex, r.BirthDate, r.IdNumber, r.Phone, r.PopulationKind, r.Groups })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new MemberRow(r.Id, r.Name, r.Sex, Ages.On(r.BirthDate, today), Masking.IdNumber(r.IdNumber), Masking.Phone(r.Phone),
                r.Id == headResidentId, r.PopulationKind, r.Groups.Where(scope.CanSee).ToList()))
            .OrderByDescending(r => r.IsHead)
            .ToList();
    }

    private async Task<Dictionary<int, string>> GridNamesAsync(CancellationToken cancellationToken) =>
        await db.Grids.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
}

/// <summary>Finds households to choose from: by id, or by part of the address, within the scope, active only.</summary>
public static class HouseholdLookup
{
    public const int Limit = 20;
    public const int SearchMinLength = 2;

    public static async Task<IReadOnlyList<HouseholdCandidate>> FindAsync(
        IGridGovDbContext db, LedgerScope scope, string? search, int? exceptId, IReadOnlyDictionary<int, string> gridNames, CancellationToken cancellationToken)
    {
        var text = SearchText.Clean(search) ?? "";
        if (text.Length == 0 || !scope.SeesPeople)
        {
            return [];
        }
        var households = db.Households.AsNoTracking().Where(h => h.RemovedAt == null);
        if (!scope.WholeStreet)
        {
            var gridIds = scope.GridIds.ToList();
            households = households.Where(h => gridIds.Contains(h.GridId));
        }
        if (text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            households = households.Where(h => h.Id == id);
        }
        else if (text.Length >= SearchMinLength)
        {
            households = households.Where(h => h.Address.Contains(text));
        }
        else
        {
            return [];
        }
        if (exceptId is { } except)
        {
            households = households.Where(h => h.Id != except);
        }
        var rows = await households
            .OrderBy(h => h.Address)
            .Take(Limit)
            .Select(h => new
            {
                h.Id, h.Address, h.Kind, h.GridId,
                Head = db.Residents.Where(r => r.Id == h.HeadResidentId).Select(r => r.Name).FirstOrDefault(),
                Members = db.Residents.Count(r => r.HouseholdId == h.Id && r.RemovedAt == null),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(h => new HouseholdCandidate(h.Id, h.Address, h.Kind, h.Head, h.Members, gridNames.GetValueOrDefault(h.GridId, ""))).ToList();
    }
}
