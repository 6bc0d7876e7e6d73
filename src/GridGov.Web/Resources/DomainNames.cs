using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using GridGov.Domain.Visits;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Resources;

/// <summary>The one place pages turn a domain enum value into the name a user reads, in the current UI culture.</summary>
public static class DomainNames
{
    /// <summary>Every enum named in DomainNamesResource; a test checks each value of each has a name in both languages.</summary>
    public static readonly IReadOnlyList<Type> Enums =
    [
        typeof(CaseState), typeof(CaseAction), typeof(CasePriority), typeof(CaseSource), typeof(CaseLevel), typeof(ClosureType),
        typeof(ExtensionStatus), typeof(CoHandlingStatus), typeof(SatisfactionChannel), typeof(SatisfactionLevel),
        typeof(Domain.Residents.PointEntryKind), typeof(Domain.Residents.HeldReportState),
        typeof(StaffRole), typeof(GridDuty), typeof(FiveMustReason), typeof(VisitFrequency), typeof(AuditAction),
        typeof(DayOfWeek), typeof(Domain.Hotline.HotlinePushStatus),
        typeof(NotificationChannel), typeof(NoticeSenderKind), typeof(DeliveryStatus), typeof(SmtpTlsMode), typeof(NoticeTarget),
    ];

    public static string Key(Enum value) => $"{value.GetType().Name}.{value}";

    /// <summary>The value's name, e.g. CaseState.Registered → "已立案" (zh) or "Registered" (en).</summary>
    public static string Of(this IStringLocalizer<DomainNamesResource> names, Enum value) => names[Key(value)];

}
