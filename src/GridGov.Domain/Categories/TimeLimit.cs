using GridGov.Domain.Common;

namespace GridGov.Domain.Categories;

public enum TimeUnit
{
    Minutes,       // 分钟 (register/dispatch of urgent matters)
    WorkingHours,  // 工作时
    WorkingDays,   // 工作日
}

/// <summary>An amount of working time allowed for one stage.</summary>
public sealed record TimeLimit
{
    private TimeLimit()
    {
    }

    public TimeLimit(int amount, TimeUnit unit)
    {
        if (amount is < 1 or > 10_000)
        {
            throw new DomainException("time-limit.range", "时限必须是1至10000之间的整数");
        }
        Amount = amount;
        Unit = unit;
    }

    public int Amount { get; private init; }
    public TimeUnit Unit { get; private init; }

    public static TimeLimit Minutes(int amount) => new(amount, TimeUnit.Minutes);
    public static TimeLimit Hours(int amount) => new(amount, TimeUnit.WorkingHours);
    public static TimeLimit Days(int amount) => new(amount, TimeUnit.WorkingDays);

    public override string ToString() => Unit switch
    {
        TimeUnit.Minutes => $"{Amount}分钟",
        TimeUnit.WorkingHours => $"{Amount}个工作时",
        _ => $"{Amount}个工作日",
    };
}

/// <summary>Time limits per stage of the loop for one minor class (normal priority; urgent has its own handle limit).</summary>
public sealed record StageLimits
{
    private StageLimits()
    {
        Register = Dispatch = Handle = Verify = UrgentHandle = null!;
    }

    public StageLimits(TimeLimit register, TimeLimit dispatch, TimeLimit handle, TimeLimit verify, TimeLimit urgentHandle)
    {
        Register = register;
        Dispatch = dispatch;
        Handle = handle;
        Verify = verify;
        UrgentHandle = urgentHandle;
    }

    /// <summary>From report to registration (立案).</summary>
    public TimeLimit Register { get; private init; }
    /// <summary>From registration to dispatch (派遣).</summary>
    public TimeLimit Dispatch { get; private init; }
    /// <summary>From dispatch to feedback (处置); the clock starts at dispatch.</summary>
    public TimeLimit Handle { get; private init; }
    /// <summary>From feedback to verification (核查).</summary>
    public TimeLimit Verify { get; private init; }
    /// <summary>Handling limit for urgent and emergency priority.</summary>
    public TimeLimit UrgentHandle { get; private init; }
}
