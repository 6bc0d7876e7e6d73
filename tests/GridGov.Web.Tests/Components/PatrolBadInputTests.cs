using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using Bunit;
using GridGov.Application.Cases;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The patrol form's share of the bad-input corpus (formerly multipart posts in Security/BadInputCorpusTests), now that the
/// page is interactive: what a person can type or pick goes through the page (bUnit) — times, notes, track files, a
/// GeoJSON that is no line, control characters — and what only a forged circuit message could carry (a grid the
/// person does not serve, one that does not exist) through the PatrolService the page calls. Each: a Chinese message,
/// nothing written, never an unexpected exception.
/// </summary>
public sealed class PatrolBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";
    private static readonly (string Label, string Character)[] ControlCharacters = [("NUL", "\0"), ("ESC", "\u001b")];

    private static readonly byte[] Jpeg = Convert.FromBase64String("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==");

    private static string Long(int length) => new('长', length);


    /// <summary>Rows and the newest row version of what recording a patrol writes.</summary>
    private Task<string> FingerprintAsync() => app.DbAsync(async db =>
        $"{await db.Patrols.CountAsync()}/{await db.Cases.CountAsync()}/{await db.CaseHistory.CountAsync()}/{await db.Notifications.CountAsync()}");

    private async Task<CaseActor> WorkerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId!.Value).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    }

    [Fact]
    public async Task Bad_input_on_the_patrol_form_is_refused_in_chinese_next_to_its_field_and_writes_nothing()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var point = grid.Boundary.InteriorPoint;
        var (lng, lat) = (point.X.ToString("0.0000000", CultureInfo.InvariantCulture), point.Y.ToString("0.0000000", CultureInfo.InvariantCulture));
        var now = DateTimeOffset.UtcNow;
        var failures = new List<string>();
        var tried = 0;

        // One input on a fresh form that is valid otherwise (times an hour ago, a short line in the grid unless a file replaces it).
        async Task TryAsync(string name, string field, string? expect, Action<PatrolFormDriver> spoil, bool draw = true)
        {
            tried++;
            await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
            var form = PatrolFormDriver.Open(harness);
            form.Times(now.AddHours(-2), now.AddHours(-1));
            if (draw)
            {
                await form.TapAsync(point.X, point.Y);
                await form.TapAsync(point.X + 0.0002, point.Y);
            }
            var before = await FingerprintAsync();
            string? message = null;
            try
            {
                spoil(form);
                // A file refused when picked says so at once; anything else is refused on submit.
                if (form.Page.FindAll($"[data-error-for={field}]").Count == 0)
                {
                    form.Submit();
                }
                form.Page.WaitForAssertion(() => Assert.NotNull(MessageFor(form, field)), TimeSpan.FromSeconds(10));
                message = MessageFor(form, field);
            }
            catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{name}: no message for {field} (at {harness.Navigation.Uri}) {form.Page.FindAll("[data-testid=patrol-errors]").FirstOrDefault()?.TextContent}");
            }
            if (message is not null && !ComponentHarness.IsChinese(message))
            {
                failures.Add($"{name}: not Chinese ({message})");
            }
            if (message is not null && expect is not null && !message.Contains(expect, StringComparison.Ordinal))
            {
                failures.Add($"{name}: message does not say '{expect}' ({message})");
            }
            if (form.Page.Markup.Contains(Script, StringComparison.Ordinal))
            {
                failures.Add($"{name}: script unescaped");
            }
            if (before != await FingerprintAsync())
            {
                failures.Add($"{name}: wrote");
            }
            output.WriteLine($"{name} → {message}");
        }

        string Minutes(DateTimeOffset moment) => Local(moment);

        await TryAsync("start abc", "Times", "时间", form => form.Page.Find("input#patrol-start").Change("abc"));
        await TryAsync("end before start", "Times", null, form => form.Page.Find("input#patrol-end").Change(Minutes(now.AddHours(-3))));
        await TryAsync("in the future", "Times", "晚于当前时间", form =>
        {
            form.Page.Find("input#patrol-start").Change(Minutes(now.AddDays(2)));
            form.Page.Find("input#patrol-end").Change(Minutes(now.AddDays(3)));
        });
        await TryAsync("notes over-long", "Notes", "巡查记录", form => form.Notes(Long(5000)));
        await TryAsync("no track at all", "Track", "轨迹", _ => { }, draw: false);
        foreach (var (name, geoJson) in new[]
                 {
                     ("GeoJSON that is not JSON", "{not json"),
                     ("GeoJSON of a point", $"{{\"type\":\"Point\",\"coordinates\":[{lng},{lat}]}}"),
                     ("GeoJSON of one position", $"{{\"type\":\"LineString\",\"coordinates\":[[{lng},{lat}]]}}"),
                     ("GeoJSON outside the street", "{\"type\":\"LineString\",\"coordinates\":[[116.39,39.90],[116.40,39.91]]}"),
                     ("GeoJSON with coordinates out of range", "{\"type\":\"LineString\",\"coordinates\":[[500,100],[600,-100]]}"),
                     ("GeoJSON with text coordinates", "{\"type\":\"LineString\",\"coordinates\":[[\"a\",\"b\"],[\"c\",\"d\"]]}"),
                     ("GeoJSON of an unknown type", "{\"type\":\"Bogus\",\"coordinates\":[]}"),
                     ("GeoJSON with a script", "{\"type\":\"" + Script + "\"}"),
                 })
        {
            await TryAsync(name, "Track", null, form => form.PickFile("track.geojson", geoJson), draw: false);
        }
        foreach (var (name, file, bytes) in new[]
                 {
                     ("GPX that is not XML", "track.gpx", Encoding.UTF8.GetBytes("not xml at all")),
                     ("GPX without track points", "track.gpx", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>")),
                     ("GPX with bad coordinates", "track.gpx", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><gpx version=\"1.1\"><trk><trkseg><trkpt lat=\"abc\" lon=\"999\"/><trkpt lat=\"1\" lon=\"2\"/></trkseg></trk></gpx>")),
                     ("GPX with an external entity", "track.gpx", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><gpx><trk><trkseg><trkpt lat=\"31\" lon=\"120\"><name>&x;</name></trkpt></trkseg></trk></gpx>")),
                     ("a JPEG named .gpx", "track.gpx", Jpeg),
                     ("a file of an unknown type", "track.exe", Encoding.UTF8.GetBytes("MZ")),
                     ("an empty file", "track.geojson", Array.Empty<byte>()),
                     ("a track file over 5 MB", "track.gpx", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><gpx>" + new string(' ', 6 * 1024 * 1024) + "</gpx>")),
                 })
        {
            await TryAsync(name, "Track", null, form => form.PickFile(file, bytes), draw: false);
        }
        foreach (var (label, control) in ControlCharacters)
        {
            await TryAsync($"control character {label} in the start", "Times", "控制字符", form => form.Page.Find("input#patrol-start").Change(Minutes(now.AddHours(-2)) + control + "x"));
            await TryAsync($"control character {label} in the end", "Times", "控制字符", form => form.Page.Find("input#patrol-end").Change(Minutes(now.AddHours(-1)) + control + "x"));
            await TryAsync($"control character {label} in the notes", "Notes", "控制字符", form => form.Notes("巡查正常" + control + "x"));
            await TryAsync($"control character {label} in a track file", "Track", null,
                form => form.PickFile("track.geojson", $"{{\"type\":\"LineString{control}x\",\"coordinates\":[[{lng},{lat}],[{lng},{lat}]]}}"), draw: false);
            await TryAsync($"control character {label} in a problem", "Problems", "控制字符", form => form.Page.Find("#problem-0-description").Change("井盖缺失" + control + "x"));
        }
        output.WriteLine($"Patrol page bad inputs: {tried}; failures: {failures.Count}");
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_input_on_the_patrol_form_is_refused_in_chinese_next_to_its_field_and_writes_nothing)}: {tried} inputs tried, {failures.Count} failures");

        Assert.True(tried >= 31, $"only {tried} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_grid_the_form_never_offers_sent_through_the_patrol_service_is_refused_in_chinese_and_writes_nothing()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var worker = await WorkerAsync();
        var otherGrid = await app.DbAsync(db => db.Grids.Where(g => g.ValidTo == null && g.Code != grid.GridCode).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync());
        var track = TrackParser.ParseGeoJson(GeoJson(Lawnmower(grid.Boundary)));
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var failures = new List<string>();
        var tried = 0;
        foreach (var (name, gridCode, expect) in new[]
                 {
                     ("another grid", otherGrid, "不负责网格"), ("grid that does not exist", "BOGUS", "不负责网格"),
                     ("control character NUL in the grid", grid.GridCode + "\0x", "不负责网格"), ("control character ESC in the grid", grid.GridCode + "\u001bx", "不负责网格"),
                 })
        {
            tried++;
            var before = await FingerprintAsync();
            string? message = null;
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PatrolService>()
                    .RecordAsync(worker, new PatrolRecording(gridCode, start, start.AddHours(1), track, "巡查正常", []));
                failures.Add($"{name}: accepted");
            }
            catch (DomainException exception)
            {
                message = exception.Message;
            }
#pragma warning disable CA1031 // every other exception is what this test looks for
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures.Add($"{name}: {exception.GetType().Name} {exception.Message}");
            }
            if (!ComponentHarness.IsChinese(message) || message?.Contains(expect, StringComparison.Ordinal) != true)
            {
                failures.Add($"{name}: message does not say '{expect}' ({message})");
            }
            if (before != await FingerprintAsync())
            {
                failures.Add($"{name}: wrote");
            }
            output.WriteLine($"{name} → {message}");
        }
        Console.WriteLine($"[bad-input-corpus] {nameof(A_grid_the_form_never_offers_sent_through_the_patrol_service_is_refused_in_chinese_and_writes_nothing)}: {tried} inputs tried, {failures.Count} failures");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The message under a field of the form: a MudBlazor helper text for the inputs, a data-error-for line for the rest.</summary>
    private static string? MessageFor(PatrolFormDriver form, string field) => field switch
    {
        "Notes" => form.Page.Find("#patrol-notes").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text
            ? text : null,
        _ => form.Page.ErrorFor(field),
    };
}
