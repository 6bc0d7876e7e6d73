using System.Globalization;
using GridGov.Application.Open311;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints.Open311;

/// <summary>
/// The GeoReport v2 elements of each response, named and ordered as in the specification's examples; the texts a reader
/// reads (status notes, service notices) in the request's language.
/// </summary>
public sealed class Open311Fields(IStringLocalizer<Open311Resource> text, IStringLocalizer<DomainNamesResource> names)
{
    public IStringLocalizer<Open311Resource> Text { get; } = text;

    public static IReadOnlyList<Open311Field> Service(Open311Service service) =>
    [
        new("service_code", service.Code),
        new("service_name", service.Name),
        new("description", service.Description),
        new("metadata", service.Metadata),
        new("type", "realtime"),
        new("keywords", service.Group),
        new("group", service.Group),
    ];

    public static IReadOnlyList<Open311Field> Definition(Open311ServiceDefinition definition) =>
    [
        new("service_code", definition.Code),
        new("attributes", new Open311List("attribute", [.. definition.Attributes.Select(Attribute)])),
    ];

    private static IReadOnlyList<Open311Field> Attribute(Open311Attribute attribute) =>
    [
        new("variable", attribute.Variable),
        new("code", attribute.Code),
        new("datatype", attribute.Datatype.ToString().ToLowerInvariant()),
        new("required", attribute.Required),
        new("datatype_description", attribute.DatatypeDescription),
        new("order", attribute.Order),
        new("description", attribute.Description),
        new("values", new Open311List("value", [.. attribute.Values.Select(v => (IReadOnlyList<Open311Field>)[new("key", v.Key), new("name", v.Name)])])),
    ];

    public IReadOnlyList<Open311Field> Request(Open311ServiceRequest request) =>
    [
        new("service_request_id", request.Number),
        new("status", request.Status == Open311Status.Open ? "open" : "closed"),
        new("status_notes", request.MergedIntoNumber is { } original ? Text["MergedInto", original].Value : names.Of(request.State)),
        new("service_name", request.ServiceName),
        new("service_code", request.ServiceCode),
        new("description", request.Description),
        new("agency_responsible", request.AgencyResponsible),
        new("service_notice", Notice(request.HandleLimit)),
        new("requested_datetime", Time(request.Requested)),
        new("updated_datetime", Time(request.Updated)),
        new("expected_datetime", request.Expected is { } expected ? Time(expected) : null),
        new("address", request.Address),
        new("address_id", null),
        new("zipcode", null),
        new("lat", request.Latitude),
        new("long", request.Longitude),
        // Case photos are served to signed-in staff only (/evidence); no public copy exists to link to.
        new("media_url", null),
    ];

    public string Notice(TimeLimit limit) => Text["HandleLimitNotice", limit.Amount, Text["Unit_" + limit.Unit]];

    public static Open311Body Errors(int status, string description) =>
        Open311Body.List("errors", "error", [[new("code", status), new("description", description)]]);

    /// <summary>W3C date-time with the offset, e.g. 2026-12-06T09:30:00+08:00.</summary>
    public static string Time(DateTimeOffset moment) => moment.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
