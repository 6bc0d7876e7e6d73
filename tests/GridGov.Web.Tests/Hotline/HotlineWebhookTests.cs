using System.Globalization;
using System.Net;
using System.Text;
using GridGov.Domain.Cases;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Hotline;

/// <summary>The 12345 webhook over real HTTP: signatures, replays, conflicts, categories, addresses and bad bodies.</summary>
[Collection(HotlineCollection.Name)]
public sealed class HotlineWebhookTests(HotlineFixture app)
{
    private async Task<Dictionary<string, object?>> OrderAsync(string? orderNumber = null, string category = "0501")
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        return new Dictionary<string, object?>
        {
            ["order_no"] = orderNumber ?? HotlineFixture.NewOrderNumber(),
            ["category_code"] = category,
            ["appeal_type"] = "投诉",
            ["title"] = "路边垃圾",
            ["content"] = "小区门口垃圾堆了三天无人清运",
            ["address"] = "云帆街道某小区门口",
            ["lng"] = longitude,
            ["lat"] = latitude,
            ["caller_name"] = "王女士",
            ["caller_phone"] = "13900139000",
            ["deadline"] = DateTimeOffset.UtcNow.AddDays(2).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        };
    }

    private Task<int> CasesAsync() => app.DbAsync(db => db.Cases.CountAsync());

    [Fact]
    public async Task A_signed_order_becomes_a_case_201_a_repeat_answers_200_with_the_same_number_and_another_body_409()
    {
        var order = await OrderAsync();
        var body = HotlineFixture.Json(order);

        var first = await app.PostOrderAsync(body);
        var casesAfterFirst = await CasesAsync();
        var repeat = await app.PostOrderAsync(body);
        order["content"] = "改过的内容";
        var conflict = await app.PostOrderAsync(HotlineFixture.Json(order));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        var number = first.Json.GetProperty("case_number").GetString()!;
        Assert.True(first.Json.GetProperty("created").GetBoolean());
        Assert.Equal((HttpStatusCode.OK, number, false), (repeat.Status, repeat.Json.GetProperty("case_number").GetString(), repeat.Json.GetProperty("created").GetBoolean()));
        Assert.Equal((HttpStatusCode.Conflict, "hotline.order-conflict"), (conflict.Status, conflict.Json.GetProperty("code").GetString()));
        Assert.Contains(number, conflict.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(casesAfterFirst, await CasesAsync());
        var @case = await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == number));
        Assert.Equal((CaseSource.Hotline, (string)order["order_no"]!, "王女士"), (@case.Source, @case.HotlineOrderNumber, @case.ReporterName));
        Assert.NotNull(@case.HotlineDue);
    }

    [Fact]
    public async Task A_missing_wrong_or_stale_signature_is_refused_401_in_Chinese_and_nothing_is_written()
    {
        var body = HotlineFixture.Json(await OrderAsync());
        var before = await CasesAsync();

        var unsigned = await app.PostOrderAsync(body, secret: null);
        var wrongSecret = await app.PostOrderAsync(body, secret: "not-the-shared-secret");
        var stale = await app.PostOrderAsync(body, skew: TimeSpan.FromMinutes(-10));
        var garbage = await app.PostOrderAsync(body, signatureOverride: "sha256=zz");
        byte[] tamperedBody = [.. body, (byte)' ']; // one byte more, still the same JSON
        var timestamp = GridGov.Application.Hotline.HotlineSignature.Timestamp(DateTimeOffset.UtcNow);
        var tampered = await app.PostOrderAsync(tamperedBody, signatureOverride: GridGov.Application.Hotline.HotlineSignature.Sign(HotlineFixture.Secret, timestamp, body));

        foreach (var (answer, code) in new[]
                 {
                     (unsigned, "hotline.signature-missing"), (wrongSecret, "hotline.signature-invalid"), (stale, "hotline.timestamp-stale"),
                     (garbage, "hotline.signature-invalid"), (tampered, "hotline.signature-invalid"),
                 })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, code), (answer.Status, answer.Json.TryGetProperty("code", out var given) ? given.GetString() : answer.Json.ToString()));
            Assert.Matches("[\u4e00-\u9fff]", answer.Json.GetProperty("message").GetString());
        }
        Assert.Equal(before, await CasesAsync());
    }

    [Fact]
    public async Task An_unknown_category_reaches_the_dispatcher_in_the_default_class_and_an_unplaceable_or_bad_order_is_refused_writing_nothing()
    {
        var unknown = await app.PostOrderAsync(HotlineFixture.Json(await OrderAsync(category: "SZ-XX-404")));
        Assert.Equal(HttpStatusCode.Created, unknown.Status);
        Assert.False(unknown.Json.GetProperty("category_mapped").GetBoolean());
        var unknownCase = await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == unknown.Json.GetProperty("case_number").GetString()));
        Assert.Equal("1406", await app.DbAsync(db => db.Categories.Where(c => c.Id == unknownCase.CategoryId).Select(c => c.Code).SingleAsync()));

        var before = await CasesAsync();
        var nowhere = await OrderAsync();
        nowhere.Remove("lng");
        nowhere.Remove("lat");
        nowhere["address"] = "不存在的路999号";
        var unplaced = await app.PostOrderAsync(HotlineFixture.Json(nowhere));
        var notJson = await app.PostOrderAsync(Encoding.UTF8.GetBytes("order_no=1&content=x"));
        var tooLarge = await app.PostOrderAsync(Encoding.UTF8.GetBytes("{\"content\":\"" + new string('长', 40_000) + "\"}"));
        var outside = await OrderAsync();
        outside["lng"] = 116.39;
        outside["lat"] = 39.91;
        var elsewhere = await app.PostOrderAsync(HotlineFixture.Json(outside));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "hotline.address-unmatched"), (unplaced.Status, unplaced.Json.GetProperty("code").GetString()));
        Assert.Contains("不存在的路999号", unplaced.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "hotline.body-invalid"), (notJson.Status, notJson.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "hotline.body-too-large"), (tooLarge.Status, tooLarge.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "case.outside-street"), (elsewhere.Status, elsewhere.Json.GetProperty("code").GetString()));
        Assert.Equal(before, await CasesAsync());
        Assert.Equal(0, await app.DbAsync(db => db.HotlineOrders.CountAsync(o => o.OrderNumber == (string)nowhere["order_no"]! || o.OrderNumber == (string)outside["order_no"]!)));
    }
}
