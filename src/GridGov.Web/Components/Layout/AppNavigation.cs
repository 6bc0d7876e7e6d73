using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Components.Pages.Bulletins;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Components.Pages.Notices;
using GridGov.Web.Infrastructure;
using GridGov.Web.Components.Pages.ResidentAffairs;
using GridGov.Web.Components.Pages.Reviews;
using GridGov.Web.Components.Pages.Visits;
using MudBlazor;

namespace GridGov.Web.Components.Layout;

/// <summary>
/// One menu entry: shown only to those the page itself lets in (<see cref="Policy"/> or <see cref="Roles"/>, the same
/// values as the page's [Authorize]), so nobody sees a link to a page he may not open.
/// </summary>
/// <param name="Target">"_blank" for what is not a page of the app (the API reference, a JSON document): a new tab, a full load.</param>
public sealed record NavEntry(string Href, string LabelKey, string Icon, string? Policy = null, string? Roles = null, bool MatchAll = false, string? TestId = null,
    string? Target = null);

/// <summary>The menu of both shells (the MudBlazor shell and the static layout of the pages not moved yet).</summary>
public static class AppNavigation
{
    public static readonly IReadOnlyList<NavEntry> Entries =
    [
        new("/", "NavHome", Icons.Material.Filled.Map, Policies.Staff, MatchAll: true),
        new("/dashboard", "NavDashboard", Icons.Material.Filled.Dashboard, Policies.Dispatch),
        new("/cases/report", "NavReport", Icons.Material.Filled.AddAlert, Policies.Report),
        new("/inbox", "NavInbox", Icons.Material.Filled.Inbox, Policies.Staff),
        new("/cases", "NavCases", Icons.Material.Filled.Assignment, Policies.Staff, MatchAll: true),
        new("/grids", "NavGrids", Icons.Material.Filled.GridOn, Policies.Staff),
        new("/ledgers/residents", "NavLedgers", Icons.Material.Filled.MenuBook, Policies.Staff),
        new("/ledgers/import", "NavLedgerImport", Icons.Material.Filled.UploadFile, Roles: LedgerImportRoles.Importers, TestId: "nav-ledger-import"),
        new("/patrols", "NavPatrols", Icons.Material.Filled.DirectionsWalk, Policies.Staff),
        new("/visits", "NavVisits", Icons.Material.Filled.HomeWork, Roles: VisitRoles.VisitorsAndSecretaries),
        new("/reviews", "NavReviews", Icons.Material.Filled.FactCheck, Roles: ReviewRoles.Reviewers),
        new("/evaluation", "NavEvaluation", Icons.Material.Filled.Leaderboard, Policies.Staff),
        new("/notices", "NavNotices", Icons.Material.Filled.Campaign, Roles: NoticeRoles.Composers, TestId: "nav-notices"),
        new("/residents/held", "NavHeldReports", Icons.Material.Filled.PendingActions, Roles: ResidentAffairsRoles.Reviewers, TestId: "nav-held-reports"),
        new("/residents/points", "NavResidentPoints", Icons.Material.Filled.Redeem, Roles: ResidentAffairsRoles.Counter, TestId: "nav-resident-points"),
        new("/bulletins", "NavBulletins", Icons.Material.Filled.Newspaper, Roles: BulletinRoles.Readers),
        new("/admin/grids", "NavAdminGrids", Icons.Material.Filled.Polyline, Roles: AdminRoles.Administrators, TestId: "nav-grids"),
        new("/admin/people", "NavAdminPeople", Icons.Material.Filled.PersonPin, Roles: PeopleRoles.Editors, TestId: "nav-people"),
        new("/admin/users", "NavAdminUsers", Icons.Material.Filled.ManageAccounts, Roles: AdminRoles.Administrators),
        new("/admin/categories", "NavAdminCategories", Icons.Material.Filled.Category, Roles: AdminRoles.Administrators, TestId: "nav-categories"),
        new("/admin/response-templates", "NavAdminResponseTemplates", Icons.Material.Filled.ShortText, Roles: AdminRoles.Administrators, TestId: "nav-response-templates"),
        new("/admin/scoring-rules", "NavAdminScoringRules", Icons.Material.Filled.Tune, Roles: AdminRoles.Administrators, TestId: "nav-scoring-rules"),
        new("/admin/calendar", "NavAdminCalendar", Icons.Material.Filled.CalendarMonth, Roles: AdminRoles.Administrators, TestId: "nav-calendar"),
        new("/admin/open311-keys", "NavAdminOpen311", Icons.Material.Filled.VpnKey, Roles: AdminRoles.Administrators, TestId: "nav-open311"),
        new("/admin/hotline", "NavAdminHotline", Icons.Material.Filled.SupportAgent, Roles: AdminRoles.Administrators, TestId: "nav-hotline"),
        new("/admin/exchange-items", "NavAdminExchangeItems", Icons.Material.Filled.CardGiftcard, Roles: AdminRoles.Administrators, TestId: "nav-exchange-items"),
        new("/admin/notice-senders", "NavAdminNoticeSenders", Icons.Material.Filled.Sms, Roles: AdminRoles.Administrators, TestId: "nav-notice-senders"),
        new("/admin/audit", "NavAudit", Icons.Material.Filled.Policy, Roles: AdminRoles.Administrators, TestId: "nav-audit"),
        new(Endpoints.Api.ApiSetup.ReferencePath + "/" + Endpoints.Api.ApiSetup.DocumentName, "NavApiReference", Icons.Material.Filled.Api,
            Roles: AdminRoles.Administrators, TestId: "nav-api-reference", Target: "_blank"),
        new("/openapi/" + Endpoints.Api.ApiSetup.DocumentName + ".json", "NavOpenApi", Icons.Material.Filled.DataObject,
            Roles: AdminRoles.Administrators, TestId: "nav-openapi", Target: "_blank"),
    ];
}
