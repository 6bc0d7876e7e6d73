using System.Globalization;
using System.Net;
using System.Text.Json;
using GridGov.Domain.Cases;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Open311.Open311Client;

namespace GridGov.Web.Tests.Open311;

/// <summary>
/// The GET side of Open311 GeoReport v2 over real HTTP, in JSON and XML, against the specification's documented examples:
/// field names and order, root elements, the error list, filters, bbox and paging; and no personal data in any answer.
/// </summary>
public sealed class Open311ReadTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string ResidentName = "李明";
    private const string ResidentPhone = "13912345678";

    [Fact]
    public async Task The_service_list_has_the_specifications_fields_and_roots_and_leaves_out_matters_about_persons()
    {
        var json = await app.GetAsync("/services.json");
        var xml = await app.GetAsync("/services.xml");

        Assert.Equal(HttpStatusCode.OK, json.Status);
        Assert.Equal("application/json; charset=utf-8", json.ContentType);
        Assert.Equal("text/xml; charset=utf-8", xml.ContentType);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml.Body, StringComparison.Ordinal);
        var services = json.Json.EnumerateArray().ToList();
        Assert.All(services, s => Assert.Equal(ServiceFields, Properties(s)));
        var rubbish = services.Single(s => s.GetProperty("service_code").GetString() == "0501");
        Assert.Equal("暴露垃圾", rubbish.GetProperty("service_name").GetString());
        Assert.False(rubbish.GetProperty("metadata").GetBoolean());
        Assert.Equal("realtime", rubbish.GetProperty("type").GetString());
        Assert.Equal("市容环境", rubbish.GetProperty("group").GetString());
        Assert.True(services.Single(s => s.GetProperty("service_code").GetString() == "0101").GetProperty("metadata").GetBoolean());
        // Disputes, public security and welfare requests (10–14) are about persons: not offered.
        Assert.DoesNotContain(services, s => string.Compare(s.GetProperty("service_code").GetString(), "10", StringComparison.Ordinal) >= 0);

        var root = xml.Xml.Root!;
        Assert.Equal("services", root.Name.LocalName);
        Assert.All(root.Elements(), e => Assert.Equal("service", e.Name.LocalName));
        Assert.Equal(services.Count, root.Elements().Count());
        var first = root.Elements().First();
        Assert.Equal(ServiceFields, Children(first));
        Assert.Equal(services[0].GetProperty("service_code").GetString(), first.Element("service_code")!.Value);
    }

    [Fact]
    public async Task A_service_definition_has_its_attributes_or_an_empty_list_and_an_unknown_code_is_a_404_error_list()
    {
        var component = await app.GetAsync("/services/0101.json");
        var componentXml = await app.GetAsync("/services/0101.xml");
        var eventJson = await app.GetAsync("/services/0501.json");
        var eventXml = await app.GetAsync("/services/0501.xml");

        Assert.Equal(["service_code", "attributes"], Properties(component.Json));
        Assert.Equal("0101", component.Json.GetProperty("service_code").GetString());
        var attribute = Assert.Single(component.Json.GetProperty("attributes").EnumerateArray());
        Assert.Equal(AttributeFields, Properties(attribute));
        Assert.True(attribute.GetProperty("variable").GetBoolean());
        Assert.Equal("component_code", attribute.GetProperty("code").GetString());
        Assert.Equal("string", attribute.GetProperty("datatype").GetString());
        Assert.False(attribute.GetProperty("required").GetBoolean());
        Assert.Equal(1, attribute.GetProperty("order").GetInt32());
        Assert.Equal(JsonValueKind.Array, attribute.GetProperty("values").ValueKind);
        Assert.Equal("service_definition", componentXml.Xml.Root!.Name.LocalName);
        Assert.Equal(["service_code", "attributes"], Children(componentXml.Xml.Root));
        var xmlAttribute = Assert.Single(componentXml.Xml.Root.Element("attributes")!.Elements());
        Assert.Equal("attribute", xmlAttribute.Name.LocalName);
        Assert.Equal(AttributeFields, Children(xmlAttribute));

        Assert.Empty(eventJson.Json.GetProperty("attributes").EnumerateArray());
        Assert.Empty(eventXml.Xml.Root!.Element("attributes")!.Elements());

        foreach (var code in new[] { "9999", "1001" })
        {
            var missing = await app.GetAsync($"/services/{code}.json");
            var missingXml = await app.GetAsync($"/services/{code}.xml");
            AssertError(missing, HttpStatusCode.NotFound, "service_code不存在");
            AssertXmlError(missingXml, HttpStatusCode.NotFound, "service_code不存在");
        }
    }

    [Fact]
    public async Task Requests_read_as_the_specification_shows_open_and_closed_with_the_department_and_no_personal_data()
    {
        var reported = await app.ResidentReportAsync();
        var dispatched = await app.DispatchedToHandler1Async();
        var archived = await app.ArchivedAsync();
        var handler = await app.ActorAsync("handler1");
        var department = await app.DbAsync(db => db.Departments.Where(d => d.Id == handler.DepartmentId).Select(d => d.Name).SingleAsync());
        var ids = string.Join(',', reported.Number, dispatched.Number, archived.Number);

        var json = await app.GetAsync($"/requests.json?service_request_id={ids}");
        var xml = await app.GetAsync($"/requests.xml?service_request_id={ids}");

        Assert.Equal(HttpStatusCode.OK, json.Status);
        var requests = json.Json.EnumerateArray().ToDictionary(r => r.GetProperty("service_request_id").GetString()!);
        Assert.Equal(3, requests.Count);
        Assert.All(requests.Values, r => Assert.Equal(RequestFields, Properties(r)));
        var open = requests[reported.Number];
        Assert.Equal("open", open.GetProperty("status").GetString());
        Assert.Equal("待立案", open.GetProperty("status_notes").GetString());
        Assert.Equal("0501", open.GetProperty("service_code").GetString());
        Assert.Equal("暴露垃圾", open.GetProperty("service_name").GetString());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("agency_responsible").ValueKind);
        Assert.Equal(JsonValueKind.Null, open.GetProperty("media_url").ValueKind);
        Assert.Equal(reported.Location.Y, open.GetProperty("lat").GetDouble(), 9);
        Assert.Equal(reported.Location.X, open.GetProperty("long").GetDouble(), 9);
        var requested = open.GetProperty("requested_datetime").GetString()!;
        Assert.EndsWith("+08:00", requested, StringComparison.Ordinal);
        Assert.Equal(reported.ReportedAt.ToUnixTimeSeconds(), DateTimeOffset.ParseExact(requested, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal(department, requests[dispatched.Number].GetProperty("agency_responsible").GetString());
        Assert.EndsWith("+08:00", requests[dispatched.Number].GetProperty("expected_datetime").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("处置时限：派遣后", requests[dispatched.Number].GetProperty("service_notice").GetString(), StringComparison.Ordinal);
        var closed = requests[archived.Number];
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("已归档", closed.GetProperty("status_notes").GetString());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("expected_datetime").ValueKind);

        var root = xml.Xml.Root!;
        Assert.Equal("service_requests", root.Name.LocalName);
        Assert.Equal(3, root.Elements("request").Count());
        Assert.All(root.Elements(), r => Assert.Equal(RequestFields, Children(r)));
        Assert.Equal("closed", root.Elements().Single(r => r.Element("service_request_id")!.Value == archived.Number).Element("status")!.Value);

        // Personal data never leaves: not the reporter, the phone, or the handler's name and result text.
        foreach (var body in new[] { json.Body, xml.Body, (await app.GetAsync("/requests.json")).Body, (await app.GetAsync("/requests.xml")).Body })
        {
            Assert.DoesNotContain(ResidentName, body, StringComparison.Ordinal);
            Assert.DoesNotContain(ResidentPhone, body, StringComparison.Ordinal);
            Assert.DoesNotContain(handler.Name, body, StringComparison.Ordinal);
            Assert.DoesNotContain("已清运", body, StringComparison.Ordinal);
        }

        var one = await app.GetAsync($"/requests/{archived.Number}.json");
        var oneXml = await app.GetAsync($"/requests/{archived.Number}.xml");
        Assert.Equal(archived.Number, Assert.Single(one.Json.EnumerateArray()).GetProperty("service_request_id").GetString());
        Assert.Equal("service_requests", oneXml.Xml.Root!.Name.LocalName);
        Assert.Equal(RequestFields, Children(Assert.Single(oneXml.Xml.Root.Elements("request"))));
    }

    [Fact]
    public async Task A_status_note_reads_in_English_when_the_client_asks_for_it()
    {
        var archived = await app.ArchivedAsync();

        var english = await app.GetAsync($"/requests/{archived.Number}.json", "en-US,en;q=0.9");
        var chinese = await app.GetAsync($"/requests/{archived.Number}.json", "zh-CN,zh;q=0.9,en;q=0.5");

        Assert.Equal("Archived", english.Json[0].GetProperty("status_notes").GetString());
        Assert.StartsWith("To be handled within", english.Json[0].GetProperty("service_notice").GetString(), StringComparison.Ordinal);
        Assert.Equal("已归档", chinese.Json[0].GetProperty("status_notes").GetString());
    }

    [Fact]
    public async Task A_social_governance_matter_is_not_published_even_by_its_number()
    {
        var dispute = await app.ResidentReportAsync(InboxCases.IllegalConstruction);

        var list = await app.GetAsync($"/requests.json?service_request_id={dispute.Number}");
        var one = await app.GetAsync($"/requests/{dispute.Number}.json");

        Assert.Empty(list.Json.EnumerateArray());
        AssertError(one, HttpStatusCode.NotFound, "service_request_id不存在或不公开");
    }

    [Fact]
    public async Task Filters_bbox_and_paging_choose_the_requests()
    {
        var reported = await app.ResidentReportAsync();
        var archived = await app.ArchivedAsync();
        var now = DateTimeOffset.UtcNow;
        string Ids(Open311Answer answer) => string.Join(',', answer.Json.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()));
        string Time(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));

        var byCode = await app.GetAsync("/requests.json?service_code=0501&page_size=500");
        Assert.Contains(reported.Number, Ids(byCode), StringComparison.Ordinal);
        Assert.All(byCode.Json.EnumerateArray(), r => Assert.Equal("0501", r.GetProperty("service_code").GetString()));
        var otherCode = await app.GetAsync("/requests.json?service_code=0101&page_size=500");
        Assert.DoesNotContain(reported.Number, Ids(otherCode), StringComparison.Ordinal);

        var closed = await app.GetAsync("/requests.json?status=closed&page_size=500");
        var open = await app.GetAsync("/requests.json?status=open&page_size=500");
        Assert.All(closed.Json.EnumerateArray(), r => Assert.Equal("closed", r.GetProperty("status").GetString()));
        Assert.All(open.Json.EnumerateArray(), r => Assert.Equal("open", r.GetProperty("status").GetString()));
        Assert.Contains(archived.Number, Ids(closed), StringComparison.Ordinal);
        Assert.Contains(reported.Number, Ids(open), StringComparison.Ordinal);

        var window = await app.GetAsync($"/requests.json?start_date={Time(now.AddMinutes(-10))}&end_date={Time(now.AddMinutes(10))}&page_size=500");
        var before = await app.GetAsync($"/requests.json?start_date={Time(now.AddDays(-30))}&end_date={Time(now.AddMinutes(-10))}&page_size=500");
        Assert.Contains(reported.Number, Ids(window), StringComparison.Ordinal);
        Assert.DoesNotContain(reported.Number, Ids(before), StringComparison.Ordinal);
        var updatedLater = await app.GetAsync($"/requests.json?updated_after={Time(now.AddMinutes(10))}");
        Assert.Empty(updatedLater.Json.EnumerateArray());
        var updatedSince = await app.GetAsync($"/requests.json?updated_after={Time(now.AddMinutes(-10))}&page_size=500");
        Assert.Contains(archived.Number, Ids(updatedSince), StringComparison.Ordinal);

        var (x, y) = (reported.Location.X, reported.Location.Y);
        var around = await app.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/requests.json?bbox={x + 0.0005},{y + 0.0005},{x - 0.0005},{y - 0.0005}&page_size=500"));
        var away = await app.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/requests.json?bbox={x + 0.01},{y + 0.01},{x + 0.02},{y + 0.02}&page_size=500"));
        Assert.Contains(reported.Number, Ids(around), StringComparison.Ordinal);
        Assert.DoesNotContain(reported.Number, Ids(away), StringComparison.Ordinal);
        Assert.All(around.Json.EnumerateArray(), r => Assert.InRange(r.GetProperty("long").GetDouble(), x - 0.0005, x + 0.0005));

        var first = await app.GetAsync("/requests.json?page_size=2&page=1");
        var second = await app.GetAsync("/requests.json?page_size=2&page=2");
        var both = await app.GetAsync("/requests.json?page_size=4&page=1");
        Assert.Equal(2, first.Json.GetArrayLength());
        Assert.Equal(2, second.Json.GetArrayLength());
        Assert.Equal(Ids(both), Ids(first) + "," + Ids(second));
        // Newest first.
        Assert.Equal(archived.Number, both.Json[0].GetProperty("service_request_id").GetString());
    }

    [Theory]
    [InlineData("/requests.json?status=bogus", "status只能是open或closed")]
    [InlineData("/requests.json?bbox=abc", "bbox无效")]
    [InlineData("/requests.json?bbox=1,2,3,200", "bbox无效")]
    [InlineData("/requests.json?page=0", "page应为1至100000之间的整数")]
    [InlineData("/requests.json?page_size=9999", "page_size应为1至500之间的整数")]
    [InlineData("/requests.json?start_date=yesterday", "start_date不是有效的时间")]
    [InlineData("/requests.json?start_date=2026-12-02&end_date=2026-12-01", "start_date不能晚于end_date")]
    [InlineData("/requests.json?updated_after=2026-13-45T00:00:00Z", "updated_after不是有效的时间")]
    [InlineData("/requests.json?service_request_id=abc", "service_request_id应为14位数字")]
    [InlineData("/requests.json?description=a%00b", "控制字符")]
    public async Task Bad_parameters_get_a_400_error_list_in_both_formats(string path, string expected)
    {
        AssertError(await app.GetAsync(path), HttpStatusCode.BadRequest, expected);
        AssertXmlError(await app.GetAsync(path.Replace(".json", ".xml", StringComparison.Ordinal)), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task Unknown_things_get_a_404_error_list_in_Chinese_or_in_English_when_asked()
    {
        AssertError(await app.GetAsync("/requests.json?jurisdiction_id=999999999"), HttpStatusCode.NotFound, "jurisdiction_id不存在");
        AssertError(await app.GetAsync("/requests/20000101000001.json"), HttpStatusCode.NotFound, "service_request_id不存在或不公开");
        AssertError(await app.GetAsync($"/tokens/{Guid.NewGuid()}.json"), HttpStatusCode.NotFound, "token不存在");
        AssertXmlError(await app.GetAsync("/requests.csv"), HttpStatusCode.NotFound, "不支持的格式");
        AssertError(await app.GetAsync("/requests/20000101000001.json", "en"), HttpStatusCode.NotFound, "service_request_id not found or not public");
        var street = await app.DbAsync(db => db.Streets.Select(s => s.Code).FirstAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/services.json?jurisdiction_id={street}")).Status);
    }

    /// <summary>[{"code":…,"description":…}], the specification's error list, and nothing else.</summary>
    internal static void AssertError(Open311Answer answer, HttpStatusCode status, string expected)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json; charset=utf-8", answer.ContentType);
        var error = Assert.Single(answer.Json.EnumerateArray());
        Assert.Equal(["code", "description"], Properties(error));
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;&lt;/error&gt;&lt;/errors&gt;.</summary>
    internal static void AssertXmlError(Open311Answer answer, HttpStatusCode status, string expected)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("text/xml; charset=utf-8", answer.ContentType);
        var root = answer.Xml.Root!;
        Assert.Equal("errors", root.Name.LocalName);
        var error = Assert.Single(root.Elements());
        Assert.Equal("error", error.Name.LocalName);
        Assert.Equal(["code", "description"], Children(error));
        Assert.Equal(((int)status).ToString(CultureInfo.InvariantCulture), error.Element("code")!.Value);
        Assert.Contains(expected, error.Element("description")!.Value, StringComparison.Ordinal);
    }
}
