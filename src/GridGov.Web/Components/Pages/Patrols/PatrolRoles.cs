using System.Globalization;
using GridGov.Domain.Calendar;

namespace GridGov.Web.Components.Pages.Patrols;

/// <summary>Who may open the patrol pages: grid staff record; the community and the street read.</summary>
public static class PatrolRoles
{
    public const string Record = "GridWorker,GridLeader";
    public const string Read = "GridWorker,GridLeader,CommunitySecretary,Dispatcher,StreetLeader,Administrator";
}

/// <summary>How patrol figures are written on the pages.</summary>
public static class PatrolFormat
{
    /// <summary>0.9531 → "95.3%"; whole percentages without decimals.</summary>
    public static string Percent(double share)
    {
        var percent = Math.Round(share * 100, 1);
        return percent.ToString(percent % 1 == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + "%";
    }

    public static string Time(DateTimeOffset moment) =>
        WorkingCalendar.ToChinaTime(moment).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset moment) =>
        WorkingCalendar.ToChinaTime(moment).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Minutes(DateTimeOffset start, DateTimeOffset end) =>
        ((int)Math.Round((end - start).TotalMinutes)).ToString(CultureInfo.InvariantCulture);

    public static string Kilometres(double metres) => (metres / 1000).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>"2026-11" → 2026-11-01; null when the text is not a month.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        DateOnly.TryParseExact((text ?? "").Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;
}
