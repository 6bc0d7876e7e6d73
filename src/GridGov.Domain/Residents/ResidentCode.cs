using System.Security.Cryptography;
using System.Text;
using GridGov.Domain.Common;

namespace GridGov.Domain.Residents;

/// <summary>
/// A one-time code (短信验证码) that confirms a resident's phone: six digits sent by SMS, kept only as a salted
/// HMAC-SHA256 (the digits never reach the database), valid for a few minutes and a few tries, used once.
/// </summary>
public class ResidentCode
{
    public const int Digits = 6;
    public const int SaltBytes = 16;
    public const int HashBytes = 32;
    public const int ClientAddressMaxLength = 64;

    private ResidentCode()
    {
        Phone = ClientAddress = "";
        SecretSalt = SecretHash = [];
    }

    private ResidentCode(string phone, string clientAddress, byte[] salt, byte[] hash, DateTimeOffset now, TimeSpan lifetime)
    {
        Phone = phone;
        ClientAddress = clientAddress.Length > ClientAddressMaxLength ? clientAddress[..ClientAddressMaxLength] : clientAddress;
        SecretSalt = salt;
        SecretHash = hash;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
    }

    public long Id { get; private set; }
    public string Phone { get; private set; }
    /// <summary>The client address that asked for it (the per-address daily cap counts these).</summary>
    public string ClientAddress { get; private set; }
    /// <summary>Named Secret… so that the audit log redacts it (AuditInterceptor).</summary>
    public byte[] SecretSalt { get; private set; }
    public byte[] SecretHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>Wrong codes typed against this one.</summary>
    public int FailedAttempts { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>A new code for <paramref name="phone"/>: the row to keep and the digits to send (never stored).</summary>
    public static (ResidentCode Code, string Digits) Issue(string phone, string clientAddress, DateTimeOffset now, TimeSpan lifetime)
    {
        var confirmed = Common.Phone.Require(phone, DomainFields.ResidentPhone);
        if (!IsMobile(confirmed))
        {
            throw DomainException.For(DomainFields.ResidentPhone, "resident.phone-not-mobile", "请填写11位手机号码，验证码通过短信发送");
        }
        var digits = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (new ResidentCode(confirmed, clientAddress, salt, HashOf(salt, digits), now, lifetime), digits);
    }

    public static bool IsMobile(string phone) => phone.Length == 11 && phone[0] == '1';

    public bool IsOpen(DateTimeOffset now, int maxAttempts) => ConfirmedAt is null && now < ExpiresAt && FailedAttempts < maxAttempts;

    /// <summary>
    /// Checks the typed digits: right and in time confirms the phone (once); wrong counts an attempt. The refusals say
    /// why (expired, used up, wrong with the tries left) without ever saying what the code was.
    /// </summary>
    public void Confirm(string? typed, DateTimeOffset now, int maxAttempts)
    {
        if (ConfirmedAt is not null)
        {
            throw DomainException.For(DomainFields.ResidentCode, "resident.code-used", "验证码已使用过，请重新获取");
        }
        if (now >= ExpiresAt)
        {
            throw DomainException.For(DomainFields.ResidentCode, "resident.code-expired", "验证码已过期，请重新获取");
        }
        if (FailedAttempts >= maxAttempts)
        {
            throw DomainException.For(DomainFields.ResidentCode, "resident.code-attempts", "验证码输错次数过多，请重新获取");
        }
        var candidate = (typed ?? "").Trim();
        if (candidate.Length != Digits || !candidate.All(char.IsAsciiDigit)
            || !CryptographicOperations.FixedTimeEquals(HashOf(SecretSalt, candidate), SecretHash))
        {
            FailedAttempts++;
            var left = maxAttempts - FailedAttempts;
            throw left > 0
                ? DomainException.For(DomainFields.ResidentCode, "resident.code-wrong", $"验证码不正确，还可以再试{left}次", left)
                : DomainException.For(DomainFields.ResidentCode, "resident.code-attempts", "验证码输错次数过多，请重新获取");
        }
        ConfirmedAt = now;
    }

    private static byte[] HashOf(byte[] salt, string digits) => HMACSHA256.HashData(salt, Encoding.ASCII.GetBytes(digits));
}
