using GridGov.Application.Evaluation;
using GridGov.Application.Tests.Evaluation;
using GridGov.TestSupport.GridGov;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Bulletins;

/// <summary>
/// The constructed April of <see cref="EvaluationScenario"/> with one more act: the street leader supervises (督办) R on
/// Wed 22 April. Then, on 6 May (the first working day after April), December 2025, March and April 2026 are frozen;
/// February 2026 never is.
/// </summary>
public sealed class BulletinScenario : EvaluationScenario
{
    public static readonly DateOnly March = April.AddMonths(-1);
    public static readonly DateOnly February = April.AddMonths(-2);
    public static readonly DateOnly December2025 = new(2025, 12, 1);
    public static readonly DateOnly December2024 = new(2024, 12, 1);

    private readonly SemaphoreSlim _once = new(1, 1);
    private ConstructedApril? _prepared;

    public async Task<ConstructedApril> PreparedAsync()
    {
        await _once.WaitAsync();
        try
        {
            if (_prepared is null)
            {
                var month = await AprilAsync();
                var leader = await this.ActorAsync("streetleader1");
                Clock.Set(TestClock.China(2026, 4, 22, 10, 0));
                await this.DoAsync(s => s.SuperviseAsync(month.R, leader, "退回后久拖未派，请尽快重新派遣"));
                Clock.Set(TestClock.China(2026, 5, 6, 10, 0));
                foreach (var frozen in new[] { December2024, December2025, March, April })
                {
                    Assert.True(await WithAsync(p => p.GetRequiredService<MonthlyEvaluationService>().FreezeAsync(frozen)));
                }
                _prepared = month;
            }
            Clock.Set(TestClock.China(2026, 5, 6, 10, 0));
            return _prepared;
        }
        finally
        {
            _once.Release();
        }
    }
}
