using GridGov.Domain.Organisation;

namespace GridGov.Application.Accounts;

public enum AccountStatus
{
    Active,
    Locked,
    Disabled,
}

public sealed record AccountRow(
    string Id,
    string UserName,
    string DisplayName,
    StaffRole? Role,
    int? StaffMemberId,
    string? StaffName,
    AccountStatus Status,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    string? Version = null);

/// <summary>One page of the account list, and how many accounts match in all.</summary>
public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Count);

public sealed record StaffChoice(int Id, string Name, StaffRole Role);

public sealed record Choice(int Id, string Name);

/// <summary>What the new-account form offers to choose from.</summary>
public sealed record AccountChoices(IReadOnlyList<StaffChoice> Staff, IReadOnlyList<Choice> Communities, IReadOnlyList<Choice> Departments);

public sealed record NewAccount(
    string UserName,
    string DisplayName,
    StaffRole Role,
    string Password,
    int? StaffMemberId,
    string? StaffPhone,
    int? CommunityId,
    int? DepartmentId);

/// <summary>The outcome of an account change: empty errors on success, otherwise messages by form field.</summary>
public sealed record AccountResult(string? UserId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0 && !IsStale;

    /// <summary>Refused because the account changed since the administrator saw it; the general message names who and when.</summary>
    public bool IsStale { get; private init; }

    public static AccountResult Stale(string message) => new(null, new Dictionary<string, string> { [""] = message }) { IsStale = true };

    public static AccountResult Ok(string userId) => new(userId, new Dictionary<string, string>());

    public static AccountResult Fail(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}

/// <summary>
/// Administrators' account management (账号管理): the accounts, a new account with its staff member, a temporary
/// password, disable, enable, unlock. Implemented on ASP.NET Identity in Infrastructure. Every change carries the
/// account's version as the administrator saw it (its ConcurrencyStamp): an account changed since is refused
/// (<see cref="AccountResult.IsStale"/>) naming who changed it and when, and nothing is written.
/// </summary>
public interface IUserAccounts
{
    /// <summary>The longest search text the list passes on.</summary>
    const int SearchMaxLength = 64;

    /// <summary>Accounts whose user name or display name contains <paramref name="search"/>, by user name, a page at a time.</summary>
    Task<AccountPage> PageAsync(string? search, int skip, int take, CancellationToken cancellationToken);

    /// <summary>One account with its version; null when there is none.</summary>
    Task<AccountRow?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>What the new-account form offers: staff members without an account, communities, departments.</summary>
    Task<AccountChoices> ChoicesAsync(CancellationToken cancellationToken);

    /// <summary>Creates the account (and the staff member when none is linked) in one transaction.</summary>
    /// <param name="submissionId">The form's idempotency key (per administrator): a replay answers with the first account.</param>
    Task<AccountResult> CreateAsync(NewAccount input, string actingUserId, Guid? submissionId, CancellationToken cancellationToken);

    /// <summary>Sets a temporary password; the person's sessions end.</summary>
    Task<AccountResult> ResetPasswordAsync(string userId, string? version, string password, CancellationToken cancellationToken = default);

    /// <summary>Locks the account out for good and ends its sessions; never the acting administrator's own.</summary>
    Task<AccountResult> DisableAsync(string userId, string actingUserId, string? version, CancellationToken cancellationToken = default);

    Task<AccountResult> EnableAsync(string userId, string? version, CancellationToken cancellationToken = default);

    /// <summary>Ends a lockout or a disabled state and clears the failed count.</summary>
    Task<AccountResult> UnlockAsync(string userId, string? version, CancellationToken cancellationToken = default);
}
