using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Domain.Notifications;

/// <summary>
/// The sender an administrator chose for one channel, with its settings: for SMS an HTTP gateway (URL, key, sign name,
/// template ids; the way the common Chinese SMS platforms work), for e-mail an SMTP server (host, port, TLS mode, user,
/// password, from), or the log for either (the default, for the demo). The secret (gateway key, SMTP password) is kept
/// only protected (ASP.NET Data Protection); the page shows its last characters. Each save is audited (the secret redacted).
/// </summary>
public class NoticeSender
{
    public const int UrlMaxLength = 300;
    public const int SignNameMaxLength = 20;
    public const int TemplateIdMaxLength = 50;
    public const int HostMaxLength = 200;
    public const int UserMaxLength = 100;
    public const int FromNameMaxLength = 60;
    public const int SecretMaxLength = 200;
    public const int ProtectedSecretMaxLength = 2000;
    public const int SecretHintLength = 4;
    public const int ActorNameMaxLength = Case.NameMaxLength;
    public const int DefaultDailyCap = 10;
    public const int MaxDailyCap = 1000;

    private NoticeSender()
    {
        UpdatedByName = "";
    }

    private NoticeSender(NotificationChannel channel)
    {
        Channel = channel;
        Kind = NoticeSenderKind.Log;
        DailyCap = DefaultDailyCap;
        SmtpTls = SmtpTlsMode.StartTls;
        UpdatedByName = "";
    }

    /// <summary>What a channel uses before an administrator configures it: the log, with the default cap.</summary>
    public static NoticeSender Default(NotificationChannel channel) => new(channel);

    public NotificationChannel Channel { get; private set; }
    public NoticeSenderKind Kind { get; private set; }
    /// <summary>Messages per recipient (phone or address) per China day; more are recorded as capped.</summary>
    public int DailyCap { get; private set; }

    public string? GatewayUrl { get; private set; }
    public string? SignName { get; private set; }
    /// <summary>The gateway's template for staff work messages (dispatches, deadlines): one parameter, content.</summary>
    public string? StaffTemplateId { get; private set; }
    /// <summary>The gateway's template for notices to residents: one parameter, content.</summary>
    public string? NoticeTemplateId { get; private set; }

    public string? SmtpHost { get; private set; }
    public int? SmtpPort { get; private set; }
    public SmtpTlsMode SmtpTls { get; private set; }
    public string? SmtpUser { get; private set; }
    public string? FromAddress { get; private set; }
    public string? FromName { get; private set; }

    /// <summary>The gateway key or SMTP password, protected by ASP.NET Data Protection; never shown back.</summary>
    public string? ProtectedSecret { get; private set; }
    /// <summary>The secret's last characters, so that an administrator recognises which one is set.</summary>
    public string? SecretHint { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }
    public int? UpdatedByStaffId { get; private set; }
    public string UpdatedByName { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public bool HasSecret => ProtectedSecret is not null;

    /// <summary>
    /// SMS through the log or an HTTP gateway. The gateway needs its URL (http or https), a key (kept when none is typed
    /// and one is set), a sign name and both template ids.
    /// </summary>
    public void ConfigureSms(NoticeSenderKind kind, int dailyCap, string? gatewayUrl, string? signName, string? staffTemplateId, string? noticeTemplateId,
        ProtectedValue? newKey, CaseActor actor, DateTimeOffset now)
    {
        RequireChannel(NotificationChannel.Sms);
        if (kind is not (NoticeSenderKind.Log or NoticeSenderKind.SmsGateway))
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice-sender.kind", "短信渠道只能使用短信网关或日志");
        }
        var cap = RequireCap(dailyCap);
        string? url = null, sign = null, staffTemplate = null, noticeTemplate = null;
        if (kind == NoticeSenderKind.SmsGateway)
        {
            url = RequireUrl(gatewayUrl);
            sign = Clean(Text.Require(signName, SignNameMaxLength, DomainFields.SenderSignName), DomainFields.SenderSignName);
            staffTemplate = Clean(Text.Require(staffTemplateId, TemplateIdMaxLength, DomainFields.SenderStaffTemplate), DomainFields.SenderStaffTemplate);
            noticeTemplate = Clean(Text.Require(noticeTemplateId, TemplateIdMaxLength, DomainFields.SenderNoticeTemplate), DomainFields.SenderNoticeTemplate);
            if (newKey is null && !HasSecret)
            {
                throw DomainException.For(DomainFields.SenderGatewayKey, "text.required", $"{DomainFields.SenderGatewayKey}不能为空");
            }
        }
        Kind = kind;
        DailyCap = cap;
        GatewayUrl = url;
        SignName = sign;
        StaffTemplateId = staffTemplate;
        NoticeTemplateId = noticeTemplate;
        SetSecret(newKey);
        Stamp(actor, now);
    }

    /// <summary>E-mail through the log or an SMTP server (host, port 1–65535, TLS mode, optional user and password, from address).</summary>
    public void ConfigureEmail(NoticeSenderKind kind, int dailyCap, string? host, int? port, SmtpTlsMode tls, string? user, string? fromAddress, string? fromName,
        ProtectedValue? newPassword, CaseActor actor, DateTimeOffset now)
    {
        RequireChannel(NotificationChannel.Email);
        if (kind is not (NoticeSenderKind.Log or NoticeSenderKind.Smtp))
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice-sender.kind", "邮件渠道只能使用SMTP或日志");
        }
        var cap = RequireCap(dailyCap);
        string? smtpHost = null, smtpUser = null, from = null, name = null;
        int? smtpPort = null;
        if (kind == NoticeSenderKind.Smtp)
        {
            smtpHost = Clean(Text.Require(host, HostMaxLength, DomainFields.SenderSmtpHost), DomainFields.SenderSmtpHost);
            if (smtpHost.Any(char.IsWhiteSpace) || smtpHost.Contains('/', StringComparison.Ordinal))
            {
                throw DomainException.For(DomainFields.SenderSmtpHost, "notice-sender.host", $"{DomainFields.SenderSmtpHost}格式不正确：应为主机名或IP地址，如 smtp.example.com");
            }
            smtpPort = port is >= 1 and <= 65535 ? port
                : throw DomainException.For(DomainFields.SenderSmtpPort, "notice-sender.port", $"{DomainFields.SenderSmtpPort}应在1至65535之间");
            if (!Enum.IsDefined(tls))
            {
                throw DomainException.For(DomainFields.SenderSmtpPort, "notice-sender.tls", "请选择SMTP加密方式");
            }
            smtpUser = Text.Optional(user, UserMaxLength, DomainFields.SenderSmtpUser) is { } u ? Clean(u, DomainFields.SenderSmtpUser) : null;
            from = EmailAddress.Require(fromAddress, DomainFields.SenderFromAddress);
            name = Text.Optional(fromName, FromNameMaxLength, DomainFields.SenderFromName) is { } n ? Clean(n, DomainFields.SenderFromName) : null;
        }
        Kind = kind;
        DailyCap = cap;
        SmtpHost = smtpHost;
        SmtpPort = smtpPort;
        SmtpTls = tls;
        SmtpUser = smtpUser;
        FromAddress = from;
        FromName = name;
        SetSecret(newPassword);
        Stamp(actor, now);
    }

    /// <summary>A secret as typed (checked) and as stored (protected), with its hint.</summary>
    public static void RequireSecret(string secret, DomainField field)
    {
        if (secret.Length > SecretMaxLength)
        {
            throw DomainException.For(field, "text.too-long", $"{field}不能超过{SecretMaxLength}个字", SecretMaxLength);
        }
        Clean(secret, field);
    }

    private void SetSecret(ProtectedValue? value)
    {
        if (value is null)
        {
            return;
        }
        if (value.Protected.Length > ProtectedSecretMaxLength)
        {
            throw new ArgumentException("The protected secret is longer than its column.");
        }
        ProtectedSecret = value.Protected;
        SecretHint = value.Hint;
    }

    private void Stamp(CaseActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        UpdatedAt = now;
        UpdatedByStaffId = actor.StaffMemberId;
        UpdatedByName = actor.Name.Length > ActorNameMaxLength ? actor.Name[..ActorNameMaxLength] : actor.Name;
    }

    private void RequireChannel(NotificationChannel channel)
    {
        if (Channel != channel)
        {
            throw new InvalidOperationException($"The {Channel} sender cannot be configured as {channel}.");
        }
    }

    private static int RequireCap(int cap) => cap is >= 1 and <= MaxDailyCap ? cap
        : throw DomainException.For(DomainFields.SenderDailyCap, "notice-sender.cap", $"{DomainFields.SenderDailyCap}应在1至{MaxDailyCap}条之间", MaxDailyCap);

    private static string RequireUrl(string? value)
    {
        var url = Clean(Text.Require(value, UrlMaxLength, DomainFields.SenderGatewayUrl), DomainFields.SenderGatewayUrl);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? url
            : throw DomainException.For(DomainFields.SenderGatewayUrl, "notice-sender.url", $"{DomainFields.SenderGatewayUrl}格式不正确：应为以http://或https://开头的完整地址");
    }

    private static string Clean(string value, DomainField field) => value.Any(char.IsControl)
        ? throw DomainException.For(field, "text.control", $"{field}含有不可见的控制字符，请删除后重试")
        : value;
}

/// <summary>A secret once protected for storage, with the last characters of its plain value.</summary>
public sealed record ProtectedValue(string Protected, string Hint);

public enum NoticeSenderKind
{
    /// <summary>日志（演示）</summary>
    Log,
    /// <summary>短信网关</summary>
    SmsGateway,
    /// <summary>SMTP邮件</summary>
    Smtp,
}

public enum SmtpTlsMode
{
    /// <summary>不加密</summary>
    None,
    /// <summary>STARTTLS</summary>
    StartTls,
    /// <summary>SSL/TLS直连</summary>
    SslOnConnect,
}
