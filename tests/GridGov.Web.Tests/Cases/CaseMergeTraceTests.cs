using System.Net;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Cases;

/// <summary>Merge keeps its trace: the surviving case's page lists the merged reports with reporter, text and photos.</summary>
public sealed class CaseMergeTraceTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    [Fact]
    public async Task The_handler_sees_the_merged_report_with_its_reporter_text_and_photo_and_another_department_gets_404_for_the_photo()
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var categoryId = await app.CategoryIdAsync(InboxCases.ExposedRubbish);
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var original = await app.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路口有垃圾堆", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", [InboxCases.Photo()]), CaseActor.Public("李明")));
        var duplicate = await app.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路口垃圾三天没人清，味道很大", longitude, latitude,
            "云帆街道某路口东侧", CaseSource.Resident, CasePriority.Normal, "王芳", "13700002222", [InboxCases.Photo()]), CaseActor.Public("王芳")));
        await app.DoAsync(s => s.MergeAsync(duplicate.Id, original.Id, dispatcher));
        await app.DoAsync(s => s.RegisterAsync(original.Id, dispatcher, null, null));
        await app.DoAsync(s => s.DispatchAsync(original.Id, dispatcher, handler.DepartmentId!.Value));
        var duplicatePhoto = $"/evidence/{duplicate.Evidence.Single().Sha256}";
        using var mine = await SignedInAsync("handler1");
        using var theirs = await SignedInAsync(await app.HandlerOfAnotherDepartmentAsync(handler.DepartmentId!.Value));

        var page = await mine.GetStringAsync($"/cases/{original.Number}");
        var photo = await mine.GetAsync(duplicatePhoto);
        var foreign = await theirs.GetAsync(duplicatePhoto);

        Assert.Contains("data-testid=\"merged-reports\"", page);
        Assert.Contains($"data-merged-number=\"{duplicate.Number}\"", page);
        Assert.Contains("data-testid=\"merged-reporter\">王芳<", page);
        Assert.Contains("路口垃圾三天没人清，味道很大", page);
        Assert.Contains($"src=\"{duplicatePhoto}\"", page);
        Assert.DoesNotContain("13700002222", page);
        Assert.DoesNotContain("****2222", page); // nor its masked form
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
