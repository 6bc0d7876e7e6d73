using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// The grid filter of the case list and the ledger lists (issue 15): the grids are searched within the person's scope
/// rather than sent to the page, the list's rows carry their grid's name, and a grid in the address that the person's
/// scope does not cover narrows nothing.
/// </summary>
public sealed class GridFilterTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private sealed record Place(int Id, string Code, string Name, int CommunityId, string CommunityName);

    private Task<List<Place>> CurrentGridsAsync() => scenario.DbAsync(db => db.Grids.Where(g => g.ValidTo == null).OrderBy(g => g.Code)
        .Select(g => new Place(g.Id, g.Code, g.Name, g.CommunityId, g.Community!.Name)).ToListAsync());

    private Task<T> CasesAsync<T>(Func<CaseSearchQuery, Task<T>> read) => scenario.WithAsync(p => read(p.GetRequiredService<CaseSearchQuery>()));

    private Task<T> PlacesAsync<T>(Func<LedgerPlaceQuery, Task<T>> read) => scenario.WithAsync(p => read(p.GetRequiredService<LedgerPlaceQuery>()));

    [Fact]
    public async Task The_case_list_offers_the_grids_of_the_persons_scope_that_match_what_was_typed_at_most_fifty()
    {
        var grids = await CurrentGridsAsync();
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var secretary = await scenario.ActorAsync("secretary1");
        var worker = await scenario.ActorAsync("worker1");

        var all = await CasesAsync(q => q.SearchGridsAsync(dispatcher, null, null));
        Assert.Equal(grids.Take(GridChoices.MaxOffered).Select(g => g.Code), all.Select(g => g.Code));

        var secretarys = await CasesAsync(q => q.SearchGridsAsync(secretary, null, null));
        Assert.NotEmpty(secretarys);
        Assert.Equal(grids.Where(g => g.CommunityId == secretary.CommunityId).Select(g => g.Code), secretarys.Select(g => g.Code));

        var workers = await CasesAsync(q => q.SearchGridsAsync(worker, null, null));
        Assert.Equal(worker.GridCodes.Order(StringComparer.Ordinal), workers.Select(g => g.Code));

        // Part of a name, part of a code, or the community's name.
        const string fragment = "第2网格";
        var byName = await CasesAsync(q => q.SearchGridsAsync(dispatcher, null, fragment));
        Assert.Equal(grids.Where(g => g.Name.Contains(fragment, StringComparison.Ordinal)).Select(g => g.Code), byName.Select(g => g.Code));
        var other = grids.First(g => g.CommunityId != secretary.CommunityId);
        var byCommunity = await CasesAsync(q => q.SearchGridsAsync(dispatcher, null, other.CommunityName));
        Assert.Equal(grids.Where(g => g.CommunityName.Contains(other.CommunityName, StringComparison.Ordinal)).Select(g => g.Code), byCommunity.Select(g => g.Code));
        Assert.Contains(other.Code, (await CasesAsync(q => q.SearchGridsAsync(dispatcher, null, other.Code))).Select(g => g.Code));

        // Within the chosen community; and nothing outside the scope, whatever is typed.
        var inCommunity = await CasesAsync(q => q.SearchGridsAsync(dispatcher, other.CommunityId, fragment));
        Assert.All(inCommunity, g => Assert.Equal(other.CommunityId, g.CommunityId));
        Assert.Empty(await CasesAsync(q => q.SearchGridsAsync(secretary, null, other.Code)));

        // The grid an address names: found for whoever's scope covers it.
        Assert.Equal(other.Name, (await CasesAsync(q => q.FindGridAsync(dispatcher, other.Code)))?.Name);
        Assert.Null(await CasesAsync(q => q.FindGridAsync(secretary, other.Code)));
        Assert.Null(await CasesAsync(q => q.FindGridAsync(dispatcher, "no-such-grid")));
    }

    [Fact]
    public async Task The_ledger_lists_offer_the_scopes_grids_and_a_department_its_components_in_the_whole_street()
    {
        var grids = await CurrentGridsAsync();
        var secretary = await scenario.ActorAsync("secretary1");
        var handler = await scenario.ActorAsync("handler1");
        var other = grids.First(g => g.CommunityId != secretary.CommunityId);

        var secretarys = await PlacesAsync(q => q.SearchGridsAsync(secretary, components: false, null, null));
        Assert.Equal(grids.Where(g => g.CommunityId == secretary.CommunityId).Select(g => g.Code), secretarys.Select(g => g.Code));
        Assert.Null(await PlacesAsync(q => q.FindGridAsync(secretary, components: false, other.Code)));

        // A department handler sees no people, but keeps its components wherever they are in the street.
        Assert.Empty(await PlacesAsync(q => q.SearchGridsAsync(handler, components: false, null, null)));
        Assert.Equal(other.Code, (await PlacesAsync(q => q.FindGridAsync(handler, components: true, other.Code)))?.Code);
        var context = await scenario.WithAsync(p => p.GetRequiredService<ComponentQueries>().ContextAsync(handler));
        Assert.Equal(grids.Count, context.Places.GridCount);
        Assert.Equal(grids.Select(g => g.CommunityId).Distinct().Count(), context.Places.Communities.Count);

        var residents = await scenario.WithAsync(p => p.GetRequiredService<ResidentQueries>().ContextAsync(secretary));
        Assert.Equal(secretarys.Count, residents.Places.GridCount);
        Assert.Equal([secretary.CommunityId!.Value], residents.Places.Communities.Select(c => c.Id));
    }

    [Fact]
    public async Task A_lists_rows_carry_their_grids_name_and_a_grid_outside_the_scope_narrows_nothing()
    {
        var grids = await CurrentGridsAsync();
        var secretary = await scenario.ActorAsync("secretary1");
        var own = grids.First(g => g.CommunityId == secretary.CommunityId);
        var other = grids.First(g => g.CommunityId != secretary.CommunityId);
        var page = new LedgerPageRequest(PageSize: LedgerPaging.MaxPageSize);

        Task<LedgerPage<HouseholdRow>> HouseholdsAsync(string? grid, int? community = null) =>
            scenario.WithAsync(p => p.GetRequiredService<HouseholdQueries>().ListAsync(new HouseholdFilter(CommunityId: community, GridCode: grid), secretary, page));

        var inOwn = await HouseholdsAsync(own.Code);
        Assert.NotEmpty(inOwn.Rows);
        Assert.All(inOwn.Rows, r => Assert.Equal((own.Id, own.Name), (r.GridId, r.GridName)));

        var everything = await HouseholdsAsync(null);
        var foreign = await HouseholdsAsync(other.Code);
        Assert.Equal(everything.Count, foreign.Count);
        Assert.All(foreign.Rows, r => Assert.Contains(grids, g => g.Id == r.GridId && g.CommunityId == secretary.CommunityId));

        // A grid of another community than the chosen one: the community's rows.
        var ownCommunity = await HouseholdsAsync(other.Code, secretary.CommunityId);
        Assert.Equal(everything.Count, ownCommunity.Count);

        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var cases = await CasesAsync(q => q.SearchAsync(new CaseSearchFilter(), dispatcher));
        Assert.NotEmpty(cases.Rows);
        Assert.All(cases.Rows, r => Assert.Equal(grids.Single(g => g.Code == r.GridCode).Name, r.GridName));
    }
}
