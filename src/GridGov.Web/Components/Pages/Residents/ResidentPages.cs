using System.Globalization;
using GridGov.Domain.Calendar;

namespace GridGov.Web.Components.Pages.Residents;

/// <summary>What the residents' pages share: where to go after the code, and how a time reads.</summary>
public static class ResidentPages
{
    public const string Home = "/r";

    /// <summary>The page to return to after confirming the phone: only a resident page of this app, else the home page.</summary>
    public static string Next(string? next) =>
        next is { Length: > 0 and < 300 } && next.StartsWith("/r", StringComparison.Ordinal) && !next.StartsWith("//", StringComparison.Ordinal)
        && !next.Contains('\\', StringComparison.Ordinal) && Infrastructure.LocalUrls.IsLocal(next)
            ? next
            : Home;

    public static string SignInFor(string next) => $"{Home}?next={Uri.EscapeDataString(next)}";

    public static string Time(DateTimeOffset moment) => WorkingCalendar.ToChinaTime(moment).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
