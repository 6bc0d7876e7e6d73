using System.Security.Cryptography;
using GridGov.Application.Notifications;
using Microsoft.AspNetCore.DataProtection;

namespace GridGov.Infrastructure.Notifications;

/// <summary>Senders' secrets protected with ASP.NET Data Protection (the app's key ring: DataProtection__KeysPath).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : INoticeSecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("GridGov.NoticeSenders.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
