using System.Security.Cryptography;
using System.Text;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Open311;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Open311;

/// <summary>One key as the admin page lists it: never the key itself, only its first characters.</summary>
public sealed record Open311KeyRow(int Id, string ClientName, string Prefix, DateTimeOffset IssuedAt, string IssuedByName,
    DateTimeOffset? RevokedAt, string? RevokedByName, string? RevokeReason);

/// <summary>A key just issued: <see cref="Key"/> is shown to the administrator once and kept nowhere.</summary>
public sealed record IssuedOpen311Key(int Id, string ClientName, string Key);

/// <summary>The client behind a valid key of a post.</summary>
public sealed record Open311Client(int KeyId, string ClientName);

/// <summary>
/// The API keys of Open311 clients (接入方): an administrator issues one (the key is shown once; only its SHA-256 is stored)
/// and revokes it; a post is let through only with a key that is issued and not revoked. Issue and revoke are written to
/// the audit log by the database context, like any other save (the hash redacted).
/// </summary>
public sealed partial class Open311Keys(IGridGovDbContext db, TimeProvider clock, ILogger<Open311Keys> logger)
{
    /// <summary>What every key starts with, so that one found in a log or a repository is recognised for what it is.</summary>
    public const string KeyStart = "gg311_";

    public const string MissingCode = "open311.key-missing";
    public const string InvalidCode = "open311.key-invalid";
    public const string RevokedCode = "open311.key-revoked";

    /// <summary>Longer than any key issued: a longer value is refused before it is hashed.</summary>
    public const int KeyMaxLength = 100;

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("open311.admin-only", "只有系统管理员可以签发和吊销Open311接入密钥");
        }
    }

    public async Task<IReadOnlyList<Open311KeyRow>> ListAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        return await db.Open311ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.IssuedAt).ThenByDescending(k => k.Id)
            .Select(k => new Open311KeyRow(k.Id, k.ClientName, k.Prefix, k.IssuedAt, k.IssuedByName, k.RevokedAt, k.RevokedByName, k.RevokeReason))
            .ToListAsync(cancellationToken);
    }

    public async Task<IssuedOpen311Key> IssueAsync(string? clientName, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var key = KeyStart + Base64Url(RandomNumberGenerator.GetBytes(32));
        var issued = Open311ApiKey.Issue(clientName, key[..Open311ApiKey.PrefixLength], Hash(key), actor, clock.GetUtcNow());
        if (await db.Open311ApiKeys.AnyAsync(k => k.ClientName == issued.ClientName && k.RevokedAt == null, cancellationToken))
        {
            throw DomainException.For(DomainFields.Open311ClientName, "open311.client-name-taken",
                $"接入方「{issued.ClientName}」已有一把有效密钥；如需更换，请先吊销旧密钥", issued.ClientName);
        }
        db.Open311ApiKeys.Add(issued);
        await db.SaveChangesAsync(cancellationToken);
        LogIssued(issued.Id, issued.ClientName, issued.Prefix, actor.Name);
        return new IssuedOpen311Key(issued.Id, issued.ClientName, key);
    }

    public async Task RevokeAsync(int keyId, string? reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var key = await db.Open311ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken)
            ?? throw new DomainException("open311.key-not-found", "该密钥不存在");
        key.Revoke(actor, reason, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("open311.key-already-revoked", "该密钥已被吊销");
        }
        LogRevoked(key.Id, key.ClientName, actor.Name);
    }

    /// <summary>The client a post's key belongs to; refused (403 in the GeoReport error format) when missing, unknown or revoked.</summary>
    public async Task<Open311Client> RequireClientAsync(string? apiKey, CancellationToken cancellationToken = default)
    {
        var key = apiKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            throw new DomainException(MissingCode, "缺少api_key：提交服务请求须使用管理员签发的接入密钥");
        }
        var hash = key.Length <= KeyMaxLength ? Hash(key) : "";
        var found = await db.Open311ApiKeys.AsNoTracking().Where(k => k.SecretHash == hash)
            .Select(k => new { k.Id, k.ClientName, k.RevokedAt }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            LogUnknownKey(key.Length > 6 ? key[..6] : key);
            throw new DomainException(InvalidCode, "api_key无效，无法提交服务请求");
        }
        if (found.RevokedAt is not null)
        {
            LogRevokedKeyUsed(found.Id, found.ClientName);
            throw new DomainException(RevokedCode, "该api_key已被吊销，无法提交服务请求");
        }
        return new Open311Client(found.Id, found.ClientName);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 key {KeyId} ({Prefix}…) issued to {ClientName} by {Actor}")]
    private partial void LogIssued(int keyId, string clientName, string prefix, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 key {KeyId} of {ClientName} revoked by {Actor}")]
    private partial void LogRevoked(int keyId, string clientName, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open311 post with an unknown api_key starting {Start}")]
    private partial void LogUnknownKey(string start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open311 post with the revoked key {KeyId} of {ClientName}")]
    private partial void LogRevokedKeyUsed(int keyId, string clientName);
}
