using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;

namespace GridGov.Application.Open311;

/// <summary>GeoReport v2's two statuses.</summary>
public enum Open311Status
{
    Open,
    Closed,
}

/// <summary>
/// How GridGov's cases read in GeoReport v2, in one place:
/// <list type="bullet">
/// <item>Services are the active minor classes of components (部件) and events (事件). Social-governance matters (disputes,
/// public security, welfare requests) are about persons: they are neither offered nor published.</item>
/// <item>The six-step states map to <c>open</c> until the problem is settled (verified, archived, handled on the spot) or the
/// case ends otherwise (rejected, merged, voided): those are <c>closed</c>.</item>
/// <item>What leaves: the case number, category, description, address, point, times, the department handling it (or the
/// community, for local handling) and a status note made from the state. Never the reporter, a phone number, staff names,
/// free text written by staff, or photos (they are served to signed-in staff only; <c>media_url</c> stays empty).</item>
/// </list>
/// </summary>
public static class Open311Mapping
{
    public static readonly CaseState[] ClosedStates =
        [CaseState.HandledOnSpot, CaseState.Rejected, CaseState.Merged, CaseState.Verified, CaseState.Archived, CaseState.Voided];

    public static readonly CaseState[] OpenStates = [.. Enum.GetValues<CaseState>().Except(ClosedStates)];

    public static bool IsPublic(CategoryKind kind) => kind is CategoryKind.Component or CategoryKind.Event;

    public static Open311Status StatusOf(CaseState state) => ClosedStates.Contains(state) ? Open311Status.Closed : Open311Status.Open;

    /// <summary>Every time the API shows is China time with its offset (+08:00).</summary>
    public static DateTimeOffset ChinaTime(DateTimeOffset moment) => WorkingCalendar.ToChinaTime(moment);

    /// <summary>The optional attribute of component services: the code on the component's plate (6 + 2 + 2 + 6 digits).</summary>
    public const string ComponentCodeAttribute = "component_code";

    public const int ComponentCodeLength = 16;

    public static IReadOnlyList<Open311Attribute> AttributesOf(CategoryKind kind) => kind == CategoryKind.Component
        ?
        [
            new Open311Attribute(ComponentCodeAttribute, Open311Datatype.String, Required: false, Order: 1,
                Description: "部件编码（部件标牌上的16位数字，可不填）", DatatypeDescription: "16位数字", Values: []),
        ]
        : [];
}

public enum Open311Datatype
{
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
}

/// <summary>One value of a list attribute.</summary>
public sealed record Open311AttributeValue(string Key, string Name);

/// <summary>An attribute of a service definition (GeoReport v2: variable, code, datatype, required, order, description, values).</summary>
public sealed record Open311Attribute(string Code, Open311Datatype Datatype, bool Required, int Order, string Description,
    string? DatatypeDescription, IReadOnlyList<Open311AttributeValue> Values, bool Variable = true);

/// <summary>A service (GeoReport v2 service list): a minor class with its major class as group.</summary>
public sealed record Open311Service(string Code, string Name, string Description, bool Metadata, string Group, CategoryKind Kind);

public sealed record Open311ServiceDefinition(string Code, IReadOnlyList<Open311Attribute> Attributes);

/// <summary>
/// A case as a service request. <see cref="State"/> and <see cref="MergedIntoNumber"/> are there for the status note, which
/// the web layer words in the reader's language; times are China time.
/// </summary>
public sealed record Open311ServiceRequest(
    string Number,
    Open311Status Status,
    CaseState State,
    string? MergedIntoNumber,
    string ServiceCode,
    string ServiceName,
    string Description,
    string? AgencyResponsible,
    TimeLimit HandleLimit,
    DateTimeOffset Requested,
    DateTimeOffset Updated,
    DateTimeOffset? Expected,
    string Address,
    double Latitude,
    double Longitude);

/// <summary>A page of service requests.</summary>
public sealed record Open311RequestPage(IReadOnlyList<Open311ServiceRequest> Requests, int Page, int PageSize);
