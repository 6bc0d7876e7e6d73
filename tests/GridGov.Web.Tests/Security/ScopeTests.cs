using System.Globalization;
using System.Net;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Security.Who;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// Scope over real HTTP: people asking for rows outside their grids, community or department get 404
/// (or 403) and none of the row's data, and their posts against such rows change nothing.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class ScopeTests(SecurityFixture app)
{
    private sealed record Rows(int Resident, string ResidentName, int Household, string HouseholdAddress, int Unit, string UnitName, int Component, string ComponentCode);

    /// <summary>One resident (with household), unit and component of a grid.</summary>
    private Task<Rows> RowsInAsync(int gridId) => app.DbAsync(async db =>
    {
        var resident = await db.Residents.AsNoTracking().Where(r => r.GridId == gridId && r.RemovedAt == null && r.HouseholdId != null).OrderBy(r => r.Id).FirstAsync();
        var household = await db.Households.AsNoTracking().SingleAsync(h => h.Id == resident.HouseholdId);
        var unit = await db.Units.AsNoTracking().Where(u => u.GridId == gridId && u.RemovedAt == null).OrderBy(u => u.Id).FirstAsync();
        var component = await db.Components.AsNoTracking().Where(c => c.GridId == gridId && c.RemovedAt == null).OrderBy(c => c.Id).FirstAsync();
        return new Rows(resident.Id, resident.Name, household.Id, household.Address, unit.Id, unit.Name, component.Id, component.Code);
    });

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertHiddenAsync(Who who, Rows rows)
    {
        var client = app.Client(who);
        foreach (var (path, secret) in new[]
                 {
                     ($"/ledgers/residents/{rows.Resident}", rows.ResidentName),
                     ($"/ledgers/households/{rows.Household}", rows.HouseholdAddress),
                     ($"/ledgers/units/{rows.Unit}", rows.UnitName),
                     ($"/ledgers/units/{rows.Unit}/edit", rows.UnitName),
                     ($"/ledgers/components/{rows.Component}", rows.ComponentCode),
                 })
        {
            var (status, body) = await GetAsync(client, path);
            Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{who} {path}: {(int)status}");
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_grid_worker_gets_404_and_no_data_for_another_grids_resident_household_unit_and_component()
    {
        var rows = await RowsInAsync(app.Ids.OtherGridId);
        await AssertHiddenAsync(GridWorker, rows);

        // The same rows in the worker's own grid open (the test would pass for a page that always says 404 otherwise).
        var own = await RowsInAsync(app.Ids.GridId);
        var (status, body) = await GetAsync(app.Client(GridWorker), $"/ledgers/residents/{own.Resident}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(own.ResidentName, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_community_secretary_gets_404_and_no_data_for_another_communitys_rows()
    {
        await AssertHiddenAsync(CommunitySecretary, await RowsInAsync(app.Ids.OtherCommunityGridId));
        var (status, _) = await GetAsync(app.Client(CommunitySecretary), $"/ledgers/residents/{(await RowsInAsync(app.Ids.OtherGridId)).Resident}");
        Assert.Equal(HttpStatusCode.OK, status); // another grid of the own community is in scope
    }

    [Fact]
    public async Task A_grid_workers_posts_against_another_grids_rows_change_nothing()
    {
        var rows = await RowsInAsync(app.Ids.OtherGridId);
        var client = app.Client(GridWorker);
        var token = SecurityHttp.AntiforgeryToken(await client.GetStringAsync("/inbox"))!;
        var before = await FingerprintAsync(rows);
        var posts = new (string Path, string Form, Dictionary<string, string> Fields)[]
        {
            ($"/ledgers/residents/{rows.Resident}", "resident-edit", new() { ["Edit.Name"] = "越权改名", ["Edit.PopulationKind"] = "Registered" }),
            ($"/ledgers/residents/{rows.Resident}", "resident-remove", new() { ["Removal.Reason"] = "越权注销" }),
            ($"/ledgers/households/{rows.Household}", "household-edit", new() { ["Edit.Kind"] = "Family", ["Edit.Address"] = "越权地址" }),
            ($"/ledgers/households/{rows.Household}", "household-remove", new() { ["Removal.Reason"] = "越权注销" }),
            ($"/ledgers/units/{rows.Unit}/edit", "unit-edit", new() { ["Input.Name"] = "越权单位", ["Input.Kind"] = "Shop" }),
            ($"/ledgers/units/{rows.Unit}", "unit-remove", new() { ["Removal.Reason"] = "越权注销" }),
            ($"/ledgers/components/{rows.Component}", "component-edit", new() { ["Edit.Name"] = "越权部件" }),
            ($"/ledgers/components/{rows.Component}", "component-remove", new() { ["Removal.Reason"] = "越权注销" }),
        };
        foreach (var (path, form, fields) in posts)
        {
            fields["__RequestVerificationToken"] = token;
            fields["_handler"] = form;
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{form} on {path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("越权", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await FingerprintAsync(rows));
    }

    private Task<string> FingerprintAsync(Rows rows) => app.DbAsync(async db =>
    {
        var resident = await db.Residents.AsNoTracking().Where(r => r.Id == rows.Resident).Select(r => r.Name + r.RemovedAt).SingleAsync();
        var household = await db.Households.AsNoTracking().Where(h => h.Id == rows.Household).Select(h => h.Address + h.RemovedAt).SingleAsync();
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == rows.Unit).Select(u => u.Name + u.RemovedAt).SingleAsync();
        var component = await db.Components.AsNoTracking().Where(c => c.Id == rows.Component).Select(c => c.Name + c.RemovedAt).SingleAsync();
        var changes = await db.LedgerChanges.CountAsync();
        return string.Join("|", resident, household, unit, component, changes.ToString(CultureInfo.InvariantCulture));
    });

    [Fact]
    public async Task A_department_handler_gets_404_for_a_case_never_dispatched_to_the_department_and_for_its_photos()
    {
        var other = await app.DbAsync(async db =>
        {
            var department = await HandlerDepartmentAsync(db);
            return await db.Cases.AsNoTracking()
                .Where(c => c.AssignedDepartmentId != department && !c.CoHandlingDepartmentIds.Contains(department)
                            && !c.History.Any(h => h.DepartmentId == department) && !c.Whistles.Any(w => w.DepartmentId == department) && c.Evidence.Any())
                .OrderBy(c => c.Id)
                .Select(c => new { c.Number, c.Description, Sha = c.Evidence.Select(e => e.Sha256).First() })
                .FirstAsync();
        });
        var handler = app.Client(DepartmentHandler);

        var (status, body) = await GetAsync(handler, $"/cases/{other.Number}");
        var (photo, _) = await GetAsync(handler, $"/evidence/{other.Sha}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(other.Description, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, photo);
        // The dispatcher opens both: the 404s are about scope, not about the case.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client(Dispatcher), $"/cases/{other.Number}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.Client(Dispatcher), $"/evidence/{other.Sha}")).Status);
    }

    [Fact]
    public async Task A_department_handler_sees_the_departments_case_without_the_reporters_phone()
    {
        var @case = await app.DbAsync(async db =>
        {
            var department = await HandlerDepartmentAsync(db);
            return await db.Cases.AsNoTracking().Where(c => c.AssignedDepartmentId == department && c.ReporterPhone != null)
                .OrderBy(c => c.Id).Select(c => new { c.Number, c.Description, Phone = c.ReporterPhone! }).FirstAsync();
        });

        var (status, body) = await GetAsync(app.Client(DepartmentHandler), $"/cases/{@case.Number}");
        var (_, dispatcherBody) = await GetAsync(app.Client(Dispatcher), $"/cases/{@case.Number}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(WebUtility.HtmlEncode(@case.Description), body, StringComparison.Ordinal);
        Assert.DoesNotContain(@case.Phone, body, StringComparison.Ordinal);
        Assert.DoesNotContain(GridGov.Application.Ledgers.Masking.Phone(@case.Phone)!, body, StringComparison.Ordinal);
        Assert.Contains(GridGov.Application.Ledgers.Masking.Phone(@case.Phone)!, dispatcherBody, StringComparison.Ordinal); // masked until revealed
    }

    [Fact]
    public async Task A_grid_worker_gets_404_for_a_case_of_another_community()
    {
        var other = await app.DbAsync(db => db.Cases.AsNoTracking()
            .Where(c => c.GridId == app.Ids.OtherCommunityGridId).OrderBy(c => c.Id).Select(c => new { c.Number, c.Description }).FirstAsync());

        var (status, body) = await GetAsync(app.Client(GridWorker), $"/cases/{other.Number}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(WebUtility.HtmlEncode(other.Description), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_leaders_monthly_review_of_another_grid_is_refused()
    {
        var leader = app.Client(GridLeader);
        var otherName = await app.DbAsync(db => db.Grids.Where(g => g.Id == app.Ids.OtherGridId).Select(g => g.Name).SingleAsync());

        var (status, body) = await GetAsync(leader, $"/reviews/{app.Ids.OtherGridCode}/{app.Ids.Month}");
        var (export, _) = await GetAsync(leader, $"/reviews/{app.Ids.OtherGridCode}/{app.Ids.Month}/export.xlsx");
        var (own, _) = await GetAsync(leader, $"/reviews/{app.Ids.GridCode}/{app.Ids.Month}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(otherName, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, export);
        Assert.Equal(HttpStatusCode.OK, own);
    }

    [Fact]
    public async Task Signing_out_without_an_antiforgery_token_is_refused_and_keeps_the_session()
    {
        var client = app.Client(StreetLeader);

        using var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var after = await client.GetAsync("/inbox");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static async Task<int> HandlerDepartmentAsync(GridGovDbContext db)
    {
        var staffId = await db.Users.Where(u => u.UserName == "handler1").Select(u => u.StaffMemberId).SingleAsync();
        return await db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.DepartmentId!.Value).SingleAsync();
    }
}
