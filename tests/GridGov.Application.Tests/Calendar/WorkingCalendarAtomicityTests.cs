using GridGov.Application.Calendar;
using GridGov.Application.Tests.Faults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Calendar;

/// <summary>
/// Replacing a year of the working calendar is one transaction: broken at its 1st, 2nd, … write (an exception in the unit of
/// work, or the server ending the connection), every table is exactly as before; the last run goes through.
/// </summary>
public sealed class WorkingCalendarAtomicityTests(FaultScenario scenario) : IClassFixture<FaultScenario>
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData(FaultKind.Throw, 2031)]
    [InlineData(FaultKind.KillConnection, 2032)]
    public async Task A_replacement_that_adds_changes_and_removes_days_breaks_off_whole_at_any_write(FaultKind kind, int year)
    {
        var admin = await scenario.ActorAsync("admin1");
        // 1 January, 5 May, 1 and 8 October are weekdays in both years; 4 January 2031 and 3 January 2032 are Saturdays.
        var saturday = year == 2031 ? D(2031, 1, 4) : D(2032, 1, 3);
        CalendarDayInput[] first = [new(D(year, 1, 1), false, "元旦"), new(saturday, true, "元旦调休上班"), new(D(year, 5, 5), false, "劳动节")];
        await scenario.WithAsync(provider => provider.GetRequiredService<WorkingCalendarService>().ReplaceYearAsync(year, first, admin));
        CalendarDayInput[] second =
        [
            new(D(year, 1, 1), false, "新年"), // changed
            new(D(year, 10, 1), false, "国庆节"), new(D(year, 10, 8), false, "国庆节"), // added
            // the working Saturday and the May holiday are removed
        ];
        Assert.All(second, d => Assert.False(d.Date!.Value.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, $"{d.Date} is a weekend"));

        var writes = await scenario.AssertAtomicAsync(kind, provider => provider.GetRequiredService<WorkingCalendarService>().ReplaceYearAsync(year, second, admin));

        Assert.True(writes >= 2, $"{writes} writes");
        var stored = await scenario.DbAsync(db => db.CalendarDays.AsNoTracking().Where(d => d.Date.Year == year).OrderBy(d => d.Date).ToListAsync());
        Assert.Equal(second.Select(d => (d.Date!.Value, d.IsWorkingDay, d.Name!)), stored.Select(d => (d.Date, d.IsWorkingDay, d.Name)));
    }
}
