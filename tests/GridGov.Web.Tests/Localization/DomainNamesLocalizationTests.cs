using System.Globalization;
using System.Reflection;
using GridGov.Domain.Cases;
using GridGov.Web.Resources;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Localization;

/// <summary>Every domain enum a page shows has a Chinese and an English name, and pages name them only through resources.</summary>
public sealed class DomainNamesLocalizationTests
{
    private static readonly IReadOnlyDictionary<string, string> Chinese = ResxFiles.Read(nameof(DomainNamesResource));
    private static readonly IReadOnlyDictionary<string, string> English = ResxFiles.Read(nameof(DomainNamesResource), "en");

    [Fact]
    public void Every_value_of_every_named_enum_has_a_Chinese_name_and_a_different_English_one()
    {
        var missing = new List<string>();
        foreach (var type in DomainNames.Enums)
        {
            foreach (Enum value in Enum.GetValues(type))
            {
                var key = DomainNames.Key(value);
                if (!Chinese.TryGetValue(key, out var zh) || !ResxFiles.HasChinese(zh))
                {
                    missing.Add($"{key}: no Chinese name");
                }
                if (!English.TryGetValue(key, out var en) || string.IsNullOrWhiteSpace(en) || ResxFiles.HasChinese(en) || en == zh)
                {
                    missing.Add($"{key}: no English name");
                }
            }
        }
        Assert.Empty(missing);
        Assert.Equal(Chinese.Keys.Order(StringComparer.Ordinal), English.Keys.Order(StringComparer.Ordinal));
        // No stale entry for a value that no longer exists.
        var known = DomainNames.Enums.SelectMany(t => Enum.GetValues(t).Cast<Enum>().Select(DomainNames.Key)).ToHashSet();
        Assert.DoesNotContain(Chinese.Keys, k => !known.Contains(k));
    }

    [Fact]
    public void The_Chinese_names_agree_with_the_domain_names_used_in_Chinese_documents()
    {
        var switches = typeof(CaseState).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name == "ChineseName" && m.GetParameters() is [{ ParameterType.IsEnum: true }])
            .ToDictionary(m => m.GetParameters()[0].ParameterType);
        Assert.Contains(typeof(CaseState), switches.Keys);
        foreach (var type in DomainNames.Enums.Where(switches.ContainsKey))
        {
            foreach (Enum value in Enum.GetValues(type))
            {
                Assert.Equal((string)switches[type].Invoke(null, [value])!, Chinese[DomainNames.Key(value)]);
            }
        }
    }

    [Fact]
    public void The_localizer_answers_in_the_current_UI_culture()
    {
        var names = Localizers.For<DomainNamesResource>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("Registered", names.Of(CaseState.Registered));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal("已立案", names.Of(CaseState.Registered));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void No_page_names_a_domain_value_through_the_Chinese_only_switches()
    {
        var offenders = Directory.EnumerateFiles(RepositoryPaths.WebProject, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".razor", StringComparison.Ordinal) || path.EndsWith(".cs", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(x => x.line.Contains("ChineseName(", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(RepositoryPaths.Root, x.path)}:{x.index + 1}")
            .ToList();
        Assert.Empty(offenders);
    }
}
