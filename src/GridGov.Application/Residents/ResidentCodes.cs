using GridGov.Application.Common;
using GridGov.Application.Notifications;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Residents;

/// <summary>A code went out: where (masked) and until when it is valid.</summary>
public sealed record ResidentCodeSent(string MaskedPhone, DateTimeOffset ExpiresAt);

/// <summary>
/// One-time codes (短信验证码) that confirm a resident's phone. A code is six digits, stored hashed, valid
/// <see cref="ResidentOptions.CodeLifetimeSeconds"/>, for <see cref="ResidentOptions.CodeMaxAttempts"/> tries; one per phone
/// per <see cref="ResidentOptions.CodeResendSeconds"/>, at most <see cref="ResidentOptions.CodesPerPhonePerDay"/> a day per
/// phone and <see cref="ResidentOptions.CodesPerAddressPerDay"/> per client address. It goes out at once by the SMS sender
/// the administrator configured (<see cref="NotificationOutbox.SendNowAsync"/>), never behind the outbox's notices and
/// never under the notices' daily cap; its record is kept without the digits.
/// </summary>
public sealed partial class ResidentCodes(IGridGovDbContext db, NotificationOutbox outbox, IOptions<ResidentOptions> options, TimeProvider clock,
    ILogger<ResidentCodes> logger)
{
    private ResidentOptions Options => options.Value;

    public async Task<ResidentCodeSent> RequestAsync(string? phone, string clientAddress, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var (code, digits) = ResidentCode.Issue(phone ?? "", clientAddress, now, Options.CodeLifetime);
        await using (var transaction = await db.BeginTransactionAsync(cancellationToken))
        {
            // Two requests for one phone at the same moment take turns, so the once-a-minute rule holds.
            await db.LockAsync("resident-code:" + code.Phone, cancellationToken);
            var dayStart = ChinaDayStart(now);
            var last = await db.ResidentCodes.Where(c => c.Phone == code.Phone).OrderByDescending(c => c.CreatedAt).Select(c => (DateTimeOffset?)c.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (last is { } previous && now < previous + Options.CodeResend)
            {
                var wait = (int)Math.Ceiling((previous + Options.CodeResend - now).TotalSeconds);
                throw DomainException.For(DomainFields.ResidentPhone, "resident.code-too-soon", $"验证码已发送，请{wait}秒后再获取", wait);
            }
            if (await db.ResidentCodes.CountAsync(c => c.Phone == code.Phone && c.CreatedAt >= dayStart, cancellationToken) >= Options.CodesPerPhonePerDay)
            {
                throw DomainException.For(DomainFields.ResidentPhone, "resident.code-phone-cap", "该手机号今天获取验证码的次数已达上限，请明天再试");
            }
            if (await db.ResidentCodes.CountAsync(c => c.ClientAddress == code.ClientAddress && c.CreatedAt >= dayStart, cancellationToken) >= Options.CodesPerAddressPerDay)
            {
                LogAddressCapped(code.ClientAddress);
                throw new DomainException("resident.code-address-cap", "当前网络今天获取验证码的次数已达上限，请明天再试");
            }
            db.ResidentCodes.Add(code);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var minutes = Math.Max(1, (int)Options.CodeLifetime.TotalMinutes);
        var message = Notification.ResidentCode(code.Phone, $"您的验证码是{digits}，{minutes}分钟内有效，仅用于网格问题上报与查询。如非本人操作，请忽略本短信。", now);
        var sent = await outbox.SendNowAsync(message, cancellationToken);
        message.Redact(sent ? "居民验证码（内容已隐去）" : "居民验证码发送失败（内容已隐去）");
        db.Notifications.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        if (!sent)
        {
            throw new DomainException("resident.code-not-sent", "验证码短信发送失败，请稍后重试");
        }
        LogSent(Mask(code.Phone));
        return new ResidentCodeSent(Mask(code.Phone), code.ExpiresAt);
    }

    /// <summary>Confirms the phone with the digits typed; the phone as stored when they match. A wrong try is counted.</summary>
    public async Task<string> ConfirmAsync(string? phone, string? typed, CancellationToken cancellationToken = default)
    {
        var number = Phone.Require(phone ?? "", DomainFields.ResidentPhone);
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.LockAsync("resident-code:" + number, cancellationToken);
        var code = await db.ResidentCodes.Where(c => c.Phone == number).OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.For(DomainFields.ResidentCode, "resident.code-none", "请先获取验证码");
        try
        {
            code.Confirm(typed, now, Options.MaxAttempts);
        }
        catch (DomainException)
        {
            await db.SaveChangesAsync(cancellationToken); // the wrong try counts, also when the refusal ends the request
            await transaction.CommitAsync(cancellationToken);
            throw;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogConfirmed(Mask(number));
        return number;
    }

    /// <summary>138****5678: the form in every page and log line.</summary>
    public static string Mask(string phone) => phone.Length >= 7 ? $"{phone[..3]}****{phone[^4..]}" : "****";

    internal static DateTimeOffset ChinaDayStart(DateTimeOffset now) =>
        new DateTimeOffset(WorkingCalendar.ChinaDate(now).ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

    [LoggerMessage(Level = LogLevel.Information, Message = "One-time code sent to {Phone}")]
    private partial void LogSent(string phone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone {Phone} confirmed by its one-time code")]
    private partial void LogConfirmed(string phone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "One-time codes refused for client address {ClientAddress}: daily cap reached")]
    private partial void LogAddressCapped(string clientAddress);
}
