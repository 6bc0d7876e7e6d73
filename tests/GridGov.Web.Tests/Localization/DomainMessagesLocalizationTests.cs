using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Web.Resources;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Localization;

/// <summary>
/// Every refusal code thrown in src has a Chinese and an English template with the same placeholders, every field label
/// has an English name, and pages word refusals through <see cref="DomainMessages"/>, never by matching Chinese text.
/// </summary>
public sealed partial class DomainMessagesLocalizationTests
{
    private static readonly IReadOnlyDictionary<string, string> Chinese = ResxFiles.Read(nameof(DomainMessagesResource));
    private static readonly IReadOnlyDictionary<string, string> English = ResxFiles.Read(nameof(DomainMessagesResource), "en");

    [Fact]
    public void Every_code_thrown_in_src_has_a_Chinese_and_an_English_template_with_the_same_placeholders()
    {
        var thrown = ThrownCodes();
        Assert.Contains("text.required", thrown.Keys);
        Assert.Contains(LedgerServiceStale, thrown.Keys);
        Assert.True(thrown.Count > 150, $"only {thrown.Count} codes found: the scan lost its way");

        var problems = new List<string>();
        foreach (var (code, where) in thrown.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!Chinese.TryGetValue(code, out var zh) || !ResxFiles.HasChinese(zh))
            {
                problems.Add($"{code} ({where}): no Chinese template in DomainMessagesResource.resx");
                continue;
            }
            if (!English.TryGetValue(code, out var en) || string.IsNullOrWhiteSpace(en) || ResxFiles.HasChinese(en))
            {
                problems.Add($"{code} ({where}): no English template in DomainMessagesResource.en.resx");
                continue;
            }
            if (!Placeholders(zh).SetEquals(Placeholders(en)))
            {
                problems.Add($"{code}: placeholders differ: “{zh}” / “{en}”");
            }
        }
        // A template no code uses any more is a leftover.
        problems.AddRange(Chinese.Keys.Where(k => !k.StartsWith("Label.", StringComparison.Ordinal) && !thrown.ContainsKey(k)).Select(k => $"{k}: in the resx but thrown nowhere"));
        Assert.Empty(problems);
        Assert.Equal(Chinese.Keys.Order(StringComparer.Ordinal), English.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_field_the_rules_name_has_an_English_label()
    {
        var fields = typeof(DomainFields).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (DomainField)f.GetValue(null)!).ToList();
        Assert.NotEmpty(fields);
        var missing = fields
            .Where(f => string.IsNullOrEmpty(f.Name)
                        || !English.TryGetValue("Label." + f.Label, out var en) || string.IsNullOrWhiteSpace(en) || ResxFiles.HasChinese(en)
                        || !Chinese.ContainsKey("Label." + f.Label))
            .Select(f => f.Label)
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void A_refusal_reads_in_English_with_its_field_and_values_named_in_English_and_unchanged_in_Chinese()
    {
        var messages = new DomainMessages(Localizers.For<DomainMessagesResource>(), Localizers.For<DomainNamesResource>());
        var tooLong = Assert.Throws<DomainException>(() => Text.Require(new string('x', 31), 30, DomainFields.PersonName));
        var illegal = Assert.Throws<DomainException>(() => CaseWorkflow.Check(CaseAction.Archive, CaseState.Reported, CaseActor.System));
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("Name cannot be longer than 30 characters", messages.Text(tooLong));
            Assert.Equal("The case is “Awaiting registration”; “Archive” is not possible now", messages.Text(illegal));
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal(tooLong.Message, messages.Text(tooLong));
            Assert.Equal("姓名不能超过30个字", messages.Text(tooLong));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
        Assert.Equal("name", tooLong.Field);
    }

    [Fact]
    public void No_page_finds_a_refusals_field_by_its_Chinese_text()
    {
        var offenders = WebSources()
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(x => x.line.Contains("Message.StartsWith(", StringComparison.Ordinal) || x.line.Contains("FieldOf(exception, new Dictionary", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(RepositoryPaths.Root, x.path)}:{x.index + 1}")
            .ToList();
        Assert.Empty(offenders);
    }

    private const string LedgerServiceStale = "ledger.stale";

    /// <summary>Codes given to DomainException (directly, through DomainException.For, a Refuse helper, a target-typed new, or a *Code constant).</summary>
    private static Dictionary<string, string> ThrownCodes()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var src = Path.Combine(RepositoryPaths.Root, "src");
        foreach (var path in Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
                     .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
                     .Where(p => !IsBuildOutput(p)))
        {
            var text = File.ReadAllText(path);
            if (!text.Contains("DomainException", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var match in ThrowSite().Matches(text).Concat(CodeConstant().Matches(text)))
            {
                codes.TryAdd(match.Groups["code"].Value, Path.GetRelativePath(RepositoryPaths.Root, path));
            }
        }
        return codes;
    }

    private static IEnumerable<string> WebSources() =>
        Directory.EnumerateFiles(RepositoryPaths.WebProject, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
            .Where(p => !IsBuildOutput(p));

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static HashSet<int> Placeholders(string template) =>
        [.. Placeholder().Matches(template).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex("""(?:DomainException\(|DomainException\.For\([^,()]+,\s*|Refuse\(|\bnew\()\s*"(?<code>[a-z][a-z0-9-]*\.[a-z0-9.-]+)"\s*,""")]
    private static partial Regex ThrowSite();

    [GeneratedRegex("""const string \w*Code = "(?<code>[a-z][a-z0-9-]*\.[a-z0-9.-]+)";""")]
    private static partial Regex CodeConstant();

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
