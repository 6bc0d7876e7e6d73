using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GridGov.Domain.Common;

namespace GridGov.Application.Hotline;

/// <summary>
/// Both directions are signed alike: <c>X-Hotline-Timestamp</c> carries Unix seconds and <c>X-Hotline-Signature</c> carries
/// <c>sha256=</c> + the lowercase hex HMAC-SHA256, under the shared secret, of the timestamp, a dot and the raw body bytes.
/// The timestamp is inside the signed text so that an old body cannot be replayed under a fresh timestamp; a timestamp
/// further than the allowed skew from our clock is refused, and the comparison takes the same time whatever the bytes.
/// </summary>
public static class HotlineSignature
{
    public const string TimestampHeader = "X-Hotline-Timestamp";
    public const string SignatureHeader = "X-Hotline-Signature";
    public const string Scheme = "sha256=";

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body) =>
        Scheme + Convert.ToHexStringLower(Mac(secret, timestamp, body));

    public static string Timestamp(DateTimeOffset now) => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Refuses (<c>hotline.signature-*</c>, <c>hotline.timestamp-stale</c>) a request whose signature or timestamp does not hold.</summary>
    public static void Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxSkew)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw new DomainException("hotline.not-configured", "本系统尚未配置12345热线共享密钥，不能接收工单");
        }
        if (string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            throw new DomainException("hotline.signature-missing", "缺少签名：请求头应带X-Hotline-Timestamp和X-Hotline-Signature");
        }
        if (!long.TryParse(timestamp.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new DomainException("hotline.timestamp-invalid", "X-Hotline-Timestamp应为Unix时间戳（秒）");
        }
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((at - now).Duration() > maxSkew)
        {
            throw new DomainException("hotline.timestamp-stale", "请求时间戳与本系统时间相差过大（可能是重放的旧请求），已拒绝");
        }
        var text = signature.Trim();
        byte[] given;
        try
        {
            given = text.StartsWith(Scheme, StringComparison.Ordinal) ? Convert.FromHexString(text[Scheme.Length..]) : [];
        }
        catch (FormatException)
        {
            given = [];
        }
        if (!CryptographicOperations.FixedTimeEquals(given, Mac(secret, timestamp.Trim(), body)))
        {
            throw new DomainException("hotline.signature-invalid", "签名无效：请用共享密钥对“时间戳.请求体”计算HMAC-SHA256");
        }
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
