using GridGov.Application.Audit;
using GridGov.Application.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// Control characters in search text (issue 11, hole 7): the interactive lists hand their search boxes straight to the
/// queries, so a NUL or an escape pasted there is dropped by the query, never sent to PostgreSQL (which refuses a NUL).
/// </summary>
public sealed class ControlCharacterSearchTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static string Dirty(string text) => "\0" + text + "\u001b\u0007";

    [Fact]
    public async Task The_ledger_lists_search_as_if_the_control_characters_were_not_there()
    {
        var worker = await scenario.ActorAsync("worker1");
        var gridId = await scenario.GridIdOfAsync("worker1");
        var (address, unitName) = await scenario.DbAsync(async db => (
            await db.Households.Where(h => h.GridId == gridId && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Address).FirstAsync(),
            await db.Units.Where(u => u.GridId == gridId && u.RemovedAt == null).OrderBy(u => u.Id).Select(u => u.Name).FirstAsync()));
        var page = new LedgerPageRequest();

        async Task<(int Households, int Units)> CountsAsync(Func<string, string> text) => await scenario.WithAsync(async provider =>
        (
            (await provider.GetRequiredService<HouseholdQueries>().ListAsync(new HouseholdFilter(Address: text(address)), worker, page)).Count,
            (await provider.GetRequiredService<UnitQueries>().ListAsync(new UnitFilter(Text: text(unitName)), worker, page)).Count
        ));
        var clean = await CountsAsync(text => text);

        Assert.True(clean is { Households: > 0, Units: > 0 }, clean.ToString());
        Assert.Equal(clean, await CountsAsync(Dirty));
        var components = await scenario.WithAsync(p => p.GetRequiredService<ComponentQueries>().ListAsync(new ComponentFilter(Text: "\0"), worker, page));
        var all = await scenario.WithAsync(p => p.GetRequiredService<ComponentQueries>().ListAsync(new ComponentFilter(), worker, page));
        Assert.Equal(all.Count, components.Count);
        var residents = await scenario.WithAsync(p => p.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Text: "\0", Address: Dirty(address)), worker, page));
        Assert.Null(residents.Refusal);
        Assert.NotEmpty(residents.Page.Rows);
    }

    [Fact]
    public async Task The_audit_search_drops_them_too()
    {
        var dirty = await scenario.WithAsync(p => p.GetRequiredService<AuditSearchQuery>().SearchAsync(new AuditFilter(Actor: "\0", Text: "\0")));
        var none = await scenario.WithAsync(p => p.GetRequiredService<AuditSearchQuery>().SearchAsync(new AuditFilter()));

        Assert.Equal(none.Total, dirty.Total);
    }
}
