using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GridGov.Domain.Cases;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Security.Who;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// A generated corpus of bad inputs across the forms and endpoints, each sent as a real request by a role that
/// may use the form. For each: no 5xx, nothing written (row count and newest xmin of every table, before and
/// after), and a Chinese message next to the field or in the 4xx body (for query strings a page that ignores or
/// clamps the bad value is also fine). Script typed into a field must come back escaped.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class BadInputCorpusTests(SecurityFixture app, ITestOutputHelper output)
{
    /// <summary>One bad input: who sends what, and whether a message must come back.</summary>
    private sealed record BadInput(string Name, Who As, string Method, string Path, string? Form = null,
        IReadOnlyList<KeyValuePair<string, string>>? Fields = null, IReadOnlyList<(string Field, string FileName, byte[] Bytes)>? Files = null,
        bool NeedsMessage = true, string? Expect = null, bool WithToken = true, byte[]? Json = null, HotlineSigning Signing = HotlineSigning.Signed,
        bool Bearer = false, string? ApiBody = null);

    /// <summary>How a hotline webhook body of the corpus is signed.</summary>
    private enum HotlineSigning
    {
        Signed,
        Unsigned,
        WrongSecret,
        Stale,
    }

    private const string Script = "<script>alert('gg')</script>";
    private const string ScriptEscaped = "&lt;script&gt;alert(";
    private static readonly string[] BadPhones = ["123", "1381234567a", "+86 13812345678 ext", "2381234567", "138123456789"];
    private static readonly string[] BadNumbers = ["-1", "abc", "99999999999999999999", "1e309", "NaN"];
    private static readonly string[] BadEnums = ["Bogus", "999", "-1", "'; DROP TABLE residents;--"];
    private static readonly (string Lng, string Lat)[] BadPoints = [("116.397", "39.908"), ("200", "100"), ("abc", "31.3"), ("NaN", "Infinity"), ("0", "0")];

    private static string Long(int length) => new('长', length);

    private static readonly (string Label, string Character)[] ControlCharacters = [("NUL", "\0"), ("ESC", "\u001b")];

    private static IEnumerable<string> QueryNames(string path) =>
        path.Split('?', 2)[1].Split('&').Select(pair => pair.Split('=')[0]).Distinct();

    private static List<KeyValuePair<string, string>> With(IReadOnlyDictionary<string, string> baseline, params (string Key, string? Value)[] changes)
    {
        var fields = baseline.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                fields.Remove(key);
            }
            else
            {
                fields[key] = value;
            }
        }
        return fields.ToList();
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<List<BadInput>> CorpusAsync()
    {
        var ids = app.Ids;
        var extra = await app.DbAsync(async db =>
        {
            var handlerStaff = await db.Users.Where(u => u.UserName == "handler1").Select(u => u.StaffMemberId).SingleAsync();
            var department = await db.StaffMembers.Where(s => s.Id == handlerStaff).Select(s => s.DepartmentId).SingleAsync();
            var reported = await db.Cases.Where(c => c.State == CaseState.Reported).OrderBy(c => c.Id).Select(c => c.Number).FirstAsync();
            var dispatched = await db.Cases.Where(c => c.State == CaseState.Dispatched && c.AssignedDepartmentId == department).OrderBy(c => c.Id).Select(c => c.Number).FirstAsync();
            var inProgress = await db.Cases.Where(c => c.State == CaseState.InProgress && c.AssignedDepartmentId == department).OrderBy(c => c.Id).Select(c => c.Number).FirstOrDefaultAsync();
            var otherHousehold = await db.Households.Where(h => h.GridId == ids.OtherCommunityGridId && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Id).FirstAsync();
            var category = await db.Categories.Where(c => c.IsActive).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            var point = await db.Database.SqlQuery<double>($"""
                SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {ids.GridId}) g
                """).ToListAsync();
            return (reported, dispatched, inProgress, otherHousehold, category, Lng: point[0].ToString("R", CultureInfo.InvariantCulture), Lat: point[1].ToString("R", CultureInfo.InvariantCulture));
        });
        var corpus = new List<BadInput>();

        // ---- Residents: registration is an interactive page now (Components/LedgerFormBadInputTests) ----
        // ---- Residents and households: edit, move and removal are interactive pages now (Components/LedgerBadInputTests) ----
        var residentPath = $"/ledgers/residents/{ids.ResidentId}";

        // ---- Units (new, edit), households (new) and components (new, edit, removal): interactive pages now (Components/LedgerFormBadInputTests) ----

        // ---- Case report: the page is interactive; its inputs run through the page and its use case in Components/ReportBadInputTests ----

        // ---- Case actions: the case page is interactive; its bad inputs are driven through the page in Components/CaseActionBadInputTests ----

        // ---- Patrols: the form is interactive; its inputs run through the page and PatrolService in Components/PatrolBadInputTests ----
        var now = DateTime.UtcNow.AddHours(8);

        // ---- Visits, five-must demands, amendments: the forms are interactive; their inputs are in Components/VisitBadInputTests ----

        // ---- Monthly review: the form is interactive; its inputs are in Components/ReviewBadInputTests ----

        // ---- Posts without a valid antiforgery token ----
        foreach (var (path, form) in new[] { (residentPath, "resident-edit"), ("/cases/report", "report"), ("/ledgers/units/new", "unit-new"), ("/ledgers/households/new", "household-new"), ("/ledgers/components/new", "component-new") })
        {
            corpus.Add(new($"no antiforgery token: {form}", GridWorker, "POST", path, form,
                [new("Input.Name", "伪造"), new("Edit.Name", "伪造"), new("Input.Action", "Reject"), new("Input.Text", "伪造")], WithToken: false));
        }

        // ---- Exports' query strings ----
        foreach (var query in new[] { "state=Bogus", "from=abc", "to=2026-13-45", "grid=" + Uri.EscapeDataString(Script), "community=abc", "sort=evil", "warning=purple",
                     "category=-1", "department=99999999999999999999", "q=" + Long(2000), "from=2026-10-01&to=2026-01-01" })
        {
            corpus.Add(new($"case export csv: {Cut(query)}", Dispatcher, "GET", "/cases/export.csv?" + query, NeedsMessage: false));
        }
        corpus.Add(new("case export xlsx: state=Bogus", StreetLeader, "GET", "/cases/export.xlsx?state=Bogus", NeedsMessage: false));
        foreach (var query in new[] { "month=abc", "month=9999-99", "month=2000-01", "community=abc", "community=-5", "month=" + Uri.EscapeDataString(Script) })
        {
            corpus.Add(new($"review export: {query}", Dispatcher, "GET", "/reviews/export.xlsx?" + query, NeedsMessage: false));
        }
        corpus.Add(new("grid review export: month abc", Dispatcher, "GET", $"/reviews/{ids.GridCode}/abc/export.xlsx", NeedsMessage: false));
        corpus.Add(new("grid review export: grid BOGUS", Dispatcher, "GET", $"/reviews/BOGUS/{ids.Month}/export.xlsx", NeedsMessage: false));

        // ---- List filters and paging ----
        foreach (var list in new[] { "/ledgers/residents", "/ledgers/households", "/ledgers/units", "/ledgers/components" })
        {
            foreach (var query in new[] { "after=-1", "after=abc", "after=99999999999999999999", "community=abc", "grid=" + Uri.EscapeDataString(Script), "tag=Bogus", "kind=999", "q=" + Long(1000), "removed=maybe" })
            {
                corpus.Add(new($"{list}?{Cut(query)}", Dispatcher, "GET", $"{list}?{query}", NeedsMessage: false));
                corpus.Add(new($"{list}/export.csv?{Cut(query)}", Dispatcher, "GET", $"{list}/export.csv?{query}", NeedsMessage: false));
            }
        }
        foreach (var query in new[] { "state=Bogus", "after=abc", "after=" + Long(50), "page=99999999999", "from=abc", "sort=evil", "q=" + Uri.EscapeDataString(Script), "grid=" + Long(100), "size=-1" })
        {
            corpus.Add(new($"/cases?{Cut(query)}", Dispatcher, "GET", $"/cases?{query}", NeedsMessage: false));
        }
        foreach (var path in new[]
                 {
                     "/patrols?month=abc", "/patrols?month=9999-99", "/patrols?grid=" + Uri.EscapeDataString(Script), "/patrols?month=0000-00",
                     "/patrols?grid=x&month=abc", "/visits?month=abc", "/visits?month=2999-12", "/reviews?month=abc",
                     "/reviews?community=abc", "/grids?q=" + Uri.EscapeDataString(Script), "/grids?community=" + Long(300), "/inbox?section=Bogus",
                     "/dashboard/grids/" + Uri.EscapeDataString(Script) + "/cases",
                     "/api/grids/directory.geojson?q=" + Long(500) + "&community=abc", "/visits/new?household=abc", "/visits/new?household=99999999",
                     "/visits/new?demand=abc", "/visits/demands/new?household=-1",
                 })
        {
            corpus.Add(new($"GET {Cut(path)}", path.StartsWith("/patrols", StringComparison.Ordinal) || path.StartsWith("/visits", StringComparison.Ordinal) ? GridWorker
                : path.StartsWith("/dashboard", StringComparison.Ordinal) || path.StartsWith("/grids", StringComparison.Ordinal) || path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/ledgers", StringComparison.Ordinal) ? Dispatcher
                : path.StartsWith("/reviews", StringComparison.Ordinal) ? GridLeader
                : path.StartsWith("/inbox", StringComparison.Ordinal) ? DepartmentHandler : GridWorker,
                "GET", path, NeedsMessage: false));
        }

        // ---- Ids that are not numbers, do not exist or are absurd ----
        foreach (var path in new[]
                 {
                     "/ledgers/residents/abc", "/ledgers/residents/99999999999", "/ledgers/households/-1", "/ledgers/units/0/edit", "/ledgers/components/1e5",
                     "/cases/abc", "/cases/99999999999999999999", "/cases/report/done/" + Uri.EscapeDataString(Script), "/patrols/abc", "/patrols/-1/map",
                     "/visits/abc/edit", "/visits/99999999999/edit", "/evidence/..%2F..%2Fetc%2Fpasswd", "/evidence/" + new string('z', 64),
                     "/grids/" + Uri.EscapeDataString(Script) + "/notice", "/ledgers/grids/BOGUS", "/reviews/x/y", "/error/abc",
                 })
        {
            corpus.Add(new($"GET {Cut(path)}", Dispatcher, "GET", path, NeedsMessage: false));
        }

        // ---- The working calendar's year in the URL: a year a calendar cannot cover shows this year (the dialogs' inputs: Components/CalendarBadInputTests) ----
        foreach (var query in new[] { "year=abc", "year=99999", "year=-1", "year=1999", "year=2100", "year=" + Uri.EscapeDataString(Script), "year=" + Long(200) })
        {
            corpus.Add(new($"/admin/calendar?{Cut(query)}", Administrator, "GET", "/admin/calendar?" + query, NeedsMessage: false));
        }

        // ---- Ledger import: its files' addresses (the page's own inputs, uploaded files, are in Components/LedgerImportPageTests) ----
        foreach (var path in new[]
                 {
                     "/ledgers/import/template/bogus.xlsx", "/ledgers/import/template/999.xlsx", "/ledgers/import/template/" + Uri.EscapeDataString(Script) + ".xlsx",
                     "/ledgers/import/template/" + Long(300) + ".xlsx", $"/ledgers/import/{Guid.NewGuid():N}/refused.xlsx", $"/ledgers/import/{Guid.Empty}/refused.xlsx",
                     // the numbers of the units and components kinds, and a near miss of their names
                     "/ledgers/import/template/2.xlsx", "/ledgers/import/template/3.xlsx", "/ledgers/import/template/unit.xlsx",
                 })
        {
            corpus.Add(new($"ledger import GET {Cut(path)}", Administrator, "GET", path));
        }
        foreach (var path in new[] { "/ledgers/import/abc/refused.xlsx", "/ledgers/import?kind=Bogus", "/ledgers/import?kind=999", "/ledgers/import?kind=3", "/ledgers/import?kind=" + Long(500) })
        {
            corpus.Add(new($"ledger import GET {Cut(path)}", CommunitySecretary, "GET", path, NeedsMessage: false));
        }

        // ---- Open311 GeoReport v2 (anonymous API): query parameters, ids, formats and posts; answered in its error list ----
        foreach (var query in new[]
                 {
                     "status=bogus", "bbox=abc", "bbox=1,2,3", "bbox=NaN,0,1,1", "page=-1", "page=0", "page_size=99999999999", "start_date=abc",
                     "end_date=2026-13-45", "start_date=2026-12-02&end_date=2026-12-01", "updated_after=" + Uri.EscapeDataString(Script),
                     "service_request_id=" + Long(300),
                     "service_request_id=" + string.Join(',', Enumerable.Range(1, 101).Select(i => "202612010" + i.ToString("00000", CultureInfo.InvariantCulture))),
                     "service_code=" + Uri.EscapeDataString(Script), "jurisdiction_id=" + Long(100),
                 })
        {
            corpus.Add(new($"open311 requests: {Cut(query)}", Anonymous, "GET", "/open311/v2/requests.json?" + query));
        }
        foreach (var path in new[]
                 {
                     "/open311/v2/requests/abc.json", "/open311/v2/requests/" + Long(300) + ".xml", "/open311/v2/services/" + Uri.EscapeDataString(Script) + ".xml",
                     "/open311/v2/tokens/abc.json", "/open311/v2/requests.exe", "/open311/v2/services.json?jurisdiction_id=abc",
                 })
        {
            corpus.Add(new($"open311 GET {Cut(path)}", Anonymous, "GET", path));
        }
        var open311Key = await app.WithAsync(async provider => await provider.GetRequiredService<GridGov.Application.Open311.Open311Keys>()
            .IssueAsync("坏输入语料" + Guid.NewGuid().ToString("N")[..6], await app.ActorAsync("admin1")));
        var open311 = new Dictionary<string, string>
        {
            ["api_key"] = open311Key.Key, ["service_code"] = "0501", ["lat"] = extra.Lat, ["long"] = extra.Lng,
            ["description"] = "坏输入语料：路边垃圾" + Guid.NewGuid().ToString("N")[..6], ["phone"] = "13800138000",
        };
        foreach (var (name, changes) in new (string, (string, string?)[])[]
                 {
                     ("no api_key", [("api_key", null)]), ("forged api_key", [("api_key", "gg311_" + Long(40))]), ("script api_key", [("api_key", Script)]),
                     ("unknown service_code", [("service_code", "9999")]), ("script service_code", [("service_code", Script)]),
                     ("service about persons", [("service_code", "1305")]), ("description over-long", [("description", Long(Domain.Cases.Case.DescriptionMaxLength + 1))]),
                     ("address over-long", [("address_string", Long(500))]), ("name over-long", [("first_name", Long(100))]),
                     ("bad email", [("email", Script)]), ("bad media_url", [("media_url", "file:///etc/passwd")]), ("jurisdiction unknown", [("jurisdiction_id", "abc")]),
                     ("component code not digits", [("service_code", "0101"), ("attribute[component_code]", Script)]),
                 })
        {
            corpus.Add(new($"open311 post: {name}", Anonymous, "POST", "/open311/v2/requests.json", "open311", With(open311, changes)));
        }
        foreach (var phone in BadPhones)
        {
            corpus.Add(new($"open311 post: phone {phone}", Anonymous, "POST", "/open311/v2/requests.xml", "open311", With(open311, ("phone", phone))));
        }
        foreach (var (lng, lat) in BadPoints)
        {
            corpus.Add(new($"open311 post: point {lng},{lat}", Anonymous, "POST", "/open311/v2/requests.json", "open311", With(open311, ("long", lng), ("lat", lat))));
        }

        // ---- Sign-in: few on purpose (rate limiting elsewhere); unknown names only, so no failed-attempt counter is written ----
        foreach (var (name, user, password) in new[]
                 {
                     ("empty", "", ""), ("user name over-long", Long(200), "x"), ("password over-long", "nobody-here", new string('p', 500)),
                     ("script user name", Script, "x"), ("unknown user", "nobody-here", "GridGov@2026"),
                 })
        {
            corpus.Add(new($"sign-in: {name}", Anonymous, "POST", "/account/login", "login", [new("Input.UserName", user), new("Input.Password", password)]));
        }
        // ---- Control characters in every field of every form (the form valid otherwise) and in every query parameter ----
        // ---- The 12345 hotline's webhook: signed JSON bodies that must be refused whole (and unsigned or stale ones) ----
        var hotline = new Dictionary<string, object?>
        {
            ["category_code"] = "0501", ["appeal_type"] = "投诉", ["title"] = "路边垃圾", ["content"] = "坏输入语料：路边垃圾无人清运", ["address"] = "云帆街道某路口",
            ["lng"] = double.Parse(extra.Lng, CultureInfo.InvariantCulture), ["lat"] = double.Parse(extra.Lat, CultureInfo.InvariantCulture),
            ["caller_name"] = "张先生", ["caller_phone"] = "13800138000", ["deadline"] = "2026-12-31T18:00:00+08:00",
        };
        byte[] Order(params (string Key, object? Value)[] changes)
        {
            var order = new Dictionary<string, object?>(hotline) { ["order_no"] = "BAD" + Guid.NewGuid().ToString("N")[..12] };
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    order.Remove(key);
                }
                else
                {
                    order[key] = value;
                }
            }
            return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(order);
        }
        foreach (var (name, body) in new (string, byte[])[]
                 {
                     ("not JSON", Encoding.UTF8.GetBytes("order_no=1&content=垃圾")), ("a JSON array", Encoding.UTF8.GetBytes("[1,2,3]")), ("empty body", []),
                     ("no order_no", Order(("order_no", null))), ("script order_no", Order(("order_no", Script))), ("order_no over-long", Order(("order_no", new string('9', 41)))),
                     ("order_no a number", Order(("order_no", 12345))), ("no category_code", Order(("category_code", null))),
                     ("category_code over-long", Order(("category_code", Long(21)))), ("no content", Order(("content", null))),
                     ("content over-long", Order(("content", Long(Domain.Cases.Case.DescriptionMaxLength + 1)))), ("title over-long", Order(("title", Long(101)))),
                     ("address over-long", Order(("address", Long(201)))), ("caller_name over-long", Order(("caller_name", Long(31)))),
                     ("appeal_type unknown", Order(("appeal_type", Script))), ("urgency unknown", Order(("urgency", "'; DROP TABLE cases;--"))),
                     ("deadline without offset", Order(("deadline", "2026-12-31T18:00:00"))), ("deadline garbage", Order(("deadline", "明天下班前"))),
                     ("lng without lat", Order(("lat", null))), ("lng as text", Order(("lng", "abc"))), ("lat out of range", Order(("lat", 100.5))),
                     ("point outside the street", Order(("lng", 116.397), ("lat", 39.908))), ("no point, unknown address", Order(("lng", null), ("lat", null), ("address", "火星基地一号门"))),
                     ("no point, no address", Order(("lng", null), ("lat", null), ("address", null))), ("deep nesting", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100))),
                     ("body over the limit", Order(("content", Long(40_000)))),
                 })
        {
            corpus.Add(new($"hotline order: {name}", Anonymous, "POST", "/hotline/v1/orders", Json: body));
        }
        foreach (var phone in BadPhones)
        {
            corpus.Add(new($"hotline order: phone {phone}", Anonymous, "POST", "/hotline/v1/orders", Json: Order(("caller_phone", phone))));
        }
        foreach (var field in new[] { "order_no", "category_code", "appeal_type", "title", "content", "address", "caller_name", "caller_phone", "deadline" })
        {
            foreach (var (label, control) in ControlCharacters)
            {
                corpus.Add(new($"control character {label}: hotline order {field}", Anonymous, "POST", "/hotline/v1/orders",
                    Json: Order((field, (field == "order_no" ? "GD1" : field == "caller_phone" ? "1380013800" : "坏") + control + "x"))));
            }
        }
        foreach (var signing in new[] { HotlineSigning.Unsigned, HotlineSigning.WrongSecret, HotlineSigning.Stale })
        {
            corpus.Add(new($"hotline order: {signing}", Anonymous, "POST", "/hotline/v1/orders", Json: Order(), Signing: signing));
            corpus.Add(new($"hotline order (signed in): {signing}", Dispatcher, "POST", "/hotline/v1/orders", Json: Order(), Signing: signing));
        }

        // ---- The staff API (/api/v1): JSON bodies and query parameters, sent with the role's bearer token; problem details in Chinese ----
        void AddApi(string name, Who who, string method, string path, string? body = null, bool needsMessage = true) =>
            corpus.Add(new BadInput($"api {name}", who, method, path, NeedsMessage: needsMessage) { Bearer = who != Anonymous, ApiBody = body });
        static string Body(object value) => System.Text.Json.JsonSerializer.Serialize(value, global::GridGov.Web.Tests.Api.ApiHttp.Json);
        var notAnImage = Convert.ToBase64String(Encoding.UTF8.GetBytes("这不是图片"));
        var report = new Dictionary<string, object?>
        {
            ["categoryId"] = extra.category, ["description"] = "坏输入语料：接口上报", ["longitude"] = double.Parse(extra.Lng, CultureInfo.InvariantCulture),
            ["latitude"] = double.Parse(extra.Lat, CultureInfo.InvariantCulture), ["address"] = "云帆街道某路口", ["reporterName"] = "网格员",
        };
        string Report(params (string Key, object? Value)[] changes)
        {
            var body = new Dictionary<string, object?>(report) { ["submissionId"] = Guid.NewGuid() };
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    body.Remove(key);
                }
                else
                {
                    body[key] = value;
                }
            }
            return Body(body);
        }
        foreach (var (name, body) in new (string, string)[]
                 {
                     ("not JSON", "category=1"), ("a JSON array", "[1,2]"), ("JSON null", "null"), ("empty body", ""), ("unclosed", "{\"description\": "),
                     ("no submissionId", Report(("submissionId", null))), ("submissionId not a GUID", Report(("submissionId", "abc"))),
                     ("categoryId as text", Report(("categoryId", "abc"))), ("unknown categoryId", Report(("categoryId", 99999999))),
                     ("no description", Report(("description", null))), ("description over-long", Report(("description", Long(Domain.Cases.Case.DescriptionMaxLength + 1)))),
                     ("script description, no address", Report(("description", Script), ("address", null))), ("longitude out of range", Report(("longitude", 200))),
                     ("latitude as text", Report(("latitude", "NaN"))), ("point outside the street", Report(("longitude", 116.397), ("latitude", 39.908))),
                     ("priority unknown", Report(("priority", "Bogus"))), ("priority a number", Report(("priority", "1"))), ("source unknown", Report(("source", "'; DROP TABLE cases;--"))),
                     ("reporter name over-long", Report(("reporterName", Long(31)))), ("attachTo not a number", Report(("attachTo", Script))),
                     ("photo not Base64", Report(("photos", new[] { new { fileName = "a.jpg", contentBase64 = "%%%" } }))),
                     ("photo not an image", Report(("photos", new[] { new { fileName = "a.jpg", contentBase64 = notAnImage } }))),
                     ("ten photos", Report(("photos", Enumerable.Range(0, 10).Select(i => new { fileName = $"{i}.png", contentBase64 = notAnImage }).ToArray()))),
                     ("handled on the spot without result", Report(("handledOnSpot", true))),
                 })
        {
            AddApi($"report: {name}", GridWorker, "POST", "/api/v1/cases", body);
        }
        foreach (var phone in BadPhones)
        {
            AddApi($"report: phone {phone}", GridWorker, "POST", "/api/v1/cases", Report(("reporterPhone", phone)));
        }
        foreach (var field in new[] { "description", "address", "reporterName", "reporterPhone" })
        {
            foreach (var (label, control) in ControlCharacters)
            {
                AddApi($"control character {label}: report {field}", GridWorker, "POST", "/api/v1/cases", Report((field, "坏" + control + "x")));
            }
        }
        AddApi("report by a department handler", DepartmentHandler, "POST", "/api/v1/cases", Report());
        foreach (var (name, action, who, body) in new (string, string, Who, string)[]
                 {
                     ("Reject without reason", "Reject", Dispatcher, "{\"text\": \"\"}"), ("Reject reason over-long", "Reject", Dispatcher, Body(new { text = Long(2001) })),
                     ("Register priority unknown", "Register", Dispatcher, Body(new { priority = "Bogus" })), ("Merge into a bad number", "Merge", Dispatcher, Body(new { originalCaseNumber = Script })),
                     ("Merge into a missing case", "Merge", Dispatcher, Body(new { originalCaseNumber = "20000101000001" })),
                     ("unknown action", "Bogus", Dispatcher, "{}"), ("action a number", "3", Dispatcher, "{}"), ("Accept not offered", "Accept", GridWorker, "{}"),
                     ("Reject control character", "Reject", Dispatcher, Body(new { text = "重复\u0000上报" })), ("body not JSON", "Reject", Dispatcher, "text=x"),
                 })
        {
            AddApi($"case action: {name}", who, "POST", $"/api/v1/cases/{extra.reported}/actions/{action}", body);
        }
        foreach (var (name, body) in new (string, string)[]
                 {
                     ("Dispatch without department", "{}"), ("RequestExtension due garbage", Body(new { text = "需协调", requestedDue = "明天" })),
                 })
        {
            AddApi($"case action: {name}", name.StartsWith("Dispatch", StringComparison.Ordinal) ? Dispatcher : DepartmentHandler, "POST",
                $"/api/v1/cases/{extra.dispatched}/actions/{name.Split(' ')[0]}", body);
        }
        foreach (var path in new[] { "/api/v1/cases/abc", "/api/v1/cases/" + Long(30), "/api/v1/cases/99999999999999", "/api/v1/cases/abc/actions", "/api/v1/nothing" })
        {
            AddApi($"GET {Cut(path)}", Dispatcher, "GET", path);
        }
        var household = await app.DbAsync(db => db.Households.Where(h => h.GridId == ids.GridId && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Id).FirstAsync());
        var visitedAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        string Visit(params (string Key, object? Value)[] changes)
        {
            var body = new Dictionary<string, object?> { ["submissionId"] = Guid.NewGuid(), ["householdId"] = household, ["visitedAt"] = visitedAt, ["findings"] = "坏输入语料：走访" };
            foreach (var (key, value) in changes)
            {
                body[key] = value;
            }
            return Body(body.Where(p => p.Value is not null).ToDictionary());
        }
        foreach (var (name, body) in new (string, string)[]
                 {
                     ("empty", "{}"), ("household -1", Visit(("householdId", -1))), ("household elsewhere", Visit(("householdId", extra.otherHousehold))),
                     ("time garbage", Visit(("visitedAt", "2026-13-45"))), ("time without offset", Visit(("visitedAt", "2026-12-01T09:00:00"))),
                     ("time in the future", Visit(("visitedAt", DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)))),
                     ("findings over-long", Visit(("findings", Long(Domain.Visits.Visit.FindingsMaxLength + 1)))), ("findings control character", Visit(("findings", "坏\u001bx"))),
                     ("companions over-long", Visit(("companions", Long(101)))), ("raiseCase without description", Visit(("raiseCase", new { categoryId = extra.category }))),
                     ("demand unknown", Visit(("visitDemandId", 99999999))),
                 })
        {
            AddApi($"visit: {name}", GridWorker, "POST", "/api/v1/visits", body);
        }
        AddApi("visit by a dispatcher", Dispatcher, "POST", "/api/v1/visits", Visit());
        foreach (var query in new[] { "month=abc", "month=9999-99", "page=0", "page=-1", "page=abc", "month=" + Uri.EscapeDataString(Script) })
        {
            AddApi($"visits?{query}", GridWorker, "GET", "/api/v1/visits?" + query);
        }
        var unknownPatrol = Guid.NewGuid();
        foreach (var (name, path, body) in new (string, string, string)[]
                 {
                     ("start empty", "/api/v1/patrols", "{}"), ("start script grid", "/api/v1/patrols", Body(new { patrolId = Guid.NewGuid(), gridCode = Script })),
                     ("start another grid", "/api/v1/patrols", Body(new { patrolId = Guid.NewGuid(), gridCode = "999999999999999" })),
                     ("start time garbage", "/api/v1/patrols", Body(new { patrolId = Guid.NewGuid(), gridCode = ids.GridCode, startedAt = "早上" })),
                     ("start in the future", "/api/v1/patrols", Body(new { patrolId = Guid.NewGuid(), gridCode = ids.GridCode, startedAt = DateTimeOffset.UtcNow.AddHours(3).ToString("O", CultureInfo.InvariantCulture) })),
                     ("track no points", $"/api/v1/patrols/{unknownPatrol}/track", "{\"points\": []}"),
                     ("track longitude 200", $"/api/v1/patrols/{unknownPatrol}/track", Body(new { points = new[] { new { longitude = 200, latitude = 31.3, recordedAt = visitedAt } } })),
                     ("track time garbage", $"/api/v1/patrols/{unknownPatrol}/track", Body(new { points = new[] { new { longitude = 120.6, latitude = 31.3, recordedAt = "abc" } } })),
                     ("track 1001 points", $"/api/v1/patrols/{unknownPatrol}/track", Body(new { points = Enumerable.Range(0, 1001).Select(i => new { longitude = 120.6, latitude = 31.3, recordedAt = visitedAt }).ToArray() })),
                     ("track of a patrol nobody started", $"/api/v1/patrols/{unknownPatrol}/track", Body(new { points = new[] { new { longitude = 120.6, latitude = 31.3, recordedAt = visitedAt } } })),
                     ("finish a patrol nobody started", $"/api/v1/patrols/{unknownPatrol}/finish", "{}"),
                     ("finish notes over-long", $"/api/v1/patrols/{unknownPatrol}/finish", Body(new { notes = Long(2001) })),
                     ("finish problem without category", $"/api/v1/patrols/{unknownPatrol}/finish", Body(new { problems = new[] { new { description = "坏", longitude = 120.6, latitude = 31.3 } } })),
                     ("patrol id not a GUID", "/api/v1/patrols/abc/track", "{}"),
                 })
        {
            AddApi($"patrol: {name}", GridWorker, "POST", path, body);
        }
        foreach (var path in new[]
                 {
                     "/api/v1/residents?q=1101", "/api/v1/residents?q=" + Long(100), "/api/v1/residents?pageSize=0", "/api/v1/residents?pageSize=101", "/api/v1/residents?page=abc",
                     "/api/v1/residents?page=99999999999", "/api/v1/residents?grid=" + Uri.EscapeDataString(Script), "/api/v1/units?kind=Bogus", "/api/v1/units?q=" + Long(100),
                     "/api/v1/households?address=" + Long(200), "/api/v1/households?page=0",
                 })
        {
            AddApi($"GET {Cut(path)}", Dispatcher, "GET", path);
        }
        AddApi("residents by a department handler", DepartmentHandler, "GET", "/api/v1/residents");
        foreach (var (name, body) in new (string, string)[]
                 {
                     ("empty", ""), ("not JSON", "userName=a"), ("no password", Body(new { userName = "nobody-here" })), ("user name over-long", Body(new { userName = Long(100), password = "x" })),
                     ("password over-long", Body(new { userName = "nobody-here", password = new string('p', 500) })), ("unknown user", Body(new { userName = "nobody-here", password = "GridGov@2026" })),
                     ("script user name", Body(new { userName = Script, password = "x" })), ("control character", Body(new { userName = "nobody\u0000here", password = "x" })),
                 })
        {
            AddApi($"token: {name}", Anonymous, "POST", "/api/v1/tokens", body);
        }

        void Controls(Who who, string path, string form, IReadOnlyDictionary<string, string> baseline, IReadOnlyList<(string, string, byte[])>? files = null)
        {
            // Not the submission id: the sender gives every post a fresh one.
            foreach (var (key, value) in baseline.Where(field => field.Key != "Input.SubmissionId"))
            {
                foreach (var (label, control) in ControlCharacters)
                {
                    corpus.Add(new($"control character {label}: {form} {key}", who, "POST", path, form, With(baseline, (key, value + control + "x")), files));
                }
            }
        }
        Controls(Anonymous, "/account/login", "login", new Dictionary<string, string> { ["Input.UserName"] = "nobody-here", ["Input.Password"] = "GridGov@2026" });
        // A valid Open311 post otherwise: a control character in any field must stop it whole.
        Controls(Anonymous, "/open311/v2/requests.json", "open311", open311);
        var queries = corpus.Where(input => input.Method == "GET" && input.Path.Contains('?', StringComparison.Ordinal)).ToList();
        queries.AddRange(new[] { "/ledgers/residents?address=路", "/ledgers/households?address=路", "/visits/new?q=路", "/visits/demands/new?q=路", "/admin/audit?q=登录&actor=admin1&type=Case&id=1" }
            .Select(path => new BadInput(path, path.StartsWith("/visits", StringComparison.Ordinal) ? GridWorker : path.StartsWith("/admin", StringComparison.Ordinal) ? Administrator : Dispatcher, "GET", path)));
        foreach (var group in queries.SelectMany(input => QueryNames(input.Path).Select(name => (input, name))).GroupBy(pair => (Path: pair.input.Path.Split('?')[0], pair.name)))
        {
            var (input, name) = group.First();
            var path = Regex.Replace(input.Path, $"([?&]{Regex.Escape(name)}=)([^&]*)", match => match.Groups[1].Value + "a%00b");
            corpus.Add(new BadInput($"control character NUL: GET {group.Key.Path} {name}", input.As, "GET", path) { Bearer = input.Bearer });
        }
        return corpus.Select(input => input with { Expect = input.Expect ?? ExpectedWord(input.Name) }).ToList();
    }

    /// <summary>The word the message must contain, for the groups where the field's message is known.</summary>
    private static string? ExpectedWord(string name) => name switch
    {
        _ when name.Contains(": phone ", StringComparison.Ordinal) || name.Contains("contact phone", StringComparison.Ordinal)
               || name.Contains("reporter phone", StringComparison.Ordinal) => "电话",
        _ when name.StartsWith("case Reject", StringComparison.Ordinal) || name.StartsWith("case Return", StringComparison.Ordinal) || name.StartsWith("case Void", StringComparison.Ordinal) => "理由",
        _ when name.StartsWith("no antiforgery token", StringComparison.Ordinal) => "刷新页面",
        _ => null,
    };

    private static string Cut(string text) => text.Length > 60 ? text[..60] + "…" : text;

    [Fact]
    public async Task Every_bad_input_gets_a_4xx_or_a_message_changes_nothing_and_never_a_500()
    {
        var corpus = await CorpusAsync();
        var failures = new List<string>();
        var serverErrors = 0;
        var tokens = new Dictionary<Who, string>();
        foreach (var who in corpus.Where(input => input.Bearer).Select(input => input.As).Distinct())
        {
            _apiTokens[who] = await global::GridGov.Web.Tests.Api.ApiHttp.TokenAsync(app, SecurityFixture.UserNames[who]);
        }
        foreach (var input in corpus)
        {
            var before = await FingerprintAsync();
            var (status, body) = await SendAsync(input, tokens);
            var after = await FingerprintAsync();
            var problems = new List<string>();
            if (status >= 500)
            {
                serverErrors++;
                problems.Add("server error");
            }
            if (!Equal(before, after))
            {
                problems.Add("wrote: " + Difference(before, after));
            }
            // Only HTML can run a script; a text/plain refusal that names the bad value is inert.
            if (body.Contains("<html", StringComparison.OrdinalIgnoreCase) && body.Contains("<script>alert('gg')", StringComparison.Ordinal))
            {
                problems.Add("script came back unescaped");
            }
            var message = MessageIn(status, body);
            if (input.NeedsMessage && status < 500 && message is null)
            {
                problems.Add("no Chinese message");
            }
            if (input.Expect is { } expected && message?.Contains(expected, StringComparison.Ordinal) != true)
            {
                problems.Add($"message does not say '{expected}'");
            }
            output.WriteLine($"{status} {input.As,-18} {input.Name} → {Cut(message ?? "")}");
            if (problems.Count > 0)
            {
                failures.Add($"{input.Name} ({input.As}, {status}): {string.Join("; ", problems)} [{Cut(Regex.Replace(Tags().Replace(MainPart(body), " "), "\\s+", " ").Trim())}]");
            }
        }
        output.WriteLine($"Bad inputs tried: {corpus.Count}; 500s: {serverErrors}; failures: {failures.Count}");
        Console.WriteLine($"[bad-input-corpus] {corpus.Count} inputs tried, {serverErrors} server errors, {failures.Count} failures");

        // What still arrives over HTTP (GET parameters, sign-in, the pages' own posts refused, API calls); the forms' inputs moved with their
        // pages to the bUnit corpora in Components/*BadInputTests, each printing its own [bad-input-corpus] line (together well over 300).
        Assert.True(corpus.Count >= 180, $"only {corpus.Count} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<(int Status, string Body)> SendAsync(BadInput input, Dictionary<Who, string> tokens)
    {
        var client = app.Client(input.As);
        HttpResponseMessage response;
        if (input.Bearer || input.ApiBody is not null)
        {
            // The staff API: the role's token (fetched before the run: a sign-in writes its session), JSON as sent.
            using var api = global::GridGov.Web.Tests.Api.ApiHttp.Client(app, input.Bearer ? _apiTokens[input.As] : null);
            response = input.Method == "GET"
                ? await api.GetAsync(input.Path)
                : await api.PostAsync(input.Path, new StringContent(input.ApiBody ?? "", Encoding.UTF8, input.ApiBody is { } b && b.Contains('=') && !b.StartsWith('{') ? "application/x-www-form-urlencoded" : "application/json"));
        }
        else if (input.Method == "GET")
        {
            response = await client.GetAsync(input.Path);
        }
        else if (input.Json is { } json)
        {
            // The hotline's webhook: raw JSON, signed (or not) as the input says, with the running app's shared secret.
            var secret = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GridGov.Application.Hotline.HotlineOptions>>().Value.SharedSecret;
            var timestamp = GridGov.Application.Hotline.HotlineSignature.Timestamp(DateTimeOffset.UtcNow - (input.Signing == HotlineSigning.Stale ? TimeSpan.FromHours(1) : TimeSpan.Zero));
            var body = new ByteArrayContent(json);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, input.Path) { Content = body };
            if (input.Signing != HotlineSigning.Unsigned)
            {
                request.Headers.Add(GridGov.Application.Hotline.HotlineSignature.TimestampHeader, timestamp);
                request.Headers.Add(GridGov.Application.Hotline.HotlineSignature.SignatureHeader,
                    GridGov.Application.Hotline.HotlineSignature.Sign(input.Signing == HotlineSigning.WrongSecret ? "not-" + secret : secret, timestamp, json));
            }
            response = await client.SendAsync(request);
        }
        else
        {
            if (!tokens.TryGetValue(input.As, out var token))
            {
                token = tokens[input.As] = SecurityHttp.AntiforgeryToken(await client.GetStringAsync(input.As == Anonymous ? "/account/login" : "/inbox"))!;
            }
            // A fresh submission id each time: a create form treats a repeated one as the same submission.
            var fields = (input.Fields ?? []).Select(f => f.Key == "Input.SubmissionId" ? new(f.Key, Guid.NewGuid().ToString()) : f).ToList();
            fields.Add(new("__RequestVerificationToken", input.WithToken ? token : "forged-token"));
            fields.Add(new("_handler", input.Form!));
            HttpContent content;
            if (input.Files is { } files)
            {
                var multipart = new MultipartFormDataContent();
                foreach (var (key, value) in fields)
                {
                    multipart.Add(new StringContent(value), key);
                }
                foreach (var (field, fileName, bytes) in files)
                {
                    var file = new ByteArrayContent(bytes);
                    file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : fileName.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "application/octet-stream");
                    multipart.Add(file, field, fileName);
                }
                content = multipart;
            }
            else
            {
                content = new FormUrlEncodedContent(fields);
            }
            response = await client.PostAsync(input.Path, content);
        }
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            var body = mediaType.StartsWith("text", StringComparison.Ordinal) || mediaType.Contains("json", StringComparison.Ordinal) ? Encoding.UTF8.GetString(bytes) : "";
            return ((int)response.StatusCode, body);
        }
    }

    /// <summary>The Chinese message of an answer: a form's error next to a field or in its alert, or the text of a 4xx.</summary>
    private static string? MessageIn(int status, string body)
    {
        // Messages next to fields or in a form's error list first, then any error alert.
        var messages = FieldError().Matches(body).Concat(ErrorElement().Matches(body))
            .Select(m => WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value, " ")).Trim())
            .Where(text => Chinese().IsMatch(text))
            .Distinct()
            .ToList();
        if (messages.Count > 0)
        {
            return string.Join(" | ", messages);
        }
        if (status is >= 400 and < 500)
        {
            var text = WebUtility.HtmlDecode(Tags().Replace(MainPart(body), " ")).Trim();
            if (Chinese().IsMatch(text))
            {
                return Regex.Replace(text, "\\s+", " ");
            }
        }
        return null;
    }

    private static string MainPart(string body)
    {
        var start = body.IndexOf("<main", StringComparison.Ordinal);
        var end = body.IndexOf("</main>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[start..end] : body;
    }

    // ---- Database fingerprint: rows and newest row version of every table ----

    private string? _fingerprintSql;

    private readonly Dictionary<Who, string> _apiTokens = [];

    private async Task<Dictionary<string, string>> FingerprintAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        if (_fingerprintSql is null)
        {
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            // Left out: the notification dispatcher writes there on its own schedule, not because of a request; the audit
            // log records refused attempts (failed sign-ins) and the dispatcher's sends by design.
            tables.RemoveAll(t => t is "notifications" or "audit_entries" or "spatial_ref_sys");
            _fingerprintSql = string.Join(" UNION ALL ", tables.Select(t =>
                $"SELECT '{t}', count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text FROM \"{t}\""));
        }
        var result = new Dictionary<string, string>();
        await using var command = new NpgsqlCommand(_fingerprintSql, connection);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            result[rows.GetString(0)] = rows.GetString(1);
        }
        return result;
    }

    private static string Difference(Dictionary<string, string> before, Dictionary<string, string> after) =>
        string.Join(", ", after.Where(p => before.GetValueOrDefault(p.Key) != p.Value).Select(p => $"{p.Key} {before.GetValueOrDefault(p.Key)}→{p.Value}"));

    private static bool Equal(Dictionary<string, string> a, Dictionary<string, string> b) => a.Count == b.Count && a.All(p => b.GetValueOrDefault(p.Key) == p.Value);

    [GeneratedRegex("(?:data-error-for|data-error-summary)=\"[^\"]*\"[^>]*>(.*?)</(?:div|li)>", RegexOptions.Singleline)]
    private static partial Regex FieldError();

    [GeneratedRegex("class=\"[^\"]*(?:gg-static-alert|validation-message)[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorElement();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("[\u4e00-\u9fff]")]
    private static partial Regex Chinese();
}
