using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Domain.Open311;

/// <summary>
/// A key an administrator issued to another system (a city app, FixMyStreet, a vendor's client) for posting service requests
/// through Open311 GeoReport v2. Only the SHA-256 of the secret is kept, with its first characters to tell keys apart; the
/// key itself is shown once, when issued. A key is revoked, never deleted: its cases keep the client's name.
/// </summary>
public class Open311ApiKey : Entity
{
    public const int ClientNameMaxLength = 60;
    public const int PrefixLength = 10;
    public const int SecretHashLength = 64;
    public const int ActorNameMaxLength = Case.NameMaxLength;
    public const int RevokeReasonMaxLength = 200;

    private Open311ApiKey()
    {
        ClientName = Prefix = SecretHash = IssuedByName = "";
    }

    private Open311ApiKey(string clientName, string prefix, string secretHash, CaseActor issuer, DateTimeOffset now)
    {
        ClientName = clientName;
        Prefix = prefix;
        SecretHash = secretHash;
        IssuedAt = now;
        IssuedByStaffId = issuer.StaffMemberId;
        IssuedByName = Cut(issuer.Name, ActorNameMaxLength);
    }

    /// <summary>Who uses the key (e.g. 市民通App): shown on the admin page and on the cases the key posts.</summary>
    public string ClientName { get; private set; }
    /// <summary>The key's first characters, to recognise it on the admin page.</summary>
    public string Prefix { get; private set; }
    /// <summary>SHA-256 of the whole key, lowercase hex.</summary>
    public string SecretHash { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public int? IssuedByStaffId { get; private set; }
    public string IssuedByName { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public int? RevokedByStaffId { get; private set; }
    public string? RevokedByName { get; private set; }
    public string? RevokeReason { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public static Open311ApiKey Issue(string? clientName, string prefix, string secretHash, CaseActor issuer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var name = Text.Require(clientName, ClientNameMaxLength, DomainFields.Open311ClientName);
        if (prefix.Length != PrefixLength || secretHash.Length != SecretHashLength)
        {
            throw new ArgumentException("A key is stored as its prefix and its SHA-256 in hex.");
        }
        return new Open311ApiKey(name, prefix, secretHash, issuer, now);
    }

    public void Revoke(CaseActor actor, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (IsRevoked)
        {
            throw new DomainException("open311.key-already-revoked", "该密钥已被吊销");
        }
        RevokeReason = Text.Optional(reason, RevokeReasonMaxLength, DomainFields.Open311RevokeReason);
        RevokedAt = now;
        RevokedByStaffId = actor.StaffMemberId;
        RevokedByName = Cut(actor.Name, ActorNameMaxLength);
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
