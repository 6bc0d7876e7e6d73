using System.Globalization;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;

namespace GridGov.Application.Ledgers.Import;

/// <summary>The cells of one data row, by the key of the template column each is under.</summary>
public sealed class ImportRowCells(int row, IReadOnlyList<object?> cells, IReadOnlyDictionary<string, int> columns)
{
    public int Row => row;

    /// <summary>Whether the file has the column at all.</summary>
    public bool Has(string key) => columns.ContainsKey(key);

    public object? Raw(string key) => columns.TryGetValue(key, out var index) && index < cells.Count ? cells[index] : null;

    public string Text(string key) => ImportValues.Text(Raw(key));
}

/// <summary>
/// Checks one row by the rules the row can be checked against on its own (the domain's rules: ID number, phone,
/// lengths, coded values), and turns it into the row the database checks next; each broken rule is noted under its
/// column. Null when the row is refused.
/// </summary>
internal interface IImportRowParser<TRow> where TRow : class
{
    TRow? Parse(ImportRowCells cells, List<ImportRefusal> refusals);
}

internal sealed class ResidentRowParser(DateOnly today) : IImportRowParser<ResidentImportRow>
{
    public ResidentImportRow? Parse(ImportRowCells cells, List<ImportRefusal> refusals)
    {
        var before = refusals.Count;
        var name = Rule(cells, refusals, "name", () => Text.Require(cells.Text("name"), Resident.NameMaxLength, DomainFields.PersonName));
        var idNumber = Rule(cells, refusals, "idNumber", () => IdNumberOf(cells.Raw("idNumber")));
        string? phone = null;
        if (cells.Has("phone") && cells.Text("phone") is { Length: > 0 } phoneText)
        {
            phone = Rule(cells, refusals, "phone", () => Phone.Require(phoneText));
        }
        PopulationKind? kind = null;
        if (cells.Has("populationKind") && cells.Text("populationKind") is { Length: > 0 } kindText)
        {
            kind = Rule(cells, refusals, "populationKind", () => ImportValues.TryPopulationKind(kindText, out var parsed)
                ? parsed
                : throw LedgerImportRefusals.UnknownValue(DomainFields.PopulationKind, kindText, ImportValues.PopulationKindNames.Values));
        }
        string? address = null;
        if (cells.Has("householdAddress") && cells.Text("householdAddress") is { Length: > 0 } addressText)
        {
            address = Rule(cells, refusals, "householdAddress", () => Text.Require(addressText, Household.AddressMaxLength, DomainFields.HouseholdAddress));
        }
        IReadOnlyList<ResidentGroup>? groups = null;
        if (cells.Has("groups"))
        {
            groups = Rule(cells, refusals, "groups", () =>
            {
                var parsed = ImportValues.ParseGroups(cells.Text("groups"), out var unknown);
                return unknown.Count == 0
                    ? parsed
                    : throw LedgerImportRefusals.UnknownValue(DomainFields.ResidentGroups, string.Join("、", unknown),
                        Enum.GetValues<ResidentGroup>().Select(g => g.ChineseName()));
            });
        }
        if (refusals.Count > before)
        {
            return null;
        }
        var parsedId = IdNumber.Parse(idNumber);
        return new ResidentImportRow(cells.Row, name!, parsedId.Value, parsedId.Sex, parsedId.BirthDate, phone, kind, address, groups ?? (cells.Has("groups") ? [] : null));
    }

    private string IdNumberOf(object? raw)
    {
        // An 18-digit number typed into a cell formatted as a number is kept by Excel as a double of 15 significant digits:
        // the last digits are gone and cannot be recovered.
        if (raw is double)
        {
            throw LedgerImportRefusals.IdNumberAsNumber();
        }
        var idNumber = IdNumber.Parse(ImportValues.Text(raw));
        if (idNumber.BirthDate > today)
        {
            throw new DomainException("id-number.birth-future", "身份证号码中的出生日期晚于今天，请核对") { Field = DomainFields.IdNumber.Name };
        }
        return idNumber.Value;
    }

    internal static T? Rule<T>(ImportRowCells cells, List<ImportRefusal> refusals, string column, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (DomainException refusal)
        {
            refusals.Add(new ImportRefusal(cells.Row, column, refusal));
            return default;
        }
    }
}

internal sealed class HouseholdRowParser : IImportRowParser<HouseholdImportRow>
{
    public HouseholdImportRow? Parse(ImportRowCells cells, List<ImportRefusal> refusals)
    {
        var before = refusals.Count;
        var address = ResidentRowParser.Rule(cells, refusals, "address", () => Text.Require(cells.Text("address"), Household.AddressMaxLength, DomainFields.Address));
        var dwelling = ResidentRowParser.Rule(cells, refusals, "dwelling", () => Text.Require(cells.Text("dwelling"), Household.DwellingMaxLength, DomainFields.Dwelling));
        var kind = ResidentRowParser.Rule(cells, refusals, "kind", () =>
        {
            var text = Text.Require(cells.Text("kind"), 40, DomainFields.HouseholdKind);
            return ImportValues.TryHouseholdKind(text, out var parsed)
                ? parsed
                : throw LedgerImportRefusals.UnknownValue(DomainFields.HouseholdKind, text, ImportValues.HouseholdKindNames.Values);
        });
        string? gridCode = null;
        if (cells.Text("gridCode") is { Length: > 0 } codeText)
        {
            gridCode = ResidentRowParser.Rule(cells, refusals, "gridCode", () => AdministrativeCode.IsDigits(codeText, AdministrativeCode.GridCodeLength)
                ? codeText
                : throw DomainException.For(DomainFields.GridCode, "code.format", $"{DomainFields.GridCode}应为{AdministrativeCode.GridCodeLength}位数字",
                    AdministrativeCode.GridCodeLength));
        }
        var (longitude, latitude) = ImportCells.Point(cells, refusals);
        if (refusals.Count > before)
        {
            return null;
        }
        return new HouseholdImportRow(cells.Row, address!, dwelling!, kind, gridCode, longitude, latitude);
    }
}

/// <summary>The checks of cells several ledgers share: a point given by its two coordinates, counts, yes/no answers.</summary>
internal static class ImportCells
{
    /// <summary>
    /// The point of the longitude and latitude columns: both or neither, numbers, inside the range of WGS-84 (the
    /// domain's rule); which grid it lies in is the database's check.
    /// </summary>
    public static (double? Longitude, double? Latitude) Point(ImportRowCells cells, List<ImportRefusal> refusals)
    {
        var longitude = Coordinate(cells, refusals, "longitude", DomainFields.Longitude);
        var latitude = Coordinate(cells, refusals, "latitude", DomainFields.Latitude);
        var longitudeGiven = cells.Text("longitude").Length > 0;
        var latitudeGiven = cells.Text("latitude").Length > 0;
        if (longitudeGiven != latitudeGiven)
        {
            refusals.Add(new ImportRefusal(cells.Row, longitudeGiven ? "latitude" : "longitude", LedgerImportRefusals.CoordinateHalf()));
        }
        else if (longitude is { } x && latitude is { } y)
        {
            ResidentRowParser.Rule(cells, refusals, "longitude", () => Locations.Require(Locations.Point(x, y), DomainFields.Location));
        }
        return (longitude, latitude);
    }

    /// <summary>A whole number (a number cell, or text of digits); null when the cell is empty.</summary>
    public static int? Count(ImportRowCells cells, List<ImportRefusal> refusals, string column, DomainField field)
    {
        var text = cells.Text(column);
        if (text.Length == 0)
        {
            return null;
        }
        if (cells.Raw(column) is double number && number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue)
        {
            return (int)number;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        refusals.Add(new ImportRefusal(cells.Row, column, LedgerImportRefusals.NotCount(field, text)));
        return null;
    }

    /// <summary>是 or 否 (and their variants); null when the cell is empty.</summary>
    public static bool? YesNo(ImportRowCells cells, List<ImportRefusal> refusals, string column, DomainField field)
    {
        var text = cells.Text(column);
        if (text.Length == 0)
        {
            return null;
        }
        if (ImportValues.TryYesNo(text, out var value))
        {
            return value;
        }
        refusals.Add(new ImportRefusal(cells.Row, column, LedgerImportRefusals.UnknownValue(field, text, ImportValues.YesNoNames)));
        return null;
    }

    private static double? Coordinate(ImportRowCells cells, List<ImportRefusal> refusals, string column, DomainField field)
    {
        switch (cells.Raw(column))
        {
            case double number:
                return number;
            case var raw when ImportValues.Text(raw) is { Length: > 0 } text:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
                {
                    return parsed;
                }
                refusals.Add(new ImportRefusal(cells.Row, column, LedgerImportRefusals.CoordinateNotNumber(field, text)));
                return null;
            default:
                return null;
        }
    }
}

internal sealed class UnitRowParser : IImportRowParser<UnitImportRow>
{
    public UnitImportRow? Parse(ImportRowCells cells, List<ImportRefusal> refusals)
    {
        var before = refusals.Count;
        string? creditCode = null;
        if (cells.Text("creditCode") is { Length: > 0 } codeText)
        {
            creditCode = ResidentRowParser.Rule(cells, refusals, "creditCode", () => CreditCode.Require(codeText));
        }
        var name = ResidentRowParser.Rule(cells, refusals, "name", () => Text.Require(cells.Text("name"), Unit.NameMaxLength, DomainFields.UnitName));
        var kind = ResidentRowParser.Rule<UnitKind?>(cells, refusals, "kind", () =>
        {
            var text = Text.Require(cells.Text("kind"), 40, DomainFields.UnitKind);
            return ImportValues.TryUnitKind(text, out var parsed)
                ? parsed
                : throw LedgerImportRefusals.UnknownValue(DomainFields.UnitKind, text, ImportValues.UnitKindNames.Values);
        });
        var address = ResidentRowParser.Rule(cells, refusals, "address", () => Text.Require(cells.Text("address"), Unit.AddressMaxLength, DomainFields.Address));
        var contactName = ResidentRowParser.Rule(cells, refusals, "contactName",
            () => Text.Require(cells.Text("contactName"), Unit.ContactNameMaxLength, DomainFields.ContactName));
        var contactPhone = ResidentRowParser.Rule(cells, refusals, "contactPhone", () => Phone.Require(cells.Text("contactPhone"), DomainFields.ContactPhone));
        var employees = ImportCells.Count(cells, refusals, "employeeCount", DomainFields.EmployeeCount);
        if (employees is { } employeeCount)
        {
            ResidentRowParser.Rule(cells, refusals, "employeeCount", () => { Unit.RequireEmployeeCount(employeeCount); return true; });
        }
        var hasParty = ImportCells.YesNo(cells, refusals, "hasParty", DomainFields.PartyOrganisation);
        var partyMembers = ImportCells.Count(cells, refusals, "partyMembers", DomainFields.PartyMembers);
        if (partyMembers is { } members)
        {
            // Against the row's own number of people when it gives one; else the database checks it against the ledger's.
            ResidentRowParser.Rule(cells, refusals, "partyMembers", () => { Unit.RequirePartyMembers(members, employees ?? int.MaxValue); return true; });
        }
        var smallVenue = ImportCells.YesNo(cells, refusals, "smallVenue", DomainFields.SmallVenue);
        if (smallVenue is true && kind is { } unitKind)
        {
            ResidentRowParser.Rule(cells, refusals, "smallVenue", () => { Unit.RequireSmallVenueKind(unitKind, true); return true; });
        }
        var (longitude, latitude) = ImportCells.Point(cells, refusals);
        if (refusals.Count > before)
        {
            return null;
        }
        return new UnitImportRow(cells.Row, creditCode, name!, kind!.Value, address!, contactName!, contactPhone!, employees, hasParty, partyMembers, smallVenue,
            longitude, latitude);
    }
}

/// <param name="departments">The departments by <see cref="ImportValues.Key"/> of their name and of their code.</param>
internal sealed class ComponentRowParser(IReadOnlyDictionary<string, int> departments) : IImportRowParser<ComponentImportRow>
{
    public ComponentImportRow? Parse(ImportRowCells cells, List<ImportRefusal> refusals)
    {
        var before = refusals.Count;
        var code = ResidentRowParser.Rule(cells, refusals, "code", () => Component.ParseCode(CodeText(cells.Raw("code"))));
        var name = ResidentRowParser.Rule(cells, refusals, "name", () => Text.Require(cells.Text("name"), Component.NameMaxLength, DomainFields.ComponentName));
        ComponentState? state = null;
        if (cells.Text("state") is { Length: > 0 } stateText)
        {
            state = ResidentRowParser.Rule<ComponentState?>(cells, refusals, "state", () => ImportValues.TryComponentState(stateText, out var parsed)
                ? parsed
                : throw LedgerImportRefusals.UnknownValue(DomainFields.ComponentState, stateText, ImportValues.ComponentStateNames.Values));
        }
        int? owner = null;
        if (cells.Text("owner") is { Length: > 0 } ownerText)
        {
            owner = ResidentRowParser.Rule<int?>(cells, refusals, "owner", () => departments.TryGetValue(ImportValues.Key(ownerText), out var id)
                ? id
                : throw LedgerImportRefusals.OwnerUnknown(ownerText.Length <= Department.NameMaxLength ? ownerText : ownerText[..Department.NameMaxLength] + "…"));
        }
        var (longitude, latitude) = ImportCells.Point(cells, refusals);
        if (refusals.Count > before)
        {
            return null;
        }
        return new ComponentImportRow(cells.Row, code!.Code, code.MajorClass, code.MinorClass, name!, state, owner, longitude, latitude);
    }

    /// <summary>
    /// A 16-digit code Excel keeps as a number (a cell not formatted as text) is still exact: the codes are below 2^53,
    /// where a double holds every whole number. Written out in full, not as 3.2050801E+15.
    /// </summary>
    private static string CodeText(object? raw) =>
        raw is double number && number == Math.Floor(number) && number is > 0 and < 9_007_199_254_740_992d
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : ImportValues.Text(raw);
}
