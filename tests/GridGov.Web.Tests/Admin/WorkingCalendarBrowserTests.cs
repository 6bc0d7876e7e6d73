using GridGov.Domain.Calendar;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static GridGov.Web.Tests.Components.WorkingCalendarComponentTests;

namespace GridGov.Web.Tests.Admin;

/// <summary>
/// The working calendar page in Chromium, once the circuit has taken over: the administrator pastes a notice, reads it,
/// applies it after the confirmation and sees the year's table, then adds a day by typing its date.
/// </summary>
public sealed class WorkingCalendarBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly LocatorWaitForOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task The_administrator_applies_a_pasted_notice_and_adds_a_day_in_the_browser()
    {
        var year = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow).Year + 7;
        var (notice, days) = MadeUpNotice(year);
        var extra = First(new DateOnly(year, 12, 24), weekend: false);
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1");

        await page.GotoAsync($"/admin/calendar?year={year}");
        await page.Locator("[data-render=interactive] [data-testid=calendar-empty]").WaitForAsync(Soon);

        await page.Locator("[data-testid=calendar-paste]").ClickAsync();
        await page.Locator("#calendar-notice-text").FillAsync(notice);
        await page.Locator("[data-testid=calendar-notice-read]").ClickAsync();
        await page.Locator("[data-testid=calendar-notice-preview]").WaitForAsync(Soon);
        Assert.Equal(days.Count, await page.Locator("[data-testid=calendar-notice-days] tr[data-date]").CountAsync());
        await Assertions.Expect(page.Locator("li[data-unreadable]")).ToHaveTextAsync(Advice(days[0].AddDays(-1)));

        await page.Locator("[data-testid=calendar-notice-apply]").ClickAsync();
        await page.Locator("[data-testid=calendar-replace-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"{year}年工作日历已更新：新增4天");
        await Assertions.Expect(page.Locator("[data-testid=calendar-days] tr[data-date]")).ToHaveCountAsync(days.Count);

        await page.Locator("[data-testid=calendar-add]").ClickAsync();
        await page.Locator("#calendar-day-date").FillAsync(Iso(extra));
        await page.Locator("#calendar-day-name").FillAsync("岁末休息");
        await page.Locator("[data-testid=calendar-day-save]").ClickAsync();
        await page.Locator($"[data-testid=calendar-days] tr[data-date='{Iso(extra)}'][data-kind=holiday]").WaitForAsync(Soon);

        var stored = await app.DbAsync(db => db.CalendarDays.AsNoTracking().Where(d => d.Date.Year == year).OrderBy(d => d.Date).Select(d => d.Date).ToListAsync());
        Assert.Equal([.. days, extra], stored);
    }
}
