using System.Text.RegularExpressions;
using GridGov.Domain.Calendar;
using GridGov.Domain.Categories;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Seeding;

namespace GridGov.Application.Tests.Seeding;

public class ReferenceDataTests
{
    private static readonly Regex PhonePattern = new(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$");

    private static IEnumerable<(MajorSeed Major, MinorSeed Minor)> AllMinors() =>
        ReferenceData.Taxonomy.SelectMany(major => major.Minors.Select(minor => (major, minor)));

    [Fact]
    public void Taxonomy_has_at_least_8_majors_and_50_minors()
    {
        Assert.True(ReferenceData.Taxonomy.Count >= 8, $"majors: {ReferenceData.Taxonomy.Count}");
        Assert.True(AllMinors().Count() >= 50, $"minors: {AllMinors().Count()}");
        Assert.All(ReferenceData.Taxonomy, major => Assert.NotEmpty(major.Minors));
    }

    [Fact]
    public void Codes_are_unique_and_minor_codes_extend_their_major_code()
    {
        var majorCodes = ReferenceData.Taxonomy.Select(m => m.Code).ToList();
        Assert.Equal(majorCodes.Count, majorCodes.Distinct().Count());
        Assert.All(majorCodes, code => Assert.Matches(@"^\d{2}$", code));

        var minorCodes = AllMinors().Select(x => x.Minor.Code).ToList();
        Assert.Equal(minorCodes.Count, minorCodes.Distinct().Count());
        Assert.All(AllMinors(), x =>
        {
            Assert.Matches(@"^\d{4}$", x.Minor.Code);
            Assert.StartsWith(x.Major.Code, x.Minor.Code, StringComparison.Ordinal);
        });

        var minorNames = AllMinors().Select(x => x.Minor.Name).ToList();
        Assert.Equal(minorNames.Count, minorNames.Distinct().Count());
    }

    [Fact]
    public void Every_minor_default_department_exists()
    {
        var departmentCodes = ReferenceData.Departments.Select(d => d.Code).ToHashSet();
        Assert.All(AllMinors(), x => Assert.Contains(x.Minor.DepartmentCode, departmentCodes));
    }

    [Fact]
    public void Department_codes_are_unique_uppercase()
    {
        var codes = ReferenceData.Departments.Select(d => d.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[A-Z]{2,10}$", code));
        Assert.True(ReferenceData.Departments.Count >= 12);
    }

    [Fact]
    public void Every_category_kind_is_present()
    {
        foreach (var kind in Enum.GetValues<CategoryKind>())
        {
            Assert.Contains(ReferenceData.Taxonomy, major => major.Kind == kind);
        }
    }

    [Theory]
    [InlineData("城管")]
    [InlineData("市政")]
    [InlineData("园林")]
    [InlineData("安监")]
    [InlineData("综治")]
    [InlineData("民政")]
    [InlineData("住建")]
    [InlineData("市场监管")]
    [InlineData("派出所")]
    [InlineData("社区居委会")]
    public void Departments_include_the_named_ones(string name)
    {
        Assert.Contains(ReferenceData.Departments, d => d.Name.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Community_department_is_at_community_level()
    {
        var community = Assert.Single(ReferenceData.Departments, d => d.Name.Contains("社区居委会", StringComparison.Ordinal));
        Assert.Equal(DepartmentLevel.Community, community.Level);
    }

    [Fact]
    public void Every_duty_phone_is_valid()
    {
        Assert.All(
            ReferenceData.Departments.Where(d => d.DutyPhone is not null),
            d => Assert.Matches(PhonePattern, d.DutyPhone!));
    }

    [Fact]
    public void Seeds_make_valid_entities()
    {
        // The domain constructors check lengths, required texts and phone formats.
        foreach (var seed in ReferenceData.Departments)
        {
            _ = new Department(seed.Code, seed.Name, seed.Level, seed.DutyPhone);
        }
        foreach (var majorSeed in ReferenceData.Taxonomy)
        {
            var major = new CategoryMajor(majorSeed.Code, majorSeed.Name, majorSeed.Kind);
            foreach (var minor in majorSeed.Minors)
            {
                _ = new Category(major, minor.Code, minor.Name, minor.FilingStandard, 1, minor.Limits);
            }
        }
        foreach (var day in ReferenceData.Calendar2026)
        {
            _ = new CalendarDay(day.Date, day.IsWorkingDay, day.Name);
        }
    }

    [Fact]
    public void Time_limits_are_sensible()
    {
        Assert.All(AllMinors(), x =>
        {
            var limits = x.Minor.Limits;
            Assert.True(Minutes(limits.Register) <= 30, $"{x.Minor.Code} register");
            Assert.True(Minutes(limits.Dispatch) <= 30, $"{x.Minor.Code} dispatch");
            Assert.True(Minutes(limits.Verify) <= 120, $"{x.Minor.Code} verify");
            Assert.True(Minutes(limits.UrgentHandle) < Minutes(limits.Handle), $"{x.Minor.Code} urgent handle");
        });
    }

    [Fact]
    public void Filing_standards_are_concrete_sentences()
    {
        Assert.All(AllMinors(), x => Assert.True(x.Minor.FilingStandard.Length >= 15, x.Minor.Code));
    }

    /// <summary>The notice's 33 holiday days, of which 19 fall from Monday to Friday (the only ones the calendar lists), and 6 Saturdays or Sundays worked.</summary>
    [Fact]
    public void Calendar_2026_has_19_weekday_holidays_and_6_adjusted_working_days()
    {
        var calendar = ReferenceData.Calendar2026;
        Assert.Equal(19, calendar.Count(d => !d.IsWorkingDay));
        Assert.All(calendar.Where(d => !d.IsWorkingDay), d => Assert.False(d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, d.Date.ToString("O")));
        Assert.Equal(6, calendar.Count(d => d.IsWorkingDay));
        Assert.Equal(calendar.Count, calendar.Select(d => d.Date).Distinct().Count());
        Assert.All(calendar, d => Assert.Equal(2026, d.Date.Year));
    }

    [Fact]
    public void Adjusted_working_days_fall_on_weekends()
    {
        Assert.All(
            ReferenceData.Calendar2026.Where(d => d.IsWorkingDay),
            d => Assert.True(d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, d.Date.ToString("O")));
    }

    [Theory]
    [InlineData("2026-01-01", "元旦")]
    [InlineData("2026-02-23", "春节")]
    [InlineData("2026-04-06", "清明节")]
    [InlineData("2026-05-05", "劳动节")]
    [InlineData("2026-06-19", "端午节")]
    [InlineData("2026-09-25", "中秋节")]
    [InlineData("2026-10-07", "国庆节")]
    public void Holidays_carry_their_names(string date, string name)
    {
        var day = Assert.Single(ReferenceData.Calendar2026, d => d.Date == DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(day.IsWorkingDay);
        Assert.Equal(name, day.Name);
    }

    private const int MinutesPerWorkingDay = 8 * 60;

    private static int Minutes(TimeLimit limit) => limit.Unit switch
    {
        TimeUnit.Minutes => limit.Amount,
        TimeUnit.WorkingHours => limit.Amount * 60,
        _ => limit.Amount * MinutesPerWorkingDay,
    };
}
