using System.Globalization;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Application.Ledgers.Import;

/// <summary>
/// One column of an import template: the header the template writes, the other headers a street's own spreadsheet may
/// use for it (matched after <see cref="ImportHeaders.Normalise"/>), whether the file must have it, the rule field it
/// belongs to (for messages), the values a drop-down offers (<see cref="OptionsOnly"/>: only those; otherwise a
/// suggestion, as for the tag lists), an example and a note for the template's explanation sheet.
/// </summary>
public sealed record ImportColumn(
    string Key,
    string Header,
    IReadOnlyList<string> Synonyms,
    bool Required,
    DomainField Field,
    string Example,
    string Note,
    IReadOnlyList<string>? Options = null,
    bool OptionsOnly = true,
    bool Text = false,
    double Width = 16);

/// <summary>A ledger's import template: the sheet's name, its columns in the template's order, and general notes.</summary>
public sealed record LedgerImportTemplate(LedgerImportKind Kind, string SheetName, string FileStem, IReadOnlyList<ImportColumn> Columns, IReadOnlyList<string> Notes)
{
    public ImportColumn Column(string key) => Columns.Single(c => c.Key == key);
}

/// <summary>
/// The templates of the ledgers that can be imported, with the Chinese headers streets use. A new ledger (units,
/// components) adds its template here, a row parser and its SQL (ILedgerImportSql); the reading, checking, dry run,
/// refused-rows file, lock and page stay as they are.
/// </summary>
public static class LedgerImportTemplates
{
    /// <summary>An example row is marked so, in its first cell; the import skips such rows.</summary>
    public const string ExampleMark = "（示例）";

    public static readonly IReadOnlyList<LedgerImportKind> Kinds = Enum.GetValues<LedgerImportKind>();

    public static LedgerImportTemplate For(LedgerImportKind kind) => kind switch
    {
        LedgerImportKind.Households => Households,
        LedgerImportKind.Residents => Residents,
        LedgerImportKind.Units => Units,
        LedgerImportKind.Components => Components,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly string[] CommonNotes =
    [
        "第1行为表头，可调整列的顺序，表头也可使用常见的同义名称（如“公民身份号码”“手机号”）；不认识的列会被忽略。",
        $"第2行为示例（首格以“{ExampleMark}”开头），导入时自动跳过，也可删除。",
        "先“预检”：系统检查每一行并给出新增、修改、未变和拒绝的行数，拒绝的行可下载（每个出错的单元格旁写明原因）。确认后才写入台账。",
        "导入是一个整体：确认后全部写入，或（取消、出错时）一行也不写入。重复导入同一文件不会产生任何改动。",
    ];

    public static readonly LedgerImportTemplate Households = new(LedgerImportKind.Households, "户台账", "户台账导入模板",
    [
        new("address", "户地址", ["地址", "住址", "房屋地址", "详细地址", "门牌地址", "家庭住址"], true, DomainFields.Address,
            "云帆街道幸福小区1幢1单元101", "完整地址，含小区、楼栋和房号；系统按地址识别已有的户", Width: 36),
        new("dwelling", "房号", ["单元室", "单元房号", "室号", "门牌号", "单元及房号"], true, DomainFields.Dwelling,
            "1单元101", "单元和房间号", Width: 14),
        new("kind", "户别", ["户类别", "户类型", "住户类型", "户籍类型"], true, DomainFields.HouseholdKind,
            ImportValues.HouseholdKindNames[HouseholdKind.RegisteredAndResident], "人户一致：户籍在此且居住在此；人户分离：户籍或居住有一处在外；租房户：租住在此",
            Options: Enum.GetValues<HouseholdKind>().Select(k => ImportValues.HouseholdKindNames[k]).ToList(), Width: 12),
        new("gridCode", "网格编码", ["网格代码", "所属网格编码", "所属网格代码", "网格号"], false, DomainFields.GridCode,
            "320508019001001", "15位网格编码；与经纬度二选一，都填写时须一致。已有的户，以及户地址写明已登记小区和楼栋的户，可不填", Text: true, Width: 18),
        new("longitude", "经度", ["lng", "lon", "longitude", "x坐标", "东经"], false, DomainFields.Longitude,
            "120.6191", "WGS-84坐标（度），与纬度同时填写；系统据此确定所在网格", Width: 12),
        new("latitude", "纬度", ["lat", "latitude", "y坐标", "北纬"], false, DomainFields.Latitude,
            "31.3082", "WGS-84坐标（度），与经度同时填写", Width: 12),
    ], [.. CommonNotes, "户按“户地址”识别：地址相同的在册户视为同一户，更新其房号和户别；户的所属网格不能通过导入改变。"]);

    public static readonly LedgerImportTemplate Residents = new(LedgerImportKind.Residents, "居民台账", "居民台账导入模板",
    [
        new("name", "姓名", ["居民姓名", "名字", "人员姓名"], true, DomainFields.PersonName, "张三", "", Width: 12),
        new("idNumber", "身份证号", ["公民身份号码", "身份证号码", "证件号码", "身份证", "证件号", "身份证件号码"], true, DomainFields.IdNumber,
            ExampleIdNumber, "18位公民身份号码（含校验位，前两位为省级行政区划代码）；请设为文本格式，以免Excel改成科学计数法", Text: true, Width: 22),
        new("phone", "联系电话", ["手机号", "手机号码", "电话", "电话号码", "联系方式", "手机"], false, DomainFields.Phone,
            "13812345678", "11位手机号或带区号的固定电话；有此列时以文件为准，空白表示清空", Text: true, Width: 15),
        new("populationKind", "人口类型", ["人口类别", "人员类型", "人口性质", "人员类别"], false, DomainFields.PopulationKind,
            ImportValues.PopulationKindNames[PopulationKind.Registered], "新登记的居民必须填写",
            Options: Enum.GetValues<PopulationKind>().Select(k => ImportValues.PopulationKindNames[k]).ToList(), Width: 12),
        new("householdAddress", "户地址", ["住址", "家庭住址", "居住地址", "现住址", "现居住地址", "地址", "所在户地址"], false, DomainFields.HouseholdAddress,
            "云帆街道幸福小区1幢1单元101", "所在户的完整地址（须已在户台账中）；新登记的居民必须填写，已有居民填写不同的地址即迁入该户", Width: 36),
        new("groups", "人群标签", ["标签", "特殊人群", "重点人群", "人员标签", "人群类别", "特殊群体"], false, DomainFields.ResidentGroups,
            $"{ResidentGroup.PartyMember.ChineseName()}、{ResidentGroup.Retired.ChineseName()}", "可填多个，用“、”或逗号分隔；有此列时以文件为准，空白表示没有标签",
            Options: Enum.GetValues<ResidentGroup>().Select(g => g.ChineseName()).ToList(), OptionsOnly: false, Width: 24),
    ], [.. CommonNotes, "居民按“身份证号”识别：已登记的居民更新其姓名、电话、人口类型、所在户和标签；没有的列保留原值。"]);

    public static readonly LedgerImportTemplate Units = new(LedgerImportKind.Units, "单位台账", "单位台账导入模板",
    [
        new("creditCode", "统一社会信用代码", ["信用代码", "社会信用代码", "统一代码", "信用代码证号", "统一社会信用代码证号"], false, DomainFields.CreditCode,
            ExampleCreditCode, "18位，含校验位；填写后系统按此识别已登记的单位，未填写时按单位名称和地址识别", Text: true, Width: 22),
        new("name", "单位名称", ["名称", "单位", "企业名称", "机构名称", "店名", "门店名称", "商户名称", "店铺名称"], true, DomainFields.UnitName,
            "云帆便利店", "", Width: 24),
        new("kind", "单位类别", ["类别", "单位类型", "类型", "单位性质"], true, DomainFields.UnitKind,
            ImportValues.UnitKindNames[UnitKind.Shop], "",
            Options: Enum.GetValues<UnitKind>().Select(k => ImportValues.UnitKindNames[k]).ToList(), Width: 12),
        new("address", "经营地址", ["地址", "单位地址", "详细地址", "注册地址", "门店地址", "经营场所", "住所"], true, DomainFields.Address,
            "云帆街道幸福路18号", "", Width: 32),
        new("contactName", "负责人", ["法定代表人", "法人", "法人代表", "联系人", "负责人姓名", "经营者", "店主"], true, DomainFields.ContactName,
            "李四", "", Width: 12),
        new("contactPhone", "联系电话", ["电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "负责人电话"], true, DomainFields.ContactPhone,
            "13812345678", "11位手机号或带区号的固定电话", Text: true, Width: 15),
        new("employeeCount", "从业人数", ["员工人数", "职工人数", "从业人员数", "人数", "员工数"], false, DomainFields.EmployeeCount,
            "3", "整数；新登记的单位必须填写", Width: 10),
        new("hasParty", "是否建立党组织", ["党组织", "有无党组织", "建立党组织", "建有党组织"], false, DomainFields.PartyOrganisation,
            "否", "", Options: ImportValues.YesNoNames, Width: 14),
        new("partyMembers", "党员人数", ["党员数", "党员"], false, DomainFields.PartyMembers,
            "0", "整数，不超过从业人数", Width: 10),
        new("smallVenue", "五小门店", ["是否五小门店", "五小", "五小场所", "是否五小"], false, DomainFields.SmallVenue,
            "是", "小餐饮、小旅馆、小歌舞娱乐场所、小美容洗浴场所、小网吧；只有门店/商户可以是", Options: ImportValues.YesNoNames, Width: 10),
        new("longitude", "经度", ["lng", "lon", "longitude", "x坐标", "东经"], false, DomainFields.Longitude,
            "120.6191", "WGS-84坐标（度），与纬度同时填写，系统据此确定所在网格；新登记的单位必须填写，除非经营地址写明已登记的小区和楼栋（取该楼栋的位置）", Width: 12),
        new("latitude", "纬度", ["lat", "latitude", "y坐标", "北纬"], false, DomainFields.Latitude,
            "31.3082", "WGS-84坐标（度），与经度同时填写", Width: 12),
    ], [.. CommonNotes, "单位按“统一社会信用代码”识别，没有代码时按“单位名称”和“经营地址”识别：已登记的单位更新其各项信息，经纬度不同即迁至该位置；空白或没有的列保留原值。"]);

    public static readonly LedgerImportTemplate Components = new(LedgerImportKind.Components, "部件台账", "部件台账导入模板",
    [
        new("code", "部件编码", ["部件代码", "编码", "部件编号", "部件标识码", "标识码", "部件识别码"], true, DomainFields.ComponentCode,
            "3205080101000001", "16位：区划代码6位 + 大类2位 + 小类2位 + 序号6位；系统按此识别已登记的部件。请设为文本格式", Text: true, Width: 20),
        new("name", "部件名称", ["名称", "部件", "部件类型", "小类名称"], true, DomainFields.ComponentName,
            "上水井盖", "", Width: 16),
        new("state", "部件状态", ["状态", "完好情况", "现状"], false, DomainFields.ComponentState,
            ImportValues.ComponentStateNames[ComponentState.Intact], "新登记的部件不填即为“完好”；已有的部件不填即保留原状态",
            Options: Enum.GetValues<ComponentState>().Select(s => ImportValues.ComponentStateNames[s]).ToList(), Width: 10),
        new("owner", "权属部门", ["权属单位", "主管部门", "管理部门", "养护单位", "责任部门", "权属"], false, DomainFields.ComponentOwner,
            "城管执法中队", "部门名称（或部门编码），须为系统中已有的部门；新登记的部件必须填写", Width: 18),
        new("longitude", "经度", ["lng", "lon", "longitude", "x坐标", "东经"], false, DomainFields.Longitude,
            "120.6191", "WGS-84坐标（度），与纬度同时填写；新登记的部件必须填写，系统据此确定所在网格", Width: 12),
        new("latitude", "纬度", ["lat", "latitude", "y坐标", "北纬"], false, DomainFields.Latitude,
            "31.3082", "WGS-84坐标（度），与经度同时填写", Width: 12),
    ], [.. CommonNotes, "部件按16位“部件编码”识别：已登记的部件更新其名称、状态、权属部门和位置（经纬度不同即迁至该位置）；空白或没有的列保留原值；部件编码不能通过导入修改。"]);

    /// <summary>Excel's limit on an inline drop-down list (its formula, commas included).</summary>
    private const int DropDownMaxLength = 255;

    /// <summary>
    /// The components' template with the street's departments as the owner column's drop-down (when they fit in one;
    /// else the column stays free text and the import checks the names).
    /// </summary>
    public static LedgerImportTemplate ComponentsWith(IReadOnlyList<string> departments) =>
        departments.Count == 0 || string.Join(",", departments).Length > DropDownMaxLength
            ? Components
            : Components with
            {
                Columns = Components.Columns.Select(c => c.Key == "owner" ? c with { Options = departments, Example = departments[0] } : c).ToList(),
            };

    /// <summary>A valid credit code for the example row (a fictional shop of the street's division).</summary>
    private static string ExampleCreditCode => "92320508MA1XYW123" + CreditCode.ComputeCheckCharacter("92320508MA1XYW123");

    /// <summary>A valid number for the example row (a fixed, fictional person).</summary>
    private static string ExampleIdNumber => IdNumber.Create("320508", new DateOnly(1990, 1, 1), 123).Value;

    /// <summary>Excel column letters of a 0-based index (A, B, … Z, AA …), as the refused-rows file and messages name columns.</summary>
    public static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + (n - 1) % 26) + letters;
        }
        return letters;
    }

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
