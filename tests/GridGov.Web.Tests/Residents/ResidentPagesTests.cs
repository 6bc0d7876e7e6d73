using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GridGov.Application.Residents;
using GridGov.Domain.Cases;
using GridGov.TestSupport;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Report;
using GridGov.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Residents;

/// <summary>
/// The residents' pages over real HTTP: the confirmed phone is needed and is the only key (another phone learns nothing),
/// and a corpus of bad inputs for every new input (phone, code, case number, category, point, description, photos,
/// address, name, rating, comment): never a 500, a Chinese message, nothing written.
/// </summary>
public sealed partial class ResidentPagesTests(ResidentFixture app, ITestOutputHelper output) : IClassFixture<ResidentFixture>
{
    private async Task<string> ReportAsync(string phone, string description = "楼下绿地里有建筑垃圾")
    {
        var (x, y) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var category = await InboxCases.CategoryIdAsync(app, InboxCases.ExposedRubbish);
        var outcome = await app.WithAsync(p => p.GetRequiredService<ResidentReports>().SubmitAsync(phone,
            new ResidentReportRequest(category, description, x, y, null, null, [InboxCases.Photo()], Guid.NewGuid()), "10.9.0.1"));
        return outcome.CaseNumber!;
    }

    [Theory]
    [InlineData("/r/report")]
    [InlineData("/r/cases")]
    [InlineData("/r/points")]
    public async Task Without_a_confirmed_phone_a_resident_page_sends_to_the_code_and_back(string path)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(app.BaseAddress, response.Headers.Location!);
        Assert.Equal($"/r?next={Uri.EscapeDataString(path)}", location.PathAndQuery);
        var home = await client.GetStringAsync(location);
        Assert.Contains("data-testid=\"resident-request-form\"", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_phone_learns_nothing_of_a_case_not_even_that_it_exists()
    {
        var number = await ReportAsync("13600002001", "只有上报人能看到的描述");
        using var owner = app.ResidentClient("13600002001");
        using var stranger = app.ResidentClient("13600002002");

        var own = await owner.GetStringAsync($"/r/cases?number={number}");
        var theirs = await stranger.GetStringAsync($"/r/cases?number={number}");
        var unknown = await stranger.GetStringAsync("/r/cases?number=20990101000001");

        Assert.Contains("只有上报人能看到的描述", own, StringComparison.Ordinal);
        Assert.DoesNotContain("只有上报人能看到的描述", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain(number + "</strong>", theirs, StringComparison.Ordinal);
        Assert.Equal(NotFound(unknown), NotFound(theirs));
        Assert.Contains("没有找到该手机号上报的这个案件", NotFound(theirs), StringComparison.Ordinal);
        // The report's own photo is no result photo: not even its reporter gets it here; a stranger never.
        var sha = await Db(db => (db.Cases.Where(c => c.Number == number).SelectMany(c => c.Evidence).Select(e => e.Sha256).Single()));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/r/photos/{number}/{sha}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/r/photos/{number}/{sha}")).StatusCode);
    }

    private Task<T> Db<T>(Func<GridGov.Infrastructure.Persistence.GridGovDbContext, T> read) =>
        app.WithAsync(p => Task.FromResult(read(p.GetRequiredService<GridGov.Infrastructure.Persistence.GridGovDbContext>())));

    private static string NotFound(string html) =>
        NotFoundAlert().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(Tags().Replace(match.Groups[1].Value, " ")).Trim() : "";

    // ---- The corpus ----

    private sealed record BadInput(string Name, string Path, string? Form, IReadOnlyList<KeyValuePair<string, string>>? Fields = null,
        IReadOnlyList<(string FileName, byte[] Bytes)>? Files = null, string? Phone = null, string? Expect = null);

    private static string Long(int length) => new('长', length);

    [Fact]
    public async Task Every_bad_resident_input_gets_a_chinese_message_writes_nothing_and_never_a_500()
    {
        const string phone = "13600003001";
        var verified = await VerifiedCaseAsync(phone);
        var (x, y) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var category = (await InboxCases.CategoryIdAsync(app, InboxCases.ExposedRubbish)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lng = x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var lat = y.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var report = new Dictionary<string, string>
        {
            ["Input.SubmissionId"] = "", ["Input.CategoryId"] = category, ["Input.Longitude"] = lng, ["Input.Latitude"] = lat,
            ["Input.Address"] = "", ["Input.Description"] = "路灯不亮", ["Input.Name"] = "",
        };
        List<KeyValuePair<string, string>> Report(params (string Key, string Value)[] changes)
        {
            var fields = new Dictionary<string, string>(report);
            foreach (var (key, value) in changes)
            {
                fields[key] = value;
            }
            return fields.ToList();
        }
        var png = TestImages.Png(4, 3);
        var corpus = new List<BadInput>();

        // The phone that asks for a code.
        foreach (var bad in new[] { "", "123", "1381234567a", "+86 13812345678 ext", "2381234567", "138123456789", "0512-65223344", Long(30), "<script>alert('gg')</script>" })
        {
            corpus.Add(new($"code request: phone '{bad}'", "/r", "resident-code-request", [new("Request.Phone", bad)], Expect: bad.StartsWith('0') ? "手机号码" : "手机号码"));
        }
        // The code typed against a phone that asked for none: refused before anything is counted.
        foreach (var bad in new[] { "", "abc", "12345", "1234567", "999999" })
        {
            corpus.Add(new($"code confirm: code '{bad}'", "/r", "resident-code-confirm", [new("Confirm.Phone", "13600003999"), new("Confirm.Code", bad)], Expect: "验证码"));
        }
        corpus.Add(new("code confirm: bad phone", "/r", "resident-code-confirm", [new("Confirm.Phone", "abc"), new("Confirm.Code", "123456")], Expect: "手机号码"));
        // The report.
        foreach (var bad in new[] { "", "abc", "-1", "99999999" })
        {
            corpus.Add(new($"report: category '{bad}'", "/r/report", "resident-report", Report(("Input.CategoryId", bad)), Phone: phone, Expect: bad is "" or "abc" or "-1" ? "问题类型" : "类别"));
        }
        foreach (var (badLng, badLat) in new[] { ("116.397", "39.908"), ("200", "100"), ("abc", "31.3"), ("NaN", "Infinity"), ("0", "0"), ("", "") })
        {
            corpus.Add(new($"report: point ({badLng}, {badLat})", "/r/report", "resident-report", Report(("Input.Longitude", badLng), ("Input.Latitude", badLat)), Phone: phone));
        }
        corpus.Add(new("report: description empty", "/r/report", "resident-report", Report(("Input.Description", "")), Phone: phone, Expect: "问题描述"));
        corpus.Add(new("report: description blank", "/r/report", "resident-report", Report(("Input.Description", "   ")), Phone: phone, Expect: "问题描述"));
        corpus.Add(new("report: description too long", "/r/report", "resident-report", Report(("Input.Description", Long(Case.DescriptionMaxLength + 1))), Phone: phone, Expect: "问题描述"));
        corpus.Add(new("report: address too long", "/r/report", "resident-report", Report(("Input.Address", Long(Case.AddressMaxLength + 1))), Phone: phone, Expect: "地址"));
        corpus.Add(new("report: name too long", "/r/report", "resident-report", Report(("Input.Name", Long(Case.NameMaxLength + 1))), Phone: phone, Expect: "上报人"));
        corpus.Add(new("report: a text file as a photo", "/r/report", "resident-report", Report(), [("photo.png", Encoding.UTF8.GetBytes("not an image"))], Phone: phone, Expect: "不是JPEG"));
        corpus.Add(new("report: an empty photo", "/r/report", "resident-report", Report(), [("empty.jpg", [])], Phone: phone, Expect: "空文件"));
        corpus.Add(new("report: ten photos", "/r/report", "resident-report", Report(), Enumerable.Range(0, 10).Select(i => ($"p{i}.png", png)).ToList(), Phone: phone, Expect: "9张"));
        foreach (var (label, character) in new[] { ("NUL", "\0"), ("ESC", "\u001b") })
        {
            corpus.Add(new($"report: {label} in the description", "/r/report", "resident-report", Report(("Input.Description", $"路灯{character}不亮")), Phone: phone, Expect: "控制字符"));
            corpus.Add(new($"code request: {label} in the phone", "/r", "resident-code-request", [new("Request.Phone", $"1360000{character}3001")], Expect: "控制字符"));
            corpus.Add(new($"rating: {label} in the comment", "/r/cases", "resident-rate", [new("Rating.Number", verified), new("Rating.Level", "Satisfied"), new("Rating.Comment", $"好{character}")], Phone: phone, Expect: "控制字符"));
        }
        // The rating of a verified case.
        foreach (var bad in new[] { "", "Bogus", "999", "-1", "'; DROP TABLE cases;--" })
        {
            corpus.Add(new($"rating: level '{bad}'", "/r/cases", "resident-rate", [new("Rating.Number", verified), new("Rating.Level", bad), new("Rating.Comment", "")], Phone: phone, Expect: "满意"));
        }
        corpus.Add(new("rating: comment too long", "/r/cases", "resident-rate", [new("Rating.Number", verified), new("Rating.Level", "Satisfied"), new("Rating.Comment", Long(1000))], Phone: phone, Expect: "评价意见"));
        // The look-up's case number (a GET): the one "not found" answer.
        foreach (var bad in new[] { "abc", "-1", Long(40), "20261201%00", "<script>alert('gg')</script>", "99999999999999999999" })
        {
            corpus.Add(new($"look-up: number '{Cut(bad)}'", $"/r/cases?number={(bad.Contains('%') ? bad : Uri.EscapeDataString(bad))}", null, Phone: phone));
        }

        var failures = new List<string>();
        var tokens = new Dictionary<string, (HttpClient Client, string Token)>();
        foreach (var input in corpus)
        {
            var before = await FingerprintAsync();
            var (status, body) = await SendAsync(input, tokens);
            var after = await FingerprintAsync();
            var problems = new List<string>();
            if (status >= 500)
            {
                problems.Add("server error");
            }
            var changed = before.Where(p => !after.TryGetValue(p.Key, out var value) || value != p.Value).Select(p => p.Key).ToList();
            if (changed.Count > 0)
            {
                problems.Add("wrote: " + string.Join(", ", changed));
            }
            if (body.Contains("<script>alert('gg')", StringComparison.Ordinal))
            {
                problems.Add("script came back unescaped");
            }
            var message = MessageIn(status, body);
            if (message is null)
            {
                problems.Add("no Chinese message");
            }
            else if (input.Expect is { } expected && !message.Contains(expected, StringComparison.Ordinal))
            {
                problems.Add($"message does not say '{expected}': {Cut(message)}");
            }
            output.WriteLine($"{status} {input.Name} → {Cut(message ?? "")}");
            if (problems.Count > 0)
            {
                failures.Add($"{input.Name} ({status}): {string.Join("; ", problems)}");
            }
        }
        foreach (var (client, _) in tokens.Values)
        {
            client.Dispose();
        }
        Console.WriteLine($"[bad-input-corpus] residents: {corpus.Count} inputs tried, {failures.Count} failures");
        Assert.True(corpus.Count >= 50, $"only {corpus.Count} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The case was neither rated nor reopened by any of them.
        Assert.Equal(CaseState.Verified, await Db(db => (db.Cases.Where(c => c.Number == verified).Select(c => c.State).Single())));
    }

    /// <summary>A case of the phone, reported, registered, dispatched, handled, fed back and verified: ready to be rated.</summary>
    private async Task<string> VerifiedCaseAsync(string phone)
    {
        var number = await ReportAsync(phone);
        var id = await Db(db => (db.Cases.Where(c => c.Number == number).Select(c => c.Id).Single()));
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        await app.DoAsync(s => s.RegisterAsync(id, dispatcher, null, null));
        await app.DoAsync(s => s.DispatchAsync(id, dispatcher, handler.DepartmentId!.Value));
        await app.DoAsync(s => s.AcceptAsync(id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(id, handler, "已清理", [InboxCases.Photo()]));
        await app.DoAsync(async s => await s.VerifyAsync(id, await app.ActorAsync("leader1")));
        return number;
    }

    private async Task<(int Status, string Body)> SendAsync(BadInput input, Dictionary<string, (HttpClient Client, string Token)> clients)
    {
        var key = input.Phone ?? "";
        if (!clients.TryGetValue(key, out var entry))
        {
            var client = input.Phone is { } phone ? app.ResidentClient(phone) : app.CreateClient();
            var token = SecurityHttp.AntiforgeryToken(await client.GetStringAsync("/r")) ?? throw new InvalidOperationException("no antiforgery token on /r");
            entry = clients[key] = (client, token);
        }
        HttpResponseMessage response;
        if (input.Form is null)
        {
            response = await entry.Client.GetAsync(input.Path);
        }
        else
        {
            var fields = (input.Fields ?? []).Select(f => f.Key == "Input.SubmissionId" ? new(f.Key, Guid.NewGuid().ToString()) : f).ToList();
            fields.Add(new("__RequestVerificationToken", entry.Token));
            fields.Add(new("_handler", input.Form));
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in fields)
            {
                multipart.Add(new StringContent(value), name);
            }
            foreach (var (fileName, bytes) in input.Files ?? [])
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
                multipart.Add(file, "photos", fileName);
            }
            response = await entry.Client.PostAsync(input.Path, multipart);
        }
        using (response)
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<Dictionary<string, TableFingerprint>> FingerprintAsync()
    {
        // Left out: the outbox and the audit log are written by background work and sign-in attempts by design.
        var all = await DatabaseFingerprint.TakeAsync(app.ConnectionString);
        return all.Where(p => p.Key is not ("notifications" or "audit_entries" or "staff_sessions")).ToDictionary(p => p.Key, p => p.Value);
    }

    private static string? MessageIn(int status, string body)
    {
        var messages = FieldError().Matches(body).Concat(Alert().Matches(body))
            .Select(m => WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value, " ")).Trim())
            .Where(text => Chinese().IsMatch(text)).Distinct().ToList();
        if (messages.Count > 0)
        {
            return string.Join(" | ", messages);
        }
        return status is >= 400 and < 500 && Chinese().IsMatch(body) ? Regex.Replace(WebUtility.HtmlDecode(Tags().Replace(body, " ")), "\\s+", " ").Trim() : null;
    }

    private static string Cut(string text) => text.Length > 60 ? text[..60] + "…" : text;

    [GeneratedRegex("class=\"gg-resident-field-error\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex FieldError();

    // A MudAlert: the text sits in its message element, after the icon.
    [GeneratedRegex("data-testid=\"resident-(?:error|not-found)\".*?class=\"mud-alert-message\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Alert();

    [GeneratedRegex("data-testid=\"resident-not-found\".*?class=\"mud-alert-message\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex NotFoundAlert();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("[\\u4e00-\\u9fff]")]
    private static partial Regex Chinese();
}
