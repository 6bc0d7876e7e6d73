using System.Globalization;
using System.Text;
using Bunit;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using NetTopologySuite.Geometries;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive patrol form (登记巡查) with bUnit on the real application and database, in place of the multipart
/// posts of Patrols/PatrolPageTests: a track read from a file when picked or tapped out on the map, problems pinned
/// on the map and reported as cases, refusals next to their field with what was typed and read kept, nothing written
/// on a refusal, and a replay of the same patrol returning the patrol already stored.
/// </summary>
public sealed class PatrolNewComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<(int Patrols, int Cases)> CountsAsync() => app.DbAsync(async db => (await db.Patrols.CountAsync(), await db.Cases.CountAsync()));

    [Fact]
    public async Task Picking_a_gpx_shows_it_on_the_map_and_submitting_records_the_patrol_and_opens_its_page()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var track = Lawnmower(grid.Boundary);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);

        form.Times(MinutesAgo(200), MinutesAgo(145));
        form.Notes("沿街巡查，商铺门前整洁");
        form.PickFile("round.gpx", Gpx(track));
        form.Page.WaitForAssertion(() => Assert.Equal("file", form.TrackSource));
        Assert.Equal(track.NumPoints.ToString(CultureInfo.InvariantCulture), form.Page.Find("[data-testid=patrol-track-box]").GetAttribute("data-track-points"));
        Assert.Contains("round.gpx", form.Page.Find("[data-testid=patrol-track-status]").TextContent, StringComparison.Ordinal);
        var submission = Guid.Parse(form.Page.Find("[data-testid=patrol-form]").GetAttribute("data-submission")!);
        form.Submit();

        var id = form.WaitForRecorded();
        var patrol = await app.DbAsync(db => db.Patrols.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(submission, patrol.SubmissionId); // the form's own id, made once, went with it
        Assert.Equal(grid.StaffId, patrol.PatrollerStaffId);
        Assert.Equal(track.NumPoints, patrol.Track.NumPoints);
        Assert.Equal("沿街巡查，商铺门前整洁", patrol.Notes);
        Assert.True(patrol.CoverageShare > 0.8, $"coverage {patrol.CoverageShare:P1}");
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "巡查已登记。");
        var map = harness.Context.JSInterop.Invocations.Where(i => i.Identifier == "setTrack").ToList();
        Assert.NotEmpty(map); // the file's line was drawn on the shared map
    }

    [Fact]
    public async Task A_gpx_with_times_needs_no_times_typed_in()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-30).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var track = Lawnmower(grid.Boundary);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);

        form.Page.Find("input#patrol-start").Change("");
        form.Page.Find("input#patrol-end").Change("");
        form.PickFile("timed.gpx", Gpx(track, start));
        form.Page.WaitForAssertion(() => Assert.Equal("file", form.TrackSource));
        form.Submit();

        var id = form.WaitForRecorded();
        var patrol = await app.DbAsync(db => db.Patrols.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(start, patrol.StartedAt);
        Assert.Equal(start.AddMinutes(track.NumPoints - 1), patrol.EndedAt);
    }

    [Fact]
    public async Task A_track_tapped_out_with_a_problem_pinned_records_the_patrol_reports_the_problem_as_the_patrollers_own_and_a_replay_returns_the_same_patrol()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var centre = grid.Boundary.InteriorPoint;
        var category = await app.DbAsync(db => db.Categories.Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);

        form.Times(MinutesAgo(400), MinutesAgo(345));
        await form.DrawAsync(Lawnmower(grid.Boundary));
        Assert.Equal("drawn", form.TrackSource);
        await form.ChooseCategoryAsync(0, category);
        form.Page.Find("#problem-0-description").Change("绿化带内堆放建筑垃圾");
        await form.PinProblemAsync(0, centre.X, centre.Y);
        form.Page.Find("[data-testid=problem-add]").Click(); // an untouched second block is ignored
        form.Submit();

        var id = form.WaitForRecorded();
        var submission = PatrolReports.SubmissionId(id, 0);
        var report = await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.SubmissionId == submission));
        Assert.Equal(CaseSource.GridWorkerPatrol, report.Source);
        Assert.Equal(SubmissionPurpose.PatrolReport, report.SubmissionPurpose);
        Assert.Equal(grid.StaffId, report.ReporterStaffId); // the author-scoped key of issue 11, hole 3
        Assert.Equal("绿化带内堆放建筑垃圾", report.Description);

        // The same form sent again (a double tap, a resend after a reconnect): the patrol already stored, nothing new.
        var before = await CountsAsync();
        harness.Navigation.NavigateTo("/patrols/new");
        form.Submit();
        Assert.Equal(id, form.WaitForRecorded());
        Assert.Equal(before, await CountsAsync());
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "这次巡查已经登记过，未重复登记。");
    }

    [Fact]
    public async Task A_track_far_outside_the_grid_is_refused_under_the_track_the_file_and_the_notes_stay_and_nothing_is_written()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);
        var before = await CountsAsync();

        form.Times(MinutesAgo(500), MinutesAgo(445));
        form.Notes("沿街巡查，商铺门前整洁");
        form.PickFile("elsewhere.gpx", Gpx(Lawnmower(grid.Boundary, east: 0.03)));
        form.Page.WaitForAssertion(() => Assert.Equal("file", form.TrackSource));
        form.Submit();

        form.Page.WaitForAssertion(() => Assert.Contains("轨迹不在该网格内", form.Page.ErrorFor("Track") ?? "", StringComparison.Ordinal));
        Assert.Equal("file", form.TrackSource); // no need to pick the file again
        Assert.Equal("沿街巡查，商铺门前整洁", form.Page.Find("#patrol-notes").GetAttribute("value") ?? form.Page.Find("#patrol-notes").TextContent);
        Assert.NotNull(form.Page.Find("[data-testid=patrol-errors]"));
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("broken.gpx", "<gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"></trkseg>", "轨迹文件无法解析")]
    [InlineData("point.geojson", "{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}", "不是线状轨迹")]
    [InlineData("mercator.geojson", "{\"type\":\"LineString\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"coordinates\":[[13425000,3670000],[13425100,3670100]]}", "坐标系不对")]
    [InlineData("xxe.gpx", "<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"><name>&x;</name></trkpt></trkseg></trk></gpx>", "DOCTYPE")]
    public async Task A_bad_track_file_is_refused_when_picked_with_what_is_wrong_and_nothing_is_written(string fileName, string content, string message)
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);
        var before = await CountsAsync();

        form.PickFile(fileName, content);

        form.Page.WaitForAssertion(() => Assert.Contains(message, form.Page.ErrorFor("Track") ?? "", StringComparison.Ordinal));
        Assert.DoesNotContain("root:", form.Page.Markup, StringComparison.Ordinal);
        Assert.Equal("none", form.TrackSource);
        form.Submit();
        form.Page.WaitForAssertion(() => Assert.NotNull(form.Page.Find("[data-testid=patrol-errors]")));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_single_tap_is_no_line_it_is_refused_and_undo_and_clear_take_points_off_the_map()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var centre = grid.Boundary.InteriorPoint;
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);
        var before = await CountsAsync();

        await form.TapAsync(centre.X, centre.Y);
        form.Submit();

        form.Page.WaitForAssertion(() => Assert.Contains("至少需要两个不同位置的点", form.Page.ErrorFor("Track") ?? "", StringComparison.Ordinal));
        Assert.Equal(before, await CountsAsync());
        await form.TapAsync(centre.X + 0.001, centre.Y);
        form.Page.WaitForAssertion(() => Assert.Equal("2", form.Page.Find("[data-testid=patrol-track-box]").GetAttribute("data-track-points")));
        form.Page.Find("[data-testid=patrol-undo]").Click();
        form.Page.WaitForAssertion(() => Assert.Equal("1", form.Page.Find("[data-testid=patrol-track-box]").GetAttribute("data-track-points")));
        form.Page.Find("[data-testid=patrol-clear]").Click();
        form.Page.WaitForAssertion(() => Assert.Equal("none", form.TrackSource));
    }

    [Fact]
    public async Task Sending_neither_a_file_nor_a_drawing_asks_for_a_track()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);

        form.Submit();

        form.Page.WaitForAssertion(() => Assert.Equal("请上传轨迹文件，或在地图上画出巡查路线", form.Page.ErrorFor("Track")));
    }

    [Fact]
    public async Task A_half_filled_problem_is_refused_what_was_typed_stays_and_nothing_is_written()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var form = PatrolFormDriver.Open(harness);
        var before = await CountsAsync();

        form.Times(MinutesAgo(900), MinutesAgo(845));
        await form.DrawAsync(Lawnmower(grid.Boundary));
        form.Page.Find("#problem-0-description").Change("井盖缺失");
        form.Submit();

        form.Page.WaitForAssertion(() => Assert.Contains("第1个问题不完整", form.Page.ErrorFor("Problems") ?? "", StringComparison.Ordinal));
        Assert.Contains("井盖缺失", form.Page.Find("#problem-0-description").GetAttribute("value") ?? form.Page.Find("#problem-0-description").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_map_opens_on_the_workers_grid_through_the_shared_map_module_and_follows_the_grid_chosen()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var module = harness.Context.JSInterop.SetupModule("./js/map.js");
        module.SetupVoid("mount", _ => true).SetVoidResult();
        module.SetupVoid("setFocus", _ => true).SetVoidResult();
        var form = PatrolFormDriver.Open(harness);

        form.Page.WaitForAssertion(() => module.VerifyInvoke("mount"));
        Assert.Contains(grid.GridCode, form.Page.Find("input#patrol-grid").GetAttribute("value") ?? "", StringComparison.Ordinal);
        await form.Page.InvokeAsync(() => form.Page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(grid.GridCode));
        form.Page.WaitForAssertion(() => module.VerifyInvoke("setFocus"));
    }

    [Fact]
    public async Task A_person_who_serves_no_grid_is_told_so_and_offered_no_submit()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");

        var page = harness.Page<PatrolNew>("/patrols/new");

        page.WaitForElement("[data-testid=patrol-no-grids]");
        Assert.Empty(page.FindAll("[data-testid=patrol-submit]"));
    }

    private static DateTimeOffset MinutesAgo(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes);
}

/// <summary>Drives the interactive patrol form with bUnit as a person would, and as map.js calls the page back.</summary>
internal sealed class PatrolFormDriver
{
    private readonly ComponentHarness _harness;

    private PatrolFormDriver(ComponentHarness harness, IRenderedComponent<PatrolNew> page)
    {
        _harness = harness;
        Page = page;
    }

    public IRenderedComponent<PatrolNew> Page { get; }

    public string? TrackSource => Page.Find("[data-testid=patrol-track-box]").GetAttribute("data-track-source");

    public static PatrolFormDriver Open(ComponentHarness harness)
    {
        var page = harness.Page<PatrolNew>("/patrols/new");
        page.WaitForElement("[data-testid=patrol-form]");
        return new PatrolFormDriver(harness, page);
    }

    /// <summary>China wall-clock times, as the datetime-local inputs give them.</summary>
    public void Times(DateTimeOffset start, DateTimeOffset end)
    {
        Page.Find("input#patrol-start").Change(Local(start));
        Page.Find("input#patrol-end").Change(Local(end));
    }

    public void Notes(string text) => Page.Find("#patrol-notes").Change(text);

    public void PickFile(string name, string content) => PickFile(name, Encoding.UTF8.GetBytes(content));

    /// <summary>Picks a track file and waits until the page has read it: shown on the map, or refused under the track.</summary>
    public void PickFile(string name, byte[] content)
    {
        Page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name, contentType: "application/octet-stream"));
        Page.WaitForAssertion(() => Assert.True(TrackSource == "file" || Page.FindAll("[data-error-for=Track]").Count > 0), TimeSpan.FromSeconds(20));
    }

    /// <summary>What map.js does on a tap in drawing mode.</summary>
    public Task TapAsync(double longitude, double latitude) => Page.InvokeAsync(() => Page.Instance.TrackPointAdded(longitude, latitude));

    public async Task DrawAsync(LineString line)
    {
        foreach (var c in line.Coordinates)
        {
            await TapAsync(Math.Round(c.X, 7), Math.Round(c.Y, 7));
        }
    }

    public Task ChooseCategoryAsync(int problem, int categoryId)
    {
        var select = Page.FindComponents<MudSelect<int?>>()[problem];
        return Page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(categoryId));
    }

    /// <summary>"Pin on the map" for a problem, then the tap map.js reports.</summary>
    public async Task PinProblemAsync(int problem, double longitude, double latitude)
    {
        Page.FindAll("[data-testid=problem-pick]")[problem].Click();
        await Page.InvokeAsync(() => Page.Instance.PointPicked(longitude, latitude));
        Page.WaitForAssertion(() => Assert.NotNull(Page.FindAll("[data-testid=problem-point]")[problem].GetAttribute("data-longitude")));
    }

    /// <summary>Clicks the submit button once it is enabled (found again each try: the page re-renders while it works).</summary>
    public void Submit() => Page.WaitForAssertion(() =>
    {
        var button = Page.Find("button[data-testid=patrol-submit]");
        Assert.False(button.HasAttribute("disabled"));
        button.Click();
    });

    /// <summary>Waits for the page to open the recorded patrol, and gives its id.</summary>
    public long WaitForRecorded()
    {
        Page.WaitForAssertion(() => Assert.Matches("/patrols/[0-9]+\\?recorded=true$", _harness.Navigation.Uri), TimeSpan.FromSeconds(20));
        var path = new Uri(_harness.Navigation.Uri).AbsolutePath;
        return long.Parse(path["/patrols/".Length..], CultureInfo.InvariantCulture);
    }
}
