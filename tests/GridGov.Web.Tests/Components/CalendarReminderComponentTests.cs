using Bunit;
using GridGov.Application.Calendar;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Components.Pages;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.CaseList;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>The app on a clock moved by a settable offset: real time passes, shifted to the day a test needs (China time).</summary>
public sealed class ShiftedClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    /// <summary>From now on the clock reads <paramref name="moment"/> and runs on from it.</summary>
    public void MoveTo(DateTimeOffset moment) => _offset = moment - System.GetUtcNow();
}

/// <summary>The app with its own <see cref="ShiftedClock"/>, moved to December 2040 (next year's calendar is empty there).</summary>
public sealed class ShiftedClockAppFixture : WebAppFixture
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureBuilder(WebApplicationBuilder builder)
    {
        Clock.MoveTo(TestClock.China(2040, 12, 10, 9));
        builder.Services.AddSingleton<TimeProvider>(Clock);
    }
}

/// <summary>
/// The December reminder: from December 1st (China time) while next year's working calendar has no day, the calendar page
/// and the administrator's home page say so and lead to it; not in November, not once a day is entered, and not to others.
/// </summary>
public sealed class CalendarReminderComponentTests(ShiftedClockAppFixture app) : IClassFixture<ShiftedClockAppFixture>
{
    [Fact]
    public async Task From_december_the_page_and_the_home_page_remind_the_administrator_until_next_year_has_a_day()
    {
        app.Clock.MoveTo(TestClock.China(2040, 11, 30, 23, 50));
        await using (var november = await ComponentHarness.SignedInAsync(app, "admin1"))
        {
            var page = WorkingCalendarComponentTests.Open(november, 2040);
            Assert.Empty(page.FindAll("[data-testid=calendar-reminder]"));
        }

        app.Clock.MoveTo(TestClock.China(2040, 12, 1, 0, 5));
        await using (var december = await ComponentHarness.SignedInAsync(app, "admin1"))
        {
            var page = WorkingCalendarComponentTests.Open(december, 2040);
            var reminder = page.Find("[data-testid=calendar-reminder]");
            Assert.Contains("已到12月，2041年的工作日历还是空的", reminder.TextContent, StringComparison.Ordinal);
            Assert.EndsWith("year=2041", page.Find("[data-testid=calendar-reminder-open]").GetAttribute("href"), StringComparison.Ordinal);

            var home = december.Context.Render<CalendarReminderNotice>();
            home.WaitForElement("[data-testid=calendar-reminder]");
            Assert.Equal("/admin/calendar?year=2041", home.Find("[data-testid=calendar-reminder-open]").GetAttribute("href"));
            Assert.Contains("2041年的工作日历还是空的", home.Markup, StringComparison.Ordinal);
        }

        await app.WithAsync(async provider =>
        {
            await provider.GetRequiredService<WorkingCalendarService>().AddAsync(new CalendarDayInput(new DateOnly(2041, 1, 1), false, "元旦"), await app.ActorAsync("admin1"));
            return true;
        });
        await using (var filled = await ComponentHarness.SignedInAsync(app, "admin1"))
        {
            var page = WorkingCalendarComponentTests.Open(filled, 2040);
            Assert.Empty(page.FindAll("[data-testid=calendar-reminder]"));
            var home = filled.Context.Render<CalendarReminderNotice>();
            Assert.Empty(home.FindAll("[data-testid=calendar-reminder]"));
        }
    }

    [Fact]
    public async Task The_home_page_shows_the_reminder_to_an_administrator_only()
    {
        app.Clock.MoveTo(TestClock.China(2045, 12, 2, 10));

        await using var admin = await ComponentHarness.SignedInAsync(app, "admin1");
        var home = admin.Page<Home>("/");
        home.WaitForElement("[data-testid=calendar-reminder]");
        Assert.Contains("2046年的工作日历还是空的", home.Find("[data-testid=calendar-reminder]").TextContent, StringComparison.Ordinal);

        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var other = dispatcher.Page<Home>("/");
        other.WaitForElement("[data-testid=street-name]");
        Assert.Empty(other.FindAll("[data-testid=calendar-reminder]"));
    }
}
