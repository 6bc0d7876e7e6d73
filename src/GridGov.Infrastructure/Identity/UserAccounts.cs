using System.Globalization;
using GridGov.Application.Accounts;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Identity;

/// <summary>
/// Administrators' account management on ASP.NET Identity's own columns:
/// a disabled account is locked out until the end of time; a password reset and a disabled account end all of the
/// person's sessions at once (<see cref="StaffSessions"/>) and renew the security stamp.
/// </summary>
public sealed class UserAccounts(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, GridGovDbContext db, TimeProvider time, StaffSessions sessions) : IUserAccounts
{
    /// <summary>Lockout end of a disabled account; any lockout beyond this year counts as disabled.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd is { Year: >= 9000 };

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
            StatusOf(user.LockoutEnd), user.LockoutEnd, user.AccessFailedCount, user.ConcurrencyStamp);
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

    public async Task<AccountChoices> ChoicesAsync(CancellationToken cancellationToken) =>
        new(await UnlinkedStaffAsync(cancellationToken), await CommunitiesAsync(cancellationToken), await DepartmentsAsync(cancellationToken));

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
    /// <param name="version">The account's <see cref="IdentityUser.ConcurrencyStamp"/> the administrator saw; an account changed since is refused.</param>
    public Task<AccountResult> ResetPasswordAsync(string userId, string? version, string password, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, version, async user =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            if (Refused(await users.ResetPasswordAsync(user, token, password), "Password") is { } refused)
            {
                return refused;
            }
            await sessions.EndAllAsync(user.Id, cancellationToken);
            // A reset also clears a lockout from failed attempts (not a disabled account).
            if (!IsDisabled(user.LockoutEnd))
            {
                if ((Refused(await users.SetLockoutEndDateAsync(user, null), "") ?? Refused(await users.ResetAccessFailedCountAsync(user), "")) is { } failed)
                {
                    return failed;
                }
            }
            return AccountResult.Ok(user.Id);
        }, cancellationToken);

    /// <param name="version">The account's <see cref="IdentityUser.ConcurrencyStamp"/> the administrator saw; an account changed since is refused.</param>
    public Task<AccountResult> DisableAsync(string userId, string actingUserId, string? version, CancellationToken cancellationToken = default)
    {
        if (userId == actingUserId)
        {
            return Task.FromResult(AccountResult.Fail("", "不能停用自己的账号"));
        }
        return ChangeAsync(userId, version, async user =>
        {
            if ((Refused(await users.SetLockoutEnabledAsync(user, true), "") ?? Refused(await users.SetLockoutEndDateAsync(user, DisabledUntil), "")
                ?? Refused(await users.UpdateSecurityStampAsync(user), "")) is { } refused)
            {
                return refused;
            }
            await sessions.EndAllAsync(user.Id, cancellationToken);
            return AccountResult.Ok(user.Id);
        }, cancellationToken);
    }

    /// <inheritdoc cref="UnlockAsync"/>
    public Task<AccountResult> EnableAsync(string userId, string? version, CancellationToken cancellationToken = default) =>
        UnlockAsync(userId, version, cancellationToken);

    /// <summary>Ends a lockout or a disabled state and clears the failed count.</summary>
    /// <param name="version">The account's <see cref="IdentityUser.ConcurrencyStamp"/> the administrator saw; an account changed since is refused.</param>
    public Task<AccountResult> UnlockAsync(string userId, string? version, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, version, async user =>
            Refused(await users.SetLockoutEndDateAsync(user, null), "") ?? Refused(await users.ResetAccessFailedCountAsync(user), "")
            ?? AccountResult.Ok(user.Id), cancellationToken);

    /// <summary>
    /// Runs a change on an account in one transaction, only if the account is still the version the administrator saw:
    /// otherwise nothing is written and the refusal names who changed it last and when. A change committed by someone
    /// else between the check and the save fails Identity's own concurrency check and is refused the same way.
    /// </summary>
    private async Task<AccountResult> ChangeAsync(string userId, string? version, Func<ApplicationUser, Task<AccountResult>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail("", "账号不存在");
        }
        if (!string.Equals(user.ConcurrencyStamp, version, StringComparison.Ordinal))
        {
            return await StaleAsync(userId, cancellationToken);
        }
        var result = await change(user);
        if (result.IsStale)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await StaleAsync(userId, cancellationToken);
        }
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return result; // a refusal rolls back whatever the change had written before it
    }

    /// <summary>Names who changed the account last and when (China time), from the audit log.</summary>
    private async Task<AccountResult> StaleAsync(string userId, CancellationToken cancellationToken)
    {
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(ApplicationUser) && e.EntityId == userId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.ActorName, e.ActorUserName, e.At })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return AccountResult.Stale("该账号已被他人修改，本次操作未生效；请查看最新状态后重试");
        }
        var who = last.ActorUserName is { Length: > 0 } userName && userName != last.ActorName ? $"{last.ActorName}（{userName}）" : last.ActorName;
        var when = WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return AccountResult.Stale($"该账号已被{who}于{when}修改，本次操作未生效；请查看最新状态后重试");
    }

    /// <summary>Null when Identity accepted the change; a refusal by field otherwise (stale when its concurrency check failed).</summary>
    private static AccountResult? Refused(IdentityResult result, string field) =>
        result.Succeeded ? null
        : result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)) ? AccountResult.Stale("")
        : Failed(result, field);

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
