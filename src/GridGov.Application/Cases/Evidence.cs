using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Application.Cases;

/// <summary>A file as it arrives from a form or API, before it is checked and stored.</summary>
public sealed record EvidenceUpload(string FileName, Stream Content);

/// <summary>Stores evidence files by content hash (configurable folder in Infrastructure).</summary>
public interface IEvidenceStore
{
    /// <summary>Checks the file by its content and stores it; refuses a bad file with a Chinese message.</summary>
    Task<CaseEvidence> StoreAsync(EvidenceUpload upload, CancellationToken cancellationToken = default);

    Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken = default);
}

/// <summary>What a photo may be: JPEG, PNG or WebP up to 10 MB, recognised by its bytes, not its name.</summary>
public static class EvidenceFiles
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>The content type for a recognised image signature, or null.</summary>
    public static string? DetectImageType(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }
        if (head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }

    /// <summary>The content type of an image recognised by its first bytes; anything else is refused naming the file.</summary>
    public static string RequireImage(ReadOnlySpan<byte> head, string fileName) =>
        DetectImageType(head) ?? throw new DomainException("evidence.type", $"文件“{fileName}”不是JPEG、PNG或WebP图片") { Field = DomainFields.Photos.Name, Arguments = [fileName] };

    public static void RequireSize(long length, string fileName)
    {
        if (length == 0)
        {
            throw new DomainException("evidence.empty", $"文件“{fileName}”是空文件") { Field = DomainFields.Photos.Name, Arguments = [fileName] };
        }
        if (length > MaxBytes)
        {
            throw new DomainException("evidence.too-large", $"文件“{fileName}”超过10MB，请压缩后再上传") { Field = DomainFields.Photos.Name, Arguments = [fileName] };
        }
    }
}
