using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>What the unit form holds as typed (so it is shown again after a refusal); counts stay text until checked.</summary>
public sealed class UnitFormInput
{
    public string? Name { get; set; }
    /// <summary>The unified social credit code (统一社会信用代码), optional.</summary>
    public string? CreditCode { get; set; }
    public UnitKind? Kind { get; set; }
    public string? Address { get; set; }
    /// <summary>The point chosen on the map (WGS-84).</summary>
    public double? Longitude { get; set; }
    public double? Latitude { get; set; }
    public string? EmployeeCount { get; set; }
    public string? ContactName { get; set; }
    /// <summary>On the edit form first the masked number shown: sent back unchanged, it keeps the number on record.</summary>
    public string? ContactPhone { get; set; }
    public bool HasPartyOrganisation { get; set; }
    public string? PartyMemberCount { get; set; }
    /// <summary>A "五小" shop (五小门店); only kept for a shop.</summary>
    public bool IsSmallVenue { get; set; }
    /// <summary>The version of the unit the edit form was filled from (0 on the new-unit form).</summary>
    public uint Version { get; set; }

    /// <summary>The edit form filled from the unit as shown (its contact phone already masked).</summary>
    public static UnitFormInput From(UnitFacts unit) => new()
    {
        Version = unit.Version,
        Name = unit.Name,
        CreditCode = unit.CreditCode,
        Kind = unit.Kind,
        Address = unit.Address,
        Longitude = unit.Longitude,
        Latitude = unit.Latitude,
        EmployeeCount = unit.EmployeeCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ContactName = unit.ContactName,
        ContactPhone = unit.ContactPhone,
        HasPartyOrganisation = unit.HasPartyOrganisation,
        PartyMemberCount = unit.PartyMemberCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        IsSmallVenue = unit.IsSmallVenue,
    };
}

/// <summary>The unit form's own checks (required fields, numbers, phone); the domain and the service check the rest.</summary>
public static class UnitForm
{
    /// <summary>A unit as shown to the circuit: its contact phone masked (only a reveal shows it whole).</summary>
    public static UnitDetailView? Masked(UnitDetailView? view) =>
        view is null ? null : view with { Unit = view.Unit with { ContactPhone = Masking.Phone(view.Unit.ContactPhone) ?? "" } };

    /// <param name="keptPhone">The number on record, when the form sent back the masked one it was shown.</param>
    public static UnitInput? Validate(UnitFormInput input, IStringLocalizer<LedgerResource> text, Dictionary<string, string> errors, string? keptPhone = null)
    {
        var phone = keptPhone ?? input.ContactPhone;
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = text["UnitNameRequired"];
        }
        var kind = input.Kind;
        if (kind is null)
        {
            errors["kind"] = text["ChooseValue"];
        }
        if (string.IsNullOrWhiteSpace(input.Address))
        {
            errors["address"] = text["AddressRequired"];
        }
        var longitude = input.Longitude is { } x && double.IsFinite(x) ? x : (double?)null;
        var latitude = input.Latitude is { } y && double.IsFinite(y) ? y : (double?)null;
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
        if (string.IsNullOrWhiteSpace(phone))
        {
            errors["contactPhone"] = text["ContactPhoneRequired"];
        }
        else if (!Phone.IsValid(phone.Trim()))
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
        LedgerLabels.RefuseControlCharacters(text, errors, ("name", input.Name), ("creditCode", input.CreditCode), ("address", input.Address), ("contactName", input.ContactName),
            ("contactPhone", input.ContactPhone), ("employees", input.EmployeeCount), ("party", input.PartyMemberCount));
        return errors.Count > 0
            ? null
            : new UnitInput(input.Name!.Trim(), kind!.Value, input.Address!.Trim(), longitude!.Value, latitude!.Value, employees!.Value,
                input.ContactName!.Trim(), phone!.Trim(), input.HasPartyOrganisation, partyMembers!.Value, input.IsSmallVenue && kind == UnitKind.Shop,
                string.IsNullOrWhiteSpace(input.CreditCode) ? null : input.CreditCode.Trim());
    }

    /// <summary>The field a refusal of the domain or service belongs next to.</summary>
    public static string FieldOf(DomainException exception) =>
        exception.Field is "name" or "creditCode" or "kind" or "address" or "location" or "employees" or "contactName" or "contactPhone" or "party" or "smallVenue"
            ? exception.Field
            : "general";

    private static int? ParseCount(string? value) =>
        int.TryParse(value?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count <= 1_000_000
            ? count
            : null;
}
