using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Ledgers;

public sealed class ScratchShots(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Shots()
    {
        Directory.CreateDirectory("/tmp/shots");
        var grid = await app.GridOfAsync("worker1");
        var staffId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "secretary1").Select(u => u.StaffMemberId).SingleAsync());
        var communityId = await app.DbAsync(db => db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.CommunityId).SingleAsync());
        var residents = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.RemovedAt == null && db.Grids.Any(g => g.Id == r.GridId && g.CommunityId == communityId)).OrderBy(r => r.Id).Select(r => new { r.Id, r.Groups }).ToListAsync());
        var key = residents.First(r => r.Groups.Any(g => g.IsSensitive())).Id;
        using (var scope = app.Services.CreateScope())
        {
            var actors = scope.ServiceProvider.GetRequiredService<GridGov.Application.Cases.CaseActors>();
            var worker = await actors.ForStaffAsync((await app.DbAsync(db => db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId).SingleAsync()))!.Value);
            var secretary = await actors.ForStaffAsync(staffId!.Value);
            var ledger = scope.ServiceProvider.GetRequiredService<LedgerService>();
            var n = 0;
            foreach (var (role, name, cov) in new[] { (GridHelperRole.Liaison, "李秀兰", "1-3幢"), (GridHelperRole.CompoundHead, "王建国", "幸福小区东区"), (GridHelperRole.Volunteer, "陈小红", "周末值守"), (GridHelperRole.PartyMember, "赵德明", "党员中心户") })
            {
                await ledger.CreateGridHelperAsync(new NewGridHelper(grid.Code, role, name, $"1390000{++n:D4}", null, cov, null, new DateOnly(2024, 3, 1)), worker);
            }
            var follow = scope.ServiceProvider.GetRequiredService<KeyPersonFollowUpService>();
            await follow.RecordAsync(new NewFollowUp(key, null, FollowUpWay.HomeVisit, FollowUpRisk.Attention, "情绪低落，已联系家属，下周再访"), secretary);
            await follow.RecordAsync(new NewFollowUp(key, DateOnly.FromDateTime(DateTime.Today).AddDays(-10), FollowUpWay.Phone, FollowUpRisk.Stable, "按时报到"), secretary);
        }
        foreach (var (user, url, name) in new[] { ("worker1", $"/ledgers/grids/{grid.Code}#helpers", "grid"), ("secretary1", $"/ledgers/residents/{key}", "resident") })
        {
            foreach (var (w, h) in new[] { (1440, 900), (390, 844) })
            {
                foreach (var lang in new[] { "zh", "en" })
                {
                    var page = await chromium.SignedInPageAsync(app.BaseAddress, user, w, h);
                    var errors = new List<string>();
                    page.Console += (_, m) => { if (m.Type is "error" or "warning") errors.Add(m.Text); };
                    if (lang == "en")
                    {
                        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=en|uic=en", Url = app.BaseAddress.ToString() }]);
                    }
                    await page.GotoAsync(new Uri(app.BaseAddress, url).ToString());
                    await page.WaitForTimeoutAsync(2500);
                    if (name == "grid")
                    {
                        await page.Locator("[data-testid=helpers]").ScrollIntoViewIfNeededAsync();
                    }
                    await page.ScreenshotAsync(new() { Path = $"/tmp/shots/{name}-{w}-{lang}.png", FullPage = name == "resident" });
                    if (name == "grid" && w == 1440 && lang == "zh")
                    {
                        await page.Locator("[data-testid=helper-add]").ClickAsync();
                        await page.WaitForTimeoutAsync(1000);
                        await page.ScreenshotAsync(new() { Path = $"/tmp/shots/grid-dialog.png" });
                    }
                    File.AppendAllText("/tmp/shots/console.txt", $"{name}-{w}-{lang}: {errors.Count} {string.Join(" | ", errors)}\n");
                    await page.Context.CloseAsync();
                }
            }
        }
    }
}
