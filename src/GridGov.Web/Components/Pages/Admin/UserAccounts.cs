using GridGov.Application.Common;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Components.Pages.Admin;

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
    int AccessFailedCount);

/// <summary>One page of the account list, and how many accounts match in all.</summary>
public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Count);

public sealed record StaffChoice(int Id, string Name, StaffRole Role);

public sealed record Choice(int Id, string Name);

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
    public bool Succeeded => Errors.Count == 0;

    public static AccountResult Ok(string userId) => new(userId, new Dictionary<string, string>());

    public static AccountResult Fail(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}

/// <summary>
/// Administrators' account management on ASP.NET Identity's own columns:
/// a disabled account is locked out until the end of time; a password reset and a disabled account end all of the
/// person's sessions at once (<see cref="StaffSessions"/>) and renew the security stamp.
/// </summary>
public sealed class UserAccounts(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, GridGovDbContext db, TimeProvider time, StaffSessions sessions)
{
    /// <summary>Lockout end of a disabled account; any lockout beyond this year counts as disabled.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { Year: >= 9000 };

    public const int SearchMaxLength = 64;

    /// <summary>Accounts whose user name or display name contains <paramref name="search"/>, by user name, a page at a time.</summary>
    public async Task<AccountPage> PageAsync(string? search, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        // Cleaned here too: an interactive page's search never passes the HTTP guard against control characters.
        if (SearchText.Clean(search) is { } text)
        {
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(u => EF.Functions.ILike(u.UserName!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }
        var count = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(u => u.UserName)
            .Skip(Math.Max(skip, 0))
            .Take(Math.Clamp(take, 1, 100))
            .Select(u => new
            {
                u.Id,
                u.UserName,
                u.DisplayName,
                u.StaffMemberId,
                StaffName = db.StaffMembers.Where(s => s.Id == u.StaffMemberId).Select(s => s.Name).FirstOrDefault(),
                Role = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                u.LockoutEnd,
                u.AccessFailedCount,
            })
            .ToListAsync(cancellationToken);
        return new AccountPage(rows.Select(r => new AccountRow(r.Id, r.UserName ?? "", r.DisplayName, ParseRole(r.Role), r.StaffMemberId, r.StaffName,
            StatusOf(r.LockoutEnd), r.LockoutEnd, r.AccessFailedCount)).ToList(), count);
    }

    public async Task<AccountRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return null;
        }
        var staffName = await db.StaffMembers.Where(s => s.Id == user.StaffMemberId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        var role = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefaultAsync(cancellationToken);
        return new AccountRow(user.Id, user.UserName ?? "", user.DisplayName, ParseRole(role), user.StaffMemberId, staffName,
            StatusOf(user.LockoutEnd), user.LockoutEnd, user.AccessFailedCount);
    }

    /// <summary>Staff members without an account, to link a new account to.</summary>
    public async Task<IReadOnlyList<StaffChoice>> UnlinkedStaffAsync(CancellationToken cancellationToken) =>
        await db.StaffMembers.AsNoTracking()
            .Where(s => s.IsActive && !db.Users.Any(u => u.StaffMemberId == s.Id))
            .OrderBy(s => s.Role).ThenBy(s => s.Name)
            .Select(s => new StaffChoice(s.Id, s.Name, s.Role))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Choice>> CommunitiesAsync(CancellationToken cancellationToken) =>
        await db.Communities.AsNoTracking().OrderBy(c => c.Code).Select(c => new Choice(c.Id, c.Name)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Choice>> DepartmentsAsync(CancellationToken cancellationToken) =>
        await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new Choice(d.Id, d.Name)).ToListAsync(cancellationToken);

    /// <summary>Creates the account (and the staff member when none is linked) in one transaction.</summary>
    /// <param name="submissionId">The form's idempotency key (per administrator): a replay answers with the first account.</param>
    public async Task<AccountResult> CreateAsync(NewAccount input, string actingUserId, Guid? submissionId, CancellationToken cancellationToken)
    {
        var author = SubmissionKeys.User(actingUserId);
        if (await db.FirstResultAsync(author, SubmissionPurpose.UserAccount, submissionId, cancellationToken) is { } first)
        {
            return AccountResult.Ok(first);
        }
        if (await users.FindByNameAsync(input.UserName) is not null)
        {
            return AccountResult.Fail(nameof(NewAccount.UserName), $"用户名“{input.UserName}”已被使用");
        }
        var probe = new ApplicationUser { UserName = input.UserName, DisplayName = input.DisplayName };
        if (await ValidatePasswordAsync(probe, input.Password) is { } passwordError)
        {
            return AccountResult.Fail(nameof(NewAccount.Password), passwordError);
        }

        return await db.CreateOnceAsync(author, SubmissionPurpose.UserAccount, submissionId,
            () => CreateInTransactionAsync(input, author, submissionId, cancellationToken), first => Task.FromResult(AccountResult.Ok(first)), cancellationToken);
    }

    private async Task<AccountResult> CreateInTransactionAsync(NewAccount input, string author, Guid? submissionId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int staffMemberId;
        if (input.StaffMemberId is { } existingId)
        {
            var staff = await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == existingId, cancellationToken);
            if (staff is null || await db.Users.AnyAsync(u => u.StaffMemberId == existingId, cancellationToken))
            {
                return AccountResult.Fail(nameof(NewAccount.StaffMemberId), "所选工作人员不存在或已有账号");
            }
            if (staff.Role != input.Role)
            {
                return AccountResult.Fail(nameof(NewAccount.Role), $"所选工作人员的岗位是“{staff.Role.ChineseName()}”，账号角色必须一致");
            }
            staffMemberId = staff.Id;
        }
        else
        {
            StaffMember staff;
            try
            {
                staff = new StaffMember(input.DisplayName, input.StaffPhone ?? "", input.Role,
                    NeedsCommunity(input.Role) ? input.CommunityId : null,
                    input.Role == StaffRole.DepartmentHandler ? input.DepartmentId : null);
            }
            catch (DomainException exception)
            {
                var field = exception.Code switch
                {
                    "staff.community-required" => nameof(NewAccount.CommunityId),
                    "staff.department-required" => nameof(NewAccount.DepartmentId),
                    _ when exception.Message.Contains("电话", StringComparison.Ordinal) => nameof(NewAccount.StaffPhone),
                    _ => nameof(NewAccount.DisplayName),
                };
                return AccountResult.Fail(field, exception.Message);
            }
            if (NeedsCommunity(input.Role) && !await db.Communities.AnyAsync(c => c.Id == input.CommunityId, cancellationToken))
            {
                return AccountResult.Fail(nameof(NewAccount.CommunityId), "请选择所属社区");
            }
            if (input.Role == StaffRole.DepartmentHandler && !await db.Departments.AnyAsync(d => d.Id == input.DepartmentId, cancellationToken))
            {
                return AccountResult.Fail(nameof(NewAccount.DepartmentId), "请选择所属职能部门");
            }
            db.StaffMembers.Add(staff);
            await db.SaveChangesAsync(cancellationToken);
            staffMemberId = staff.Id;
        }

        var user = new ApplicationUser
        {
            UserName = input.UserName,
            DisplayName = input.DisplayName,
            StaffMemberId = staffMemberId,
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            return Failed(created, nameof(NewAccount.UserName));
        }
        await EnsureRoleAsync(input.Role);
        var inRole = await users.AddToRoleAsync(user, input.Role.ToString());
        if (!inRole.Succeeded)
        {
            return Failed(inRole, nameof(NewAccount.Role));
        }
        db.Remember(author, SubmissionPurpose.UserAccount, submissionId, user.Id, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AccountResult.Ok(user.Id);
    }

    /// <summary>Sets a temporary password; the security stamp changes, so the person's sessions end.</summary>
    public async Task<AccountResult> ResetPasswordAsync(string userId, string password)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail("", "账号不存在");
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return Failed(reset, "Password");
        }
        await sessions.EndAllAsync(user.Id);
        // A reset also clears a lockout from failed attempts (not a disabled account).
        if (!IsDisabled(user.LockoutEnd))
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }
        return AccountResult.Ok(user.Id);
    }

    public async Task<AccountResult> DisableAsync(string userId, string actingUserId)
    {
        if (userId == actingUserId)
        {
            return AccountResult.Fail("", "不能停用自己的账号");
        }
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail("", "账号不存在");
        }
        await users.SetLockoutEnabledAsync(user, true);
        var locked = await users.SetLockoutEndDateAsync(user, DisabledUntil);
        if (!locked.Succeeded)
        {
            return Failed(locked, "");
        }
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id);
        return AccountResult.Ok(user.Id);
    }

    public async Task<AccountResult> EnableAsync(string userId) => await UnlockAsync(userId);

    /// <summary>Ends a lockout or a disabled state and clears the failed count.</summary>
    public async Task<AccountResult> UnlockAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail("", "账号不存在");
        }
        var unlocked = await users.SetLockoutEndDateAsync(user, null);
        if (!unlocked.Succeeded)
        {
            return Failed(unlocked, "");
        }
        await users.ResetAccessFailedCountAsync(user);
        return AccountResult.Ok(user.Id);
    }

    public AccountStatus StatusOf(DateTimeOffset? lockoutEnd) =>
        IsDisabled(lockoutEnd) ? AccountStatus.Disabled
        : lockoutEnd is { } end && end > time.GetUtcNow() ? AccountStatus.Locked
        : AccountStatus.Active;

    public static bool NeedsCommunity(StaffRole role) =>
        role is StaffRole.CommunitySecretary or StaffRole.GridLeader or StaffRole.GridWorker;

    private async Task<string?> ValidatePasswordAsync(ApplicationUser user, string password)
    {
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors.Select(e => e.Description));
        }
        return errors.Count == 0 ? null : string.Join("；", errors);
    }

    private async Task EnsureRoleAsync(StaffRole role)
    {
        if (!await roles.RoleExistsAsync(role.ToString()))
        {
            await roles.CreateAsync(new IdentityRole(role.ToString()));
        }
    }

    private static AccountResult Failed(IdentityResult result, string field) =>
        AccountResult.Fail(field, string.Join("；", result.Errors.Select(e => e.Description)));

    private static StaffRole? ParseRole(string? name) => Enum.TryParse<StaffRole>(name, out var role) ? role : null;
}
