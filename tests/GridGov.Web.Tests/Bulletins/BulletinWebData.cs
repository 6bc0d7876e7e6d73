using GridGov.Application.Bulletins;
using GridGov.Application.Evaluation;
using GridGov.Application.Visits;
using GridGov.Domain.Bulletins;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Bulletins;

/// <summary>
/// Bulletins on the running app's demo street: last month (always full) frozen (the web tests' apps never freeze on
/// schedule) and its bulletin generated, as a draft or issued. Each helper reuses what an earlier test of the class made.
/// </summary>
internal static class BulletinWebData
{
    public static DateOnly LastMonth => ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1);

    /// <summary>Last month's bulletin, a draft unless an earlier test issued it.</summary>
    public static async Task<long> BulletinAsync(this WebAppFixture app)
    {
        var leader = await app.StaffActorAsync("streetleader1");
        return await app.InAppAsync(async provider =>
        {
            await provider.GetRequiredService<MonthlyEvaluationService>().FreezeAsync(LastMonth);
            var db = provider.GetRequiredService<GridGovDbContext>();
            var existing = await db.Bulletins.AsNoTracking().Where(b => b.Month == LastMonth).Select(b => (long?)b.Id).SingleOrDefaultAsync();
            return existing ?? await provider.GetRequiredService<BulletinService>().CreateDraftAsync(LastMonth, leader);
        });
    }

    /// <summary>Last month's bulletin, issued.</summary>
    public static async Task<long> IssuedBulletinAsync(this WebAppFixture app)
    {
        var id = await app.BulletinAsync();
        var leader = await app.StaffActorAsync("streetleader1");
        await app.InAppAsync(async provider =>
        {
            var service = provider.GetRequiredService<BulletinService>();
            var bulletin = (await service.GetAsync(id, leader))!;
            if (bulletin.State == BulletinState.Draft)
            {
                await service.IssueAsync(id, bulletin.Version, leader);
            }
            return true;
        });
        return id;
    }

    public static Task<BulletinView> ViewAsync(this WebAppFixture app, long id) => app.InAppAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var bulletin = await db.Bulletins.AsNoTracking().SingleAsync(b => b.Id == id);
        var leader = await provider.GetRequiredService<Application.Cases.CaseActors>().ForStaffAsync(bulletin.CreatedByStaffId);
        return (await provider.GetRequiredService<BulletinService>().GetAsync(id, leader))!;
    });
}
