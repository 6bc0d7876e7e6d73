using System.Globalization;
using System.Text;
using GridGov.Domain.Ledgers;

namespace GridGov.Application.Ledgers.Import;

/// <summary>
/// How a spreadsheet's cells become values: text cleaned the same way everywhere (full-width letters and digits to
/// half-width, runs of spaces to one, control characters dropped), and the coded columns' Chinese names, with the
/// variants streets write, mapped to the domain's values.
/// </summary>
public static class ImportValues
{
    /// <summary>The names the ledger pages show (LedgerResource), which the templates offer.</summary>
    public static readonly IReadOnlyDictionary<HouseholdKind, string> HouseholdKindNames = new Dictionary<HouseholdKind, string>
    {
        [HouseholdKind.RegisteredAndResident] = "人户一致",
        [HouseholdKind.Separated] = "人户分离",
        [HouseholdKind.Rental] = "租房户",
    };

    public static readonly IReadOnlyDictionary<PopulationKind, string> PopulationKindNames = new Dictionary<PopulationKind, string>
    {
        [PopulationKind.Registered] = "户籍",
        [PopulationKind.Floating] = "流动",
        [PopulationKind.Temporary] = "暂住",
    };

    public static readonly IReadOnlyDictionary<UnitKind, string> UnitKindNames = new Dictionary<UnitKind, string>
    {
        [UnitKind.Enterprise] = "企业",
        [UnitKind.GovernmentBody] = "机关",
        [UnitKind.Institution] = "事业单位",
        [UnitKind.SocialOrganisation] = "社会组织",
        [UnitKind.Shop] = "门店/商户",
    };

    public static readonly IReadOnlyDictionary<ComponentState, string> ComponentStateNames = new Dictionary<ComponentState, string>
    {
        [ComponentState.Intact] = "完好",
        [ComponentState.Damaged] = "破损",
        [ComponentState.Lost] = "丢失",
        [ComponentState.Occupied] = "占用",
    };

    /// <summary>The answers of a yes/no column (是否五小门店, 是否建立党组织).</summary>
    public static readonly IReadOnlyList<string> YesNoNames = ["是", "否"];

    private static readonly Dictionary<string, HouseholdKind> HouseholdKinds = Vocabulary(HouseholdKindNames, new Dictionary<string, HouseholdKind>
    {
        ["人户合一"] = HouseholdKind.RegisteredAndResident,
        ["户在人在"] = HouseholdKind.RegisteredAndResident,
        ["常住户"] = HouseholdKind.RegisteredAndResident,
        ["人在户不在"] = HouseholdKind.Separated,
        ["户在人不在"] = HouseholdKind.Separated,
        ["租户"] = HouseholdKind.Rental,
        ["租住户"] = HouseholdKind.Rental,
        ["出租户"] = HouseholdKind.Rental,
        ["租房"] = HouseholdKind.Rental,
    });

    private static readonly Dictionary<string, PopulationKind> PopulationKinds = Vocabulary(PopulationKindNames, new Dictionary<string, PopulationKind>
    {
        ["户籍人口"] = PopulationKind.Registered,
        ["常住人口"] = PopulationKind.Registered,
        ["本地户籍"] = PopulationKind.Registered,
        ["流动人口"] = PopulationKind.Floating,
        ["外来人口"] = PopulationKind.Floating,
        ["暂住人口"] = PopulationKind.Temporary,
    });

    private static readonly Dictionary<string, UnitKind> UnitKinds = Vocabulary(UnitKindNames, new Dictionary<string, UnitKind>
    {
        ["公司"] = UnitKind.Enterprise,
        ["企业单位"] = UnitKind.Enterprise,
        ["机关单位"] = UnitKind.GovernmentBody,
        ["党政机关"] = UnitKind.GovernmentBody,
        ["事业"] = UnitKind.Institution,
        ["社会团体"] = UnitKind.SocialOrganisation,
        ["社团"] = UnitKind.SocialOrganisation,
        ["民办非企业单位"] = UnitKind.SocialOrganisation,
        ["门店"] = UnitKind.Shop,
        ["商户"] = UnitKind.Shop,
        ["商铺"] = UnitKind.Shop,
        ["店铺"] = UnitKind.Shop,
        ["个体工商户"] = UnitKind.Shop,
        ["个体户"] = UnitKind.Shop,
    });

    private static readonly Dictionary<string, ComponentState> ComponentStates = Vocabulary(ComponentStateNames, new Dictionary<string, ComponentState>
    {
        ["正常"] = ComponentState.Intact,
        ["良好"] = ComponentState.Intact,
        ["损坏"] = ComponentState.Damaged,
        ["破损待修"] = ComponentState.Damaged,
        ["缺失"] = ComponentState.Lost,
        ["遗失"] = ComponentState.Lost,
        ["被占用"] = ComponentState.Occupied,
        ["占道"] = ComponentState.Occupied,
    });

    private static readonly Dictionary<string, bool> YesNo = new(StringComparer.Ordinal)
    {
        ["是"] = true, ["有"] = true, ["Y"] = true, ["YES"] = true, ["TRUE"] = true, ["1"] = true, ["√"] = true,
        ["否"] = false, ["无"] = false, ["没有"] = false, ["N"] = false, ["NO"] = false, ["FALSE"] = false, ["0"] = false, ["×"] = false,
    };

    private static readonly Dictionary<string, ResidentGroup> Groups = Vocabulary(
        Enum.GetValues<ResidentGroup>().ToDictionary(g => g, g => g.ChineseName()),
        new Dictionary<string, ResidentGroup>
        {
            ["中共党员"] = ResidentGroup.PartyMember,
            ["低保"] = ResidentGroup.SubsistenceAllowance,
            ["低保对象"] = ResidentGroup.SubsistenceAllowance,
            ["困难家庭"] = ResidentGroup.Hardship,
            ["困难群众"] = ResidentGroup.Hardship,
            ["残疾"] = ResidentGroup.Disabled,
            ["退休"] = ResidentGroup.Retired,
            ["退休人员"] = ResidentGroup.Retired,
            ["独居"] = ResidentGroup.ElderlyLivingAlone,
            ["空巢"] = ResidentGroup.EmptyNestElderly,
            ["失业"] = ResidentGroup.Unemployed,
            ["社区矫正人员"] = ResidentGroup.CommunityCorrection,
            ["刑满释放人员"] = ResidentGroup.ReleasedPrisonerSupport,
            ["精神障碍患者"] = ResidentGroup.MentalDisorder,
        });

    /// <summary>The separators between several values in one cell (标签: 党员、退休职工).</summary>
    private static readonly char[] ListSeparators = ['、', ',', '，', ';', '；', '/', '|', ' '];

    public static bool TryHouseholdKind(string text, out HouseholdKind kind) => HouseholdKinds.TryGetValue(Key(text), out kind);

    public static bool TryPopulationKind(string text, out PopulationKind kind) => PopulationKinds.TryGetValue(Key(text), out kind);

    public static bool TryUnitKind(string text, out UnitKind kind) => UnitKinds.TryGetValue(Key(text), out kind);

    public static bool TryComponentState(string text, out ComponentState state) => ComponentStates.TryGetValue(Key(text), out state);

    /// <summary>是/否 and the usual variants (有/无, Y/N, 1/0, √/×; a boolean cell reads as 是/否).</summary>
    public static bool TryYesNo(string text, out bool value) => YesNo.TryGetValue(Key(text), out value);

    /// <summary>The tags of a cell, in the enum's order without repeats; <paramref name="unknown"/> holds what matched no tag.</summary>
    public static IReadOnlyList<ResidentGroup> ParseGroups(string text, out IReadOnlyList<string> unknown)
    {
        var groups = new SortedSet<ResidentGroup>();
        var bad = new List<string>();
        foreach (var part in text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Groups.TryGetValue(Key(part), out var group))
            {
                groups.Add(group);
            }
            else
            {
                bad.Add(part);
            }
        }
        unknown = bad;
        return [.. groups];
    }

    /// <summary>
    /// A cell as text: strings cleaned (<see cref="Clean"/>), whole numbers without a decimal point or exponent
    /// (13812345678, not 1.3812345678E10), other numbers as the shortest round-trip text, dates as yyyy-MM-dd.
    /// </summary>
    public static string Text(object? cell) => cell switch
    {
        null => "",
        string text => Clean(text),
        double number when Math.Abs(number) < 1e15 && number == Math.Floor(number) => ((long)number).ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        int or long => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
        bool flag => flag ? "是" : "否",
        DateTime date => date.TimeOfDay == TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ => Clean(Convert.ToString(cell, CultureInfo.InvariantCulture)),
    };

    /// <summary>
    /// Full-width ASCII (ＡＢＣ１２３) and the ideographic space to their half-width forms, control characters (a pasted
    /// NUL, a tab) dropped, runs of spaces to one, trimmed: what a person sees is what is compared and stored.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            var half = c switch
            {
                '\u3000' => ' ',
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                _ => c,
            };
            if (char.IsWhiteSpace(half) || char.IsControl(half))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(half);
        }
        return builder.ToString();
    }

    /// <summary>How coded values are compared: cleaned (<see cref="Clean"/>), without spaces, upper case.</summary>
    public static string Key(string text) => Clean(text).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static Dictionary<string, T> Vocabulary<T>(IReadOnlyDictionary<T, string> names, Dictionary<string, T> variants) where T : struct, Enum
    {
        var vocabulary = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (value, name) in names)
        {
            vocabulary[Key(name)] = value;
            vocabulary[Key(value.ToString())] = value; // the English name, as an export of GridGov writes it
        }
        foreach (var (name, value) in variants)
        {
            vocabulary[Key(name)] = value;
        }
        return vocabulary;
    }
}

/// <summary>How a header cell is compared with a template's headers and their synonyms.</summary>
public static class ImportHeaders
{
    private static readonly string[] Decorations = ["（必填）", "(必填)", "（选填）", "(选填)", "*", "＊", "：", ":"];

    /// <summary>Cleaned, spaces and marks of a required column (*, （必填）) removed, upper case.</summary>
    public static string Normalise(string header)
    {
        var text = ImportValues.Clean(header);
        foreach (var decoration in Decorations)
        {
            text = text.Replace(ImportValues.Clean(decoration), "", StringComparison.Ordinal);
        }
        return text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>The column a header names, or null.</summary>
    public static ImportColumn? Match(LedgerImportTemplate template, string header)
    {
        var key = Normalise(header);
        if (key.Length == 0)
        {
            return null;
        }
        return template.Columns.FirstOrDefault(c => Normalise(c.Header) == key)
            ?? template.Columns.FirstOrDefault(c => c.Synonyms.Any(s => Normalise(s) == key));
    }
}
