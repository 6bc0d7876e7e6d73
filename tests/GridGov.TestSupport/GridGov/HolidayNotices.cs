using System.Text;

namespace GridGov.TestSupport.GridGov;

/// <summary>The State Council's holiday notices for 2024–2026 as published (their files live with the parser's tests).</summary>
public static class HolidayNotices
{
    public static string Text(int year)
    {
        using var stream = typeof(HolidayNotices).Assembly.GetManifestResourceStream($"Notices.{year}.txt")
            ?? throw new InvalidOperationException($"no notice for {year}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
