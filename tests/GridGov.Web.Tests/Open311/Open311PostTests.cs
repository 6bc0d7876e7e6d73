using System.Globalization;
using System.Net;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Open311.Open311Client;
using static GridGov.Web.Tests.Open311.Open311ReadTests;

namespace GridGov.Web.Tests.Open311;

/// <summary>
/// POST requests over real HTTP: a service request becomes a case in the grid of its point through the workflow, the same
/// post twice makes one case, its token finds it, and every bad post gets the GeoReport error list and creates nothing.
/// </summary>
public sealed class Open311PostTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Phone = "13800138000";

    private async Task<Dictionary<string, string>> FormAsync(string key, string description)
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        return new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "0501",
            ["lat"] = latitude.ToString("R", CultureInfo.InvariantCulture),
            ["long"] = longitude.ToString("R", CultureInfo.InvariantCulture),
            ["description"] = description,
            ["first_name"] = "小明",
            ["last_name"] = "王",
            ["phone"] = Phone,
            ["email"] = "wang@example.com",
            ["media_url"] = "https://example.com/photo.jpg",
        };
    }

    [Fact]
    public async Task A_post_creates_a_case_in_the_grid_of_its_point_through_the_workflow_and_reads_back_without_personal_data()
    {
        var key = await app.IssueKeyAsync("市民通App-创建");
        var form = await FormAsync(key.Key, "小区门口垃圾堆了三天 " + Guid.NewGuid().ToString("N")[..8]);
        var grid = await app.GridOfAsync("leader1");

        var posted = await app.PostAsync("/requests.json", form);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        var answer = Assert.Single(posted.Json.EnumerateArray());
        Assert.Equal(["service_request_id", "service_notice", "account_id", "token"], Properties(answer));
        var number = answer.GetProperty("service_request_id").GetString()!;
        Assert.StartsWith("处置时限：派遣后", answer.GetProperty("service_notice").GetString(), StringComparison.Ordinal);
        var @case = await app.DbAsync(db => db.Cases.Include(c => c.History).SingleAsync(c => c.Number == number));
        Assert.Equal(grid, @case.GridCode);
        Assert.Equal(CaseState.Reported, @case.State);
        Assert.Equal(CaseSource.Resident, @case.Source);
        Assert.Equal(SubmissionPurpose.Open311Request, @case.SubmissionPurpose);
        Assert.Equal("王小明", @case.ReporterName);
        Assert.Equal(Phone, @case.ReporterPhone);
        Assert.Equal(form["description"], @case.Description);
        Assert.Equal(CaseAction.Report, Assert.Single(@case.History).Action);
        Assert.NotNull(@case.CurrentDue); // the registration clock runs, as for every report

        var token = answer.GetProperty("token").GetString()!;
        var byToken = await app.GetAsync($"/tokens/{token}.json");
        var byTokenXml = await app.GetAsync($"/tokens/{token}.xml");
        Assert.Equal(["service_request_id", "token"], Properties(Assert.Single(byToken.Json.EnumerateArray())));
        Assert.Equal(number, byToken.Json[0].GetProperty("service_request_id").GetString());
        Assert.Equal("service_requests", byTokenXml.Xml.Root!.Name.LocalName);
        Assert.Equal(["service_request_id", "token"], Children(byTokenXml.Xml.Root.Element("request")!));

        foreach (var read in new[] { await app.GetAsync($"/requests/{number}.json"), await app.GetAsync($"/requests/{number}.xml"), byToken })
        {
            Assert.Contains(number, read.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(Phone, read.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("王小明", read.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("wang@example.com", read.Body, StringComparison.Ordinal);
        }
        var read311 = await app.GetAsync($"/requests/{number}.json");
        Assert.Equal("open", read311.Json[0].GetProperty("status").GetString());
        Assert.Equal(form["description"], read311.Json[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_post_in_XML_answers_in_the_specifications_XML()
    {
        var key = await app.IssueKeyAsync("市民通App-XML");
        var form = await FormAsync(key.Key, "路灯不亮 " + Guid.NewGuid().ToString("N")[..8]);
        form["service_code"] = "0101";
        form["attribute[component_code]"] = "3205080101000001";

        var posted = await app.PostAsync("/requests.xml", form);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal("text/xml; charset=utf-8", posted.ContentType);
        var request = Assert.Single(posted.Xml.Root!.Elements());
        Assert.Equal("service_requests", posted.Xml.Root.Name.LocalName);
        Assert.Equal("request", request.Name.LocalName);
        Assert.Equal(["service_request_id", "service_notice", "account_id", "token"], Children(request));
        var number = request.Element("service_request_id")!.Value;
        var description = await app.DbAsync(db => db.Cases.Where(c => c.Number == number).Select(c => c.Description).SingleAsync());
        Assert.EndsWith("（部件编码：3205080101000001）", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_post_twice_makes_one_case_and_answers_with_it_both_times()
    {
        var key = await app.IssueKeyAsync("市民通App-重发");
        var form = await FormAsync(key.Key, "重复提交测试 " + Guid.NewGuid().ToString("N")[..8]);

        var first = await app.PostAsync("/requests.json", form);
        var before = await app.CasesAsync();
        var again = await app.PostAsync("/requests.json", form);
        var after = await app.CasesAsync();
        var xml = await app.PostAsync("/requests.xml", form);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        var number = first.Json[0].GetProperty("service_request_id").GetString();
        Assert.Equal(number, again.Json[0].GetProperty("service_request_id").GetString());
        Assert.Equal(number, xml.Xml.Root!.Element("request")!.Element("service_request_id")!.Value);
        Assert.Equal(before, after);
        Assert.Equal(1, await app.DbAsync(db => db.Cases.CountAsync(c => c.Description == form["description"])));

        // Another description is another request.
        form["description"] += "（补充）";
        var other = await app.PostAsync("/requests.json", form);
        Assert.NotEqual(number, other.Json[0].GetProperty("service_request_id").GetString());
    }

    [Fact]
    public async Task Bad_posts_get_the_error_list_and_create_nothing()
    {
        var key = await app.IssueKeyAsync("市民通App-坏输入");
        var revoked = await app.IssueKeyAsync("已吊销的接入方");
        await app.RevokeKeyAsync(revoked.Id);
        var good = await FormAsync(key.Key, "坏输入测试");
        Dictionary<string, string> With(params (string Key, string? Value)[] changes)
        {
            var form = new Dictionary<string, string>(good);
            foreach (var (name, value) in changes)
            {
                if (value is null)
                {
                    form.Remove(name);
                }
                else
                {
                    form[name] = value;
                }
            }
            return form;
        }
        var cases = new (string Name, Dictionary<string, string> Form, HttpStatusCode Status, string Expected)[]
        {
            ("missing api_key", With(("api_key", null)), HttpStatusCode.Forbidden, "缺少api_key"),
            ("unknown api_key", With(("api_key", "gg311_" + new string('x', 43))), HttpStatusCode.Forbidden, "api_key无效"),
            ("over-long api_key", With(("api_key", new string('k', 5000))), HttpStatusCode.Forbidden, "api_key无效"),
            ("revoked api_key", With(("api_key", revoked.Key)), HttpStatusCode.Forbidden, "已被吊销"),
            ("unknown service_code", With(("service_code", "9999")), HttpStatusCode.BadRequest, "service_code无效"),
            ("service about persons", With(("service_code", "1001")), HttpStatusCode.BadRequest, "service_code无效"),
            ("missing service_code", With(("service_code", null)), HttpStatusCode.BadRequest, "缺少service_code"),
            ("lat not a number", With(("lat", "abc")), HttpStatusCode.BadRequest, "lat或long无效"),
            ("lat out of range", With(("lat", "200")), HttpStatusCode.BadRequest, "lat或long无效"),
            ("long NaN", With(("long", "NaN")), HttpStatusCode.BadRequest, "lat或long无效"),
            ("no point, only an address", With(("lat", null), ("long", null), ("address_string", "云帆街道某路口")), HttpStatusCode.BadRequest, "缺少位置"),
            ("point outside the street", With(("lat", "39.908"), ("long", "116.397")), HttpStatusCode.BadRequest, "不在本街道范围内"),
            ("description too long", With(("description", new string('长', Case.DescriptionMaxLength + 1))), HttpStatusCode.BadRequest, "问题描述不能超过2000个字"),
            ("bad phone", With(("phone", "12345")), HttpStatusCode.BadRequest, "联系电话格式不正确"),
            ("name too long", With(("last_name", new string('王', 40))), HttpStatusCode.BadRequest, "上报人不能超过30个字"),
            ("bad email", With(("email", "not an email")), HttpStatusCode.BadRequest, "email格式不正确"),
            ("bad media_url", With(("media_url", "javascript:alert(1)")), HttpStatusCode.BadRequest, "media_url"),
            ("bad component code", With(("service_code", "0101"), ("attribute[component_code]", "12")), HttpStatusCode.BadRequest, "component_code"),
            ("address too long", With(("address_string", new string('路', 201))), HttpStatusCode.BadRequest, "地址不能超过200个字"),
            ("unknown jurisdiction", With(("jurisdiction_id", "000000000")), HttpStatusCode.NotFound, "jurisdiction_id不存在"),
            ("NUL in the description", With(("description", "垃圾\0堆放")), HttpStatusCode.BadRequest, "控制字符"),
        };
        var before = await app.CasesAsync();
        foreach (var (name, form, status, expected) in cases)
        {
            var json = await app.PostAsync("/requests.json", form);
            var xml = await app.PostAsync("/requests.xml", form);
            try
            {
                AssertError(json, status, expected);
                AssertXmlError(xml, status, expected);
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{name}: {exception.Message}\n{json.Body}");
            }
        }
        Assert.Equal(before, await app.CasesAsync());

        AssertError(await app.PostAsync("/requests.json", With(("api_key", null)), "en"), HttpStatusCode.Forbidden, "api_key is missing");
        using var client = app.CreateClient();
        using var notForm = await client.PostAsync(Root + "/requests.json", new StringContent("{\"service_code\":\"0501\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
        Assert.Contains("application/x-www-form-urlencoded", await notForm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CasesAsync());
    }
}
