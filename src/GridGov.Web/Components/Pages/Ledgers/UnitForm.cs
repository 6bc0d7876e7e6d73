using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>What the unit form posts (as typed, so it can be shown again after a refusal).</summary>
public sealed class UnitFormInput
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Address { get; set; }
    public string? Longitude { get; set; }
    public string? Latitude { get; set; }
    public string? EmployeeCount { get; set; }
    public string? ContactName { get; set; }
    public string? ContactPhone { get; set; }
    public bool HasPartyOrganisation { get; set; }
    public string? PartyMemberCount { get; set; }
    /// <summary>The version of the unit the edit form was filled from (empty on the new-unit form).</summary>
    public string? Version { get; set; }

    public static UnitFormInput From(UnitFacts unit) => new()
    {
        Version = LedgerLabels.Version(unit.Version),
        Name = unit.Name,
        Kind = unit.Kind.ToString(),
        Address = unit.Address,
        Longitude = LedgerLabels.Coordinate(unit.Longitude),
        Latitude = LedgerLabels.Coordinate(unit.Latitude),
        EmployeeCount = unit.EmployeeCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ContactName = unit.ContactName,
        ContactPhone = Masking.Phone(unit.ContactPhone), // sent back unchanged, it keeps the number (KeepPhone)
        HasPartyOrganisation = unit.HasPartyOrganisation,
        PartyMemberCount = unit.PartyMemberCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The unit form's own checks (required fields, numbers, phone); the domain and the service check the rest.</summary>
public static class UnitForm
{
    /// <summary>The masked phone the edit form shows, posted back unchanged, stands for the number on record.</summary>
    public static void KeepPhone(UnitFormInput input, string currentPhone)
    {
        if (input.ContactPhone?.Trim() == Masking.Phone(currentPhone))
        {
            input.ContactPhone = currentPhone;
        }
    }

    public static UnitInput? Validate(UnitFormInput input, IStringLocalizer<LedgerResource> text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = text["UnitNameRequired"];
        }
        var kind = LedgerLabels.ParseEnum<UnitKind>(input.Kind);
        if (kind is null)
        {
            errors["kind"] = text["ChooseValue"];
        }
        if (string.IsNullOrWhiteSpace(input.Address))
        {
            errors["address"] = text["AddressRequired"];
        }
        var longitude = LedgerLabels.ParseDouble(input.Longitude);
        var latitude = LedgerLabels.ParseDouble(input.Latitude);
        if (longitude is null || latitude is null)
        {
            errors["location"] = text["PointMissing"];
        }
        var employees = ParseCount(input.EmployeeCount);
        if (employees is null)
        {
            errors["employees"] = text["CountInvalid"];
        }
        if (string.IsNullOrWhiteSpace(input.ContactName))
        {
            errors["contactName"] = text["ContactNameRequired"];
        }
        if (string.IsNullOrWhiteSpace(input.ContactPhone))
        {
            errors["contactPhone"] = text["ContactPhoneRequired"];
        }
        else if (!Phone.IsValid(input.ContactPhone.Trim()))
        {
            errors["contactPhone"] = text["PhoneInvalid"];
        }
        var partyMembers = string.IsNullOrWhiteSpace(input.PartyMemberCount) ? 0 : ParseCount(input.PartyMemberCount);
        if (partyMembers is null)
        {
            errors["party"] = text["CountInvalid"];
        }
        else if (employees is { } size && partyMembers > size)
        {
            errors["party"] = text["PartyMembersTooMany"];
        }
        return errors.Count > 0
            ? null
            : new UnitInput(input.Name!, kind!.Value, input.Address!, longitude!.Value, latitude!.Value, employees!.Value,
                input.ContactName!, input.ContactPhone!, input.HasPartyOrganisation, partyMembers!.Value);
    }

    /// <summary>The field a refusal of the domain or service belongs next to.</summary>
    public static string FieldOf(DomainException exception) => exception.Code switch
    {
        LedgerService.StaleCode => "general",
        "phone.invalid" => "contactPhone",
        "unit.size" => "employees",
        "unit.party-members" => "party",
        "unit.kind" => "kind",
        "ledger.outside-street" or "ledger.uncovered" or "ledger.out-of-scope" => "location",
        var code when code.StartsWith("location.", StringComparison.Ordinal) => "location",
        _ => LedgerLabels.FieldOf(exception, new Dictionary<string, string>
        {
            ["单位名称"] = "name",
            ["地址"] = "address",
            ["联系人"] = "contactName",
        }) ?? "general",
    };

    private static int? ParseCount(string? value) =>
        int.TryParse(value?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count <= 1_000_000
            ? count
            : null;
}
