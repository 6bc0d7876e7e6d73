using System.Globalization;
using GridGov.Application.Common;
using GridGov.Application.Ledgers;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// One create form posted twice at the same moment (a double click, two app instances): both posts find no earlier
/// result, the submission key's unique index lets the first commit and makes the second wait; the second then answers
/// with the first one's result instead of failing on the index.
/// </summary>
public sealed class ParallelSubmissionTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    [Fact]
    public async Task A_unit_form_that_loses_the_race_to_its_own_twin_answers_with_the_first_unit()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var point = await scenario.DbAsync(db => db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {gridId}) g
            """).ToListAsync());
        var worker = await scenario.ActorAsync("worker1");
        var input = new UnitInput("并发测试小店", UnitKind.Shop, "云帆街道测试路8号", point[0], point[1], 2, "王师傅", "13511112222", false, 0);
        var first = 0;
        await scenario.LedgerAsync(async ledger => first = await ledger.CreateUnitAsync(input, worker));
        var submission = Guid.NewGuid();
        var units = await scenario.DbAsync(db => db.Units.CountAsync());

        var second = await RaceAsync(worker, SubmissionPurpose.Unit, submission, first,
            () => scenario.WithAsync(p => p.GetRequiredService<LedgerService>().CreateUnitAsync(input, worker, submission)));

        Assert.Equal(first, second);
        Assert.Equal(units, await scenario.DbAsync(db => db.Units.CountAsync()));
    }

    [Fact]
    public async Task A_unit_form_that_loses_the_race_for_its_credit_code_to_another_unit_is_refused_under_the_code()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var point = await scenario.DbAsync(db => db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {gridId}) g
            """).ToListAsync());
        var worker = await scenario.ActorAsync("worker1");
        const string First17 = "92320508MA0RACE01";
        var code = First17 + CreditCode.ComputeCheckCharacter(First17);
        var input = new UnitInput("抢号测试小店", UnitKind.Shop, "云帆街道测试路10号", point[0], point[1], 2, "李师傅", "13511113333", false, 0, CreditCode: code);
        var units = await scenario.DbAsync(db => db.Units.CountAsync());

        // Another session registers a unit with the same code and has not committed yet: the form's check does not see it,
        // its insert waits on the unique index and fails once the other commits.
        await using var other = new Npgsql.NpgsqlConnection(scenario.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand($"""
            INSERT INTO units (grid_id, name, kind, address, location, employee_count, contact_name, contact_phone, has_party_organisation,
                               party_member_count, is_small_venue, credit_code)
            VALUES ({gridId}, '先到的小店', 'Shop', '云帆街道测试路11号', ST_SetSRID(ST_MakePoint({point[0].ToString(CultureInfo.InvariantCulture)}, {point[1].ToString(CultureInfo.InvariantCulture)}), 4326),
                    1, '赵师傅', '13511114444', false, 0, false, '{code}')
            """, other, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var form = scenario.WithAsync(p => p.GetRequiredService<LedgerService>().CreateUnitAsync(input, worker, Guid.NewGuid()));
        await ResidentRowLock.WaitingAsync(scenario.ConnectionString, "INSERT INTO units");
        await transaction.CommitAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => form);
        Assert.Equal(("unit.credit-code-taken", "creditCode"), (refusal.Code, refusal.Field));
        Assert.Equal(units + 1, await scenario.DbAsync(db => db.Units.CountAsync()));
        Assert.False(await scenario.DbAsync(db => db.Units.AnyAsync(u => u.Name == "抢号测试小店")));
    }

    [Fact]
    public async Task A_visit_form_that_loses_the_race_to_its_own_twin_answers_with_the_first_visit()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var household = await scenario.DbAsync(db => db.Households.Where(h => h.GridId == gridId && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Id).FirstAsync());
        var worker = await scenario.ActorAsync("worker1");
        var visit = new RecordVisit(household, scenario.Clock.GetUtcNow().AddHours(-1), "例行走访，家中一切正常");
        var first = await scenario.WithAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(visit, worker));
        var submission = Guid.NewGuid();
        var visits = await scenario.DbAsync(db => db.Visits.CountAsync());

        var second = await RaceAsync(worker, SubmissionPurpose.Visit, submission, first.Id,
            () => scenario.WithAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(visit with { SubmissionId = submission }, worker)));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(visits, await scenario.DbAsync(db => db.Visits.CountAsync()));
    }

    private Task<T> RaceAsync<T>(CaseActor author, SubmissionPurpose purpose, Guid submission, long firstResult, Func<Task<T>> secondPost) =>
        SubmissionRace.SecondPostAsync(scenario.ConnectionString, SubmissionKeys.Staff(author), purpose.ToString(), submission,
            firstResult.ToString(CultureInfo.InvariantCulture), secondPost);
}
