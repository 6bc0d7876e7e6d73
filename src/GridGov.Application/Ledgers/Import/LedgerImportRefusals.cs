using GridGov.Domain.Common;

namespace GridGov.Application.Ledgers.Import;

/// <summary>
/// The refusals of an import, each a <see cref="DomainException"/> with its Chinese message (the refused-rows file and
/// the Chinese page) and a code whose English template the page uses. File-level ones are thrown; row-level ones are
/// collected per cell (<see cref="ImportRefusal"/>). The domain's own refusals (ID number, phone, lengths) are used as
/// they are.
/// </summary>
public static class LedgerImportRefusals
{
    // ---- the file ----

    public static DomainException NotImporter() =>
        new("ledger-import.role", "只有系统管理员和社区书记可以导入台账");

    public static DomainException NotSpreadsheet() =>
        new("ledger-import.not-xlsx", "该文件不是Excel工作簿（.xlsx），无法导入；请下载模板填写后再上传");

    public static DomainException OldExcel() =>
        new("ledger-import.xls", "这是旧版Excel文件（.xls），请在Excel中“另存为”Excel工作簿（.xlsx）后再导入");

    public static DomainException Unreadable() =>
        new("ledger-import.unreadable", "无法读取该工作簿：文件已损坏，或不是有效的Excel工作簿（.xlsx）");

    public static DomainException TooLarge(int megabytes) =>
        new("ledger-import.too-large", $"文件超过{megabytes}MB，无法上传；请分成几个文件导入") { Arguments = [megabytes] };

    public static DomainException EmptyFile() =>
        new("ledger-import.empty-file", "上传的文件是空的（0字节）");

    public static DomainException EmptySheet() =>
        new("ledger-import.empty", "工作表是空的：没有找到表头和数据行");

    public static DomainException NoDataRows() =>
        new("ledger-import.no-rows", "工作表只有表头，没有要导入的数据行");

    public static DomainException TooManyRows(int limit) =>
        new("ledger-import.too-many-rows", $"一次最多导入{limit}行，请分成几个文件导入") { Arguments = [limit] };

    public static DomainException MissingColumns(IReadOnlyList<string> headers) =>
        new("ledger-import.missing-columns", $"缺少必填列：{string.Join("、", headers)}。请使用模板，或把表头改成模板中的列名")
        {
            Arguments = [string.Join("、", headers)],
        };

    public static DomainException DuplicateColumn(string header, string first, string second) =>
        new("ledger-import.duplicate-column", $"“{header}”列出现了两次（{first}列和{second}列），无法确定使用哪一列") { Arguments = [header, first, second] };

    public static DomainException Expired() =>
        new("ledger-import.expired", "导入文件已过期或不存在，请重新上传");

    public static DomainException DryRunFirst() =>
        new("ledger-import.dry-run-first", "请先预检，查看结果后再确认导入");

    public static DomainException Busy(string communityName) =>
        new("ledger-import.busy", $"{communityName}正在进行另一项台账导入，请待其完成后再试") { Arguments = [communityName] };

    public static DomainException Conflict() =>
        new("ledger-import.conflict", "导入期间台账被他人改动（如同时登记了文件中的居民），本次导入没有写入任何数据；请重新预检后再导入");

    // ---- a cell ----

    public static DomainException IdNumberAsNumber() =>
        new("ledger-import.id-number-as-number", "身份证号码被Excel存成了数字，末几位已经丢失；请把该列设为“文本”格式后重新填写")
        {
            Field = DomainFields.IdNumber.Name,
        };

    public static DomainException UnknownValue(DomainField field, string value, IEnumerable<string> options) =>
        DomainException.For(field, "ledger-import.unknown-value", $"{field}“{value}”不是可选的值；可选：{string.Join("、", options)}",
            value, string.Join("、", options));

    public static DomainException RequiredForNew(DomainField field) =>
        DomainException.For(field, "ledger-import.required-for-new", $"新登记的记录必须填写{field}");

    public static DomainException DuplicateInFile(DomainField field, IReadOnlyList<int> otherRows) =>
        DomainException.For(field, "ledger-import.duplicate-in-file",
            $"{field}与第{string.Join("、", otherRows)}行重复；同一文件中每个{field}只能出现一次，这几行都未导入",
            string.Join("、", otherRows));

    public static DomainException ResidentRemoved() =>
        new("ledger-import.resident-removed", "该身份证号码的居民已注销，不能通过导入恢复；请联系管理员核实") { Field = DomainFields.IdNumber.Name };

    public static DomainException IdNumberTakenElsewhere() =>
        new("resident.id-number-taken-elsewhere", "该身份证号码已在其他网格登记，不能重复登记；请联系所在社区核实") { Field = DomainFields.IdNumber.Name };

    public static DomainException HouseholdNotFound(string address) =>
        new("ledger-import.household-not-found", $"台账中没有地址为“{address}”的在册户；请先导入户，或核对地址")
        {
            Field = DomainFields.HouseholdAddress.Name, Arguments = [address],
        };

    public static DomainException HouseholdAmbiguous(int count) =>
        new("ledger-import.household-ambiguous", $"台账中有{count}户使用该地址，无法确定是哪一户；请先在台账中核对") { Arguments = [count] };

    public static DomainException HouseholdOutOfScope() =>
        new("ledger-import.household-out-of-scope", "该户所在的网格不在您负责的范围内");

    public static DomainException GridCodeUnknown(string code) =>
        new("ledger-import.grid-code-unknown", $"网格编码“{code}”不存在或已撤销") { Field = DomainFields.GridCode.Name, Arguments = [code] };

    public static DomainException GridMismatch(string pointGrid, string codeGrid) =>
        new("ledger-import.grid-mismatch", $"经纬度位于网格{pointGrid}，与网格编码{codeGrid}不一致") { Arguments = [pointGrid, codeGrid] };

    public static DomainException GridDiffersFromLedger(string ledgerGrid, string rowGrid) =>
        new("ledger-import.grid-differs", $"该地址的户在台账中属于网格{ledgerGrid}，与本行的网格{rowGrid}不一致；户不能通过导入改变所属网格")
        {
            Arguments = [ledgerGrid, rowGrid],
        };

    public static DomainException LocationRequired() =>
        new("ledger-import.location-required", "新登记的户必须填写网格编码，或同时填写经度和纬度，或在户地址中写明已登记的小区和楼栋");

    public static DomainException Uncovered() =>
        new("ledger-import.uncovered", "该经纬度在街道范围内，但不属于任何网格；请核对坐标或联系管理员补全网格");

    public static DomainException OutsideStreet() =>
        new("ledger-import.outside-street", "该经纬度在本街道范围之外，请核对坐标（应为WGS-84经纬度）");

    public static DomainException CoordinateNotNumber(DomainField field, string value) =>
        DomainException.For(field, "ledger-import.coordinate", $"{field}“{value}”不是数字；请填写以度为单位的坐标，如120.6191", value);

    public static DomainException CoordinateHalf() =>
        new("ledger-import.coordinate-half", "经度和纬度须同时填写");

    public static DomainException NotCount(DomainField field, string value) =>
        DomainException.For(field, "ledger-import.not-count", $"{field}“{value}”不是整数；请填写人数，如12", value);

    public static DomainException DuplicateUnitInFile(IReadOnlyList<int> otherRows) =>
        new("ledger-import.duplicate-unit", $"单位名称和地址与第{string.Join("、", otherRows)}行相同；同一单位在一个文件中只能出现一次，这几行都未导入")
        {
            Field = DomainFields.UnitName.Name, Arguments = [string.Join("、", otherRows)],
        };

    public static DomainException SameRecordInFile(IReadOnlyList<int> otherRows) =>
        new("ledger-import.same-record", $"与第{string.Join("、", otherRows)}行指向台账中的同一条记录；同一记录在一个文件中只能出现一次，这几行都未导入")
        {
            Arguments = [string.Join("、", otherRows)],
        };

    public static DomainException UnitAmbiguous(int count) =>
        new("ledger-import.unit-ambiguous", $"台账中有{count}个单位使用该名称和地址，无法确定是哪一个；请填写统一社会信用代码，或先在台账中核对")
        {
            Arguments = [count],
        };

    public static DomainException CreditCodeDiffers(string ledgerCode) =>
        new("ledger-import.credit-code-differs", $"台账中名称和地址相同的单位登记的统一社会信用代码为{ledgerCode}，与本行不一致；请核对")
        {
            Field = DomainFields.CreditCode.Name, Arguments = [ledgerCode],
        };

    public static DomainException UnitOutOfScope() =>
        new("ledger-import.unit-out-of-scope", "台账中的该单位所在的网格不在您负责的范围内");

    public static DomainException PointOutOfScope() =>
        new("ledger-import.point-out-of-scope", "该经纬度所在的网格不在您负责的范围内");

    public static DomainException OwnerUnknown(string owner) =>
        new("ledger-import.owner-unknown", $"系统中没有名称或编码为“{owner}”的部门；请填写部门的全称") { Field = DomainFields.ComponentOwner.Name, Arguments = [owner] };

    public static DomainException ComponentRemoved() =>
        new("ledger-import.component-removed", "该编码的部件已注销，不能通过导入恢复；请联系管理员核实") { Field = DomainFields.ComponentCode.Name };

    public static DomainException ComponentOutOfScope() =>
        new("ledger-import.component-out-of-scope", "台账中的该部件所在的网格不在您负责的范围内");

    public static DomainException UnitPlaceRequired() =>
        new("ledger-import.unit-place-required", "新登记的单位必须同时填写经度和纬度，或在经营地址中写明已登记的小区和楼栋，系统据此确定所在网格");

    public static DomainException PointRequired() =>
        new("ledger-import.point-required", "新登记的记录必须同时填写经度和纬度，系统据此确定所在网格");
}

/// <summary>
/// Why one row was refused: the column the reason belongs to (<see cref="ColumnKey"/>, null for the row as a whole) and
/// the refusal itself.
/// </summary>
public sealed record ImportRefusal(int Row, string? ColumnKey, DomainException Reason);
