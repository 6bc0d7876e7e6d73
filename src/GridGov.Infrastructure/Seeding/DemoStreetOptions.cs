namespace GridGov.Infrastructure.Seeding;

/// <summary>What <see cref="DemoStreetSeeder"/> generates.</summary>
public sealed class DemoStreetOptions
{
    /// <summary>Each scale step adds 10 communities and community sequence codes have 3 digits (001–999).</summary>
    public const int MaxScale = 99;

    /// <summary>
    /// 1 = one street office of 10 communities and 64 grids (~20,000 households, ~50,000 residents);
    /// N multiplies the communities, grids and everything in them, and the street's area with them.
    /// </summary>
    public int Scale { get; set; } = 1;

    /// <summary>Seed of the pseudo-random generator: the same seed and scale give the same street.</summary>
    public int Seed { get; set; } = 20261122;

    /// <summary>Password of every demo account (hashed once and shared).</summary>
    public string DemoPassword { get; set; } = "";
}

/// <summary>What the database holds after seeding (or already held when a street existed).</summary>
public sealed record DemoStreetSummary(
    string StreetCode,
    string StreetName,
    bool AlreadySeeded,
    int Communities,
    int Grids,
    int Compounds,
    int Buildings,
    int Households,
    int Residents,
    int Units,
    int Components,
    int Departments,
    int Categories,
    int CalendarDays,
    int StaffMembers,
    int Users,
    TimeSpan Elapsed,
    IReadOnlyList<DemoAccount> Accounts);

/// <summary>A demo sign-in: one per role, all with the demo password.</summary>
/// <param name="Role">The role's Chinese name, e.g. 座席员.</param>
public sealed record DemoAccount(string UserName, string DisplayName, string Role);
