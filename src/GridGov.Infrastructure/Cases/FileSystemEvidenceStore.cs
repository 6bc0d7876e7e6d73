using System.Security.Cryptography;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using Microsoft.Extensions.Options;

namespace GridGov.Infrastructure.Cases;

public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>Folder for evidence files (run.sh uses .data/evidence in the repository).</summary>
    public string Path { get; set; } = System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "GridGov", "evidence");
}

/// <summary>
/// Stores each file once under its SHA-256 (ab/cdef…), so the same photo uploaded twice is kept once
/// and a file that is written but whose transition then fails is harmless.
/// </summary>
internal sealed class FileSystemEvidenceStore(IOptions<EvidenceOptions> options) : IEvidenceStore
{
    public async Task<CaseEvidence> StoreAsync(EvidenceUpload upload, CancellationToken cancellationToken = default)
    {
        var fileName = System.IO.Path.GetFileName(upload.FileName ?? "").Trim();
        if (fileName.Length == 0)
        {
            fileName = "photo";
        }
        if (fileName.Length > CaseEvidence.FileNameMaxLength)
        {
            fileName = fileName[^CaseEvidence.FileNameMaxLength..];
        }
        // Read at most one byte past the limit, so an oversized upload is refused without reading it all.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.Content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > EvidenceFiles.MaxBytes)
            {
                break;
            }
        }
        EvidenceFiles.RequireSize(buffer.Length, fileName);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var contentType = EvidenceFiles.RequireImage(bytes.Span, fileName);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var path = PathOf(hash);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes.ToArray(), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        return new CaseEvidence(hash, contentType, buffer.Length, fileName);
    }

    public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken = default)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            return Task.FromResult<Stream?>(null);
        }
        var path = PathOf(sha256);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    private string PathOf(string hash) =>
        System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.Path), hash[..2], hash[2..]);
}
