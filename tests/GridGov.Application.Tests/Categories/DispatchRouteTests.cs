using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Application.Categories;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridGov.Application.Tests.Categories;

/// <summary>
/// The administrator's dispatch routes (派遣规则) through <see cref="DispatchRouteService"/>: the dispatch suggestion follows
/// them, each refusal has its own Chinese message under its field and writes nothing, a replay answers with the first route,
/// and two saves racing for one scope end in the same refusal as the check before the insert. Each test uses its own class.
/// </summary>
public sealed class DispatchRouteTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private Task<int> AddAsync(string category, DispatchRouteInput input, string userName = "admin1") => scenario.WithAsync(async p =>
    {
        var actor = await scenario.ActorAsync(userName);
        var id = (await scenario.CategoryAsync(category)).Id;
        return await p.GetRequiredService<DispatchRouteService>().AddAsync(id, input, actor);
    });

    private Task RemoveAsync(string category, int routeId) => scenario.WithAsync(async p =>
    {
        var actor = await scenario.ActorAsync("admin1");
        var id = (await scenario.CategoryAsync(category)).Id;
        await p.GetRequiredService<DispatchRouteService>().RemoveAsync(id, routeId, actor);
        return true;
    });

    private Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work) => scenario.WithAsync(p => work(p.GetRequiredService<GridGovDbContext>()));

    /// <summary>leader1's grid, its community, another grid of that community, and two departments other than the class's default.</summary>
    private async Task<(string Grid, int Community, string OtherGrid, int Committee, int Police)> PlacesAsync(Category category)
    {
        var grid = await scenario.GridOfAsync("leader1");
        return await DbAsync(async db =>
        {
            var community = await db.Grids.Where(g => g.Code == grid).Select(g => g.CommunityId).SingleAsync();
            var other = await db.Grids.Where(g => g.CommunityId == community && g.Code != grid).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync();
            var departments = await db.Departments.Where(d => d.Id != category.DefaultDepartmentId).OrderBy(d => d.Id).Take(2).Select(d => d.Id).ToListAsync();
            return (grid, community, other, departments[0], departments[1]);
        });
    }

    [Fact]
    public async Task The_dispatch_suggestion_follows_routes_added_and_removed_through_the_service_and_each_change_is_audited()
    {
        const string code = "1002";
        var category = await scenario.CategoryAsync(code);
        var (grid, community, otherGrid, committee, police) = await PlacesAsync(category);
        var inGrid = await scenario.ReportAsync(grid, code);
        var inOtherGrid = await scenario.ReportAsync(otherGrid, code);
        var suggest = (int caseId) => scenario.WithAsync(p => p.GetRequiredService<CaseWorkflowService>().SuggestDepartmentAsync(caseId));
        Assert.Equal(category.DefaultDepartmentId, await suggest(inGrid.Id));

        var communityRoute = await AddAsync(code, new DispatchRouteInput(community, null, committee, Guid.NewGuid()));
        Assert.Equal((committee, committee), (await suggest(inGrid.Id), await suggest(inOtherGrid.Id)));

        var gridRoute = await AddAsync(code, new DispatchRouteInput(null, grid, police, Guid.NewGuid()));
        Assert.Equal((police, committee), (await suggest(inGrid.Id), await suggest(inOtherGrid.Id)));

        await RemoveAsync(code, gridRoute);
        Assert.Equal((committee, committee), (await suggest(inGrid.Id), await suggest(inOtherGrid.Id)));
        await RemoveAsync(code, communityRoute);
        Assert.Equal(category.DefaultDepartmentId, await suggest(inGrid.Id));

        var key = (int id) => id.ToString(CultureInfo.InvariantCulture);
        string[] keys = [key(communityRoute), key(gridRoute)];
        var audit = await DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(DispatchRoute) && keys.Contains(e.EntityId!))
            .OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(
            [(AuditAction.Create, key(communityRoute)), (AuditAction.Create, key(gridRoute)), (AuditAction.Delete, key(gridRoute)), (AuditAction.Delete, key(communityRoute))],
            audit.Select(e => (e.Action, e.EntityId)));
        Assert.Equal(grid, System.Text.Json.JsonDocument.Parse(audit[1].After!).RootElement.GetProperty("GridCode").GetString());
        Assert.Equal(police, System.Text.Json.JsonDocument.Parse(audit[2].Before!).RootElement.GetProperty("DepartmentId").GetInt32());
    }

    [Fact]
    public async Task The_editor_lists_the_routes_by_scope_name_communities_first()
    {
        const string code = "1003";
        var category = await scenario.CategoryAsync(code);
        var (grid, community, _, committee, police) = await PlacesAsync(category);
        await AddAsync(code, new DispatchRouteInput(null, grid, police));
        await AddAsync(code, new DispatchRouteInput(community, null, committee));

        var admin = await scenario.ActorAsync("admin1");
        var view = await scenario.WithAsync(p => p.GetRequiredService<CategoryAdminQueries>().RoutesAsync(admin, category.Id));

        var (communityName, gridName) = await DbAsync(async db => (
            await db.Communities.Where(c => c.Id == community).Select(c => c.Name).SingleAsync(),
            await db.Grids.Where(g => g.Code == grid).Select(g => g.Name).SingleAsync()));
        Assert.Equal([communityName, $"{communityName} · {gridName}"], view.Rows.Select(r => r.ScopeName));
        Assert.Equal([(int?)community, null], view.Rows.Select(r => r.CommunityId));
        Assert.Contains(view.Grids, g => g.GridCode == grid);
        Assert.Contains(view.Communities, c => c.CommunityId == community);
    }

    public static TheoryData<string, string, string?> BadRoutes => new()
    {
        { "no scope", "route.scope", "routeScope" },
        { "a community and a grid", "route.scope", "routeScope" },
        { "an unknown community", "route.community-not-found", "routeScope" },
        { "an unknown grid", "route.grid-not-found", "routeScope" },
        { "a grid code with a NUL", "route.grid-not-found", "routeScope" },
        { "an over-long grid code", "route.grid-not-found", "routeScope" },
        { "no department", "route.department-required", "routeDepartment" },
        { "an unknown department", "route.department-not-found", "routeDepartment" },
        { "the class's default department", "route.default-department", "routeDepartment" },
        { "a second route for the same community", "route.duplicate", "routeScope" },
        { "a second route for the same grid", "route.duplicate", "routeScope" },
        { "an unknown class", "category.edit-not-found", null },
        { "a dispatcher", "category.admin-only", null },
    };

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public async Task A_bad_route_is_refused_with_its_own_chinese_message_under_its_field_and_writes_nothing(string name, string code, string? field)
    {
        const string category = "1004";
        var target = await scenario.CategoryAsync(category);
        var (grid, community, _, committee, police) = await PlacesAsync(target);
        if (name.StartsWith("a second route", StringComparison.Ordinal))
        {
            await AddAsync(category, name.EndsWith("community", StringComparison.Ordinal)
                ? new DispatchRouteInput(community, null, committee) : new DispatchRouteInput(null, grid, committee));
        }
        var before = await DbAsync(async db => (await db.DispatchRoutes.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync()));
        var input = name switch
        {
            "no scope" => new DispatchRouteInput(null, null, committee),
            "a community and a grid" => new DispatchRouteInput(community, grid, committee),
            "an unknown community" => new DispatchRouteInput(999_999, null, committee),
            "an unknown grid" => new DispatchRouteInput(null, "999999999999999", committee),
            "a grid code with a NUL" => new DispatchRouteInput(null, "32050800\01001001", committee),
            "an over-long grid code" => new DispatchRouteInput(null, new string('9', 2000), committee),
            "no department" => new DispatchRouteInput(community, null, null),
            "an unknown department" => new DispatchRouteInput(community, null, 999_999),
            "the class's default department" => new DispatchRouteInput(community, null, target.DefaultDepartmentId),
            "a second route for the same community" => new DispatchRouteInput(community, null, police),
            "a second route for the same grid" => new DispatchRouteInput(null, grid, police),
            _ => new DispatchRouteInput(community, null, police, Guid.NewGuid()),
        };

        var error = await Assert.ThrowsAsync<DomainException>(() => name switch
        {
            "an unknown class" => scenario.WithAsync(async p => await p.GetRequiredService<DispatchRouteService>().AddAsync(999_999, input, await scenario.ActorAsync("admin1"))),
            "a dispatcher" => AddAsync(category, input, "dispatcher1"),
            _ => AddAsync(category, input),
        });

        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.Message);
        Assert.Equal(before, await DbAsync(async db => (await db.DispatchRoutes.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync())));
        if (code == "route.duplicate")
        {
            Assert.StartsWith("该类别在「", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("」已有派遣规则，不能重复添加；如需改派其他部门，请先删除原规则", error.Message, StringComparison.Ordinal);
            await DbAsync(async db =>
            {
                // Only the first route: the department it names is the first one's.
                Assert.Equal([committee], await db.DispatchRoutes.Where(r => r.CategoryId == target.Id).Select(r => r.DepartmentId).ToListAsync());
                await db.DispatchRoutes.Where(r => r.CategoryId == target.Id).ExecuteDeleteAsync();
                return true;
            });
        }
    }

    [Fact]
    public async Task A_replayed_form_answers_with_the_first_route_and_adds_no_second()
    {
        const string code = "1005";
        var category = await scenario.CategoryAsync(code);
        var (_, community, _, committee, _) = await PlacesAsync(category);
        var submission = Guid.NewGuid();

        var first = await AddAsync(code, new DispatchRouteInput(community, null, committee, submission));
        var again = await AddAsync(code, new DispatchRouteInput(community, null, committee, submission));

        Assert.Equal(first, again);
        Assert.Equal(1, await DbAsync(db => db.DispatchRoutes.CountAsync(r => r.CategoryId == category.Id)));
    }

    [Fact]
    public async Task Two_saves_racing_for_one_scope_end_in_the_same_refusal_as_the_check_before_the_insert()
    {
        const string code = "1006";
        var category = await scenario.CategoryAsync(code);
        var (grid, _, _, committee, police) = await PlacesAsync(category);
        var auditBefore = await DbAsync(db => db.AuditEntries.CountAsync());

        // The other save: inserted, not yet committed, so the service's check does not see it and its insert waits on the unique index.
        await using var other = new NpgsqlConnection(scenario.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO dispatch_routes (category_id, department_id, grid_code) VALUES (@category, @department, @grid)", other, transaction))
        {
            insert.Parameters.AddWithValue("category", category.Id);
            insert.Parameters.AddWithValue("department", committee);
            insert.Parameters.AddWithValue("grid", grid);
            await insert.ExecuteNonQueryAsync();
        }
        var racing = AddAsync(code, new DispatchRouteInput(null, grid, police, Guid.NewGuid()));
        await WaitUntilBlockedAsync(racing);
        await transaction.CommitAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => racing);
        Assert.Equal("route.duplicate", error.Code);
        Assert.Equal(DomainFields.RouteScope.Name, error.Field);
        Assert.StartsWith("该类别在「", error.Message, StringComparison.Ordinal);
        Assert.Equal([committee], await DbAsync(db => db.DispatchRoutes.Where(r => r.CategoryId == category.Id).Select(r => r.DepartmentId).ToListAsync()));
        Assert.Equal(auditBefore, await DbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Removing_a_route_of_another_class_or_one_gone_is_refused_and_removes_nothing()
    {
        const string code = "1101";
        var category = await scenario.CategoryAsync(code);
        var (_, community, _, committee, _) = await PlacesAsync(category);
        var route = await AddAsync(code, new DispatchRouteInput(community, null, committee));

        var otherClass = await Assert.ThrowsAsync<DomainException>(() => RemoveAsync("1002", route));
        Assert.Equal("route.not-found", otherClass.Code);
        Assert.Equal(1, await DbAsync(db => db.DispatchRoutes.CountAsync(r => r.Id == route)));

        await RemoveAsync(code, route);
        var gone = await Assert.ThrowsAsync<DomainException>(() => RemoveAsync(code, route));
        Assert.Equal(("route.not-found", "该派遣规则不存在或已被删除，请刷新页面"), (gone.Code, gone.Message));
    }

    /// <summary>Until the racing save waits on the other transaction's lock (or has finished, which the test then reports).</summary>
    private async Task WaitUntilBlockedAsync(Task racing)
    {
        await using var watcher = new NpgsqlConnection(scenario.ConnectionString);
        await watcher.OpenAsync();
        var database = new NpgsqlConnectionStringBuilder(scenario.ConnectionString).Database;
        for (var attempt = 0; attempt < 200 && !racing.IsCompleted; attempt++)
        {
            await using var query = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND wait_event_type = 'Lock' AND query LIKE '%dispatch_routes%'", watcher);
            query.Parameters.AddWithValue("db", database!);
            if ((long)(await query.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the racing save never waited on the other save's insert");
    }
}
