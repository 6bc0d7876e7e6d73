using System.Text.Json;
using GridGov.Application.Ledgers.Import;
using Microsoft.Extensions.Options;

namespace GridGov.Infrastructure.Imports;

/// <summary>
/// Uploads waiting for their dry run and import, as files named by a random token: {token}.xlsx (the upload as sent),
/// {token}.json (kind, name, owner, the dry run's row count) and {token}.refused.xlsx. Files older than
/// <see cref="LedgerImportOptions.KeepHours"/> are swept at the next upload. Point every app instance at one folder.
/// </summary>
internal sealed class FileSystemLedgerImportFiles(IOptions<LedgerImportOptions> options, TimeProvider clock) : ILedgerImportFiles
{
    private string Folder => Path.GetFullPath(options.Value.Path is { Length: > 0 } path ? path : Path.Combine(Path.GetTempPath(), "gridgov-imports"));

    public async Task<ImportUpload> SaveAsync(ImportUpload upload, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        Sweep();
        var path = PathOf(upload.Token, ".xlsx");
        long bytes = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                // Stop one chunk past the limit: an oversized upload is refused without being read to its end.
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += read;
                    if (bytes > maxBytes)
                    {
                        break;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (bytes > maxBytes)
            {
                throw LedgerImportRefusals.TooLarge((int)(maxBytes / 1024 / 1024));
            }
            upload = upload with { Bytes = bytes };
            await UpdateAsync(upload, cancellationToken);
            return upload;
        }
        catch
        {
            Discard(upload.Token);
            throw;
        }
    }

    public async Task<ImportUpload?> FindAsync(Guid token, CancellationToken cancellationToken)
    {
        var path = PathOf(token, ".json");
        if (!File.Exists(path) || !File.Exists(PathOf(token, ".xlsx")))
        {
            return null;
        }
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ImportUpload>(file, cancellationToken: cancellationToken);
    }

    public async Task UpdateAsync(ImportUpload upload, CancellationToken cancellationToken)
    {
        var path = PathOf(upload.Token, ".json");
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(upload), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Stream OpenUpload(Guid token) =>
        new FileStream(PathOf(token, ".xlsx"), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    public Stream CreateRefused(Guid token) =>
        new FileStream(PathOf(token, ".refused.xlsx"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);

    public Stream? OpenRefused(Guid token) =>
        File.Exists(PathOf(token, ".refused.xlsx")) ? File.OpenRead(PathOf(token, ".refused.xlsx")) : null;

    public void Discard(Guid token)
    {
        foreach (var suffix in new[] { ".xlsx", ".json", ".refused.xlsx" })
        {
            TryDelete(PathOf(token, suffix));
        }
    }

    private string PathOf(Guid token, string suffix) => Path.Combine(Folder, token.ToString("N") + suffix);

    private void Sweep()
    {
        var before = clock.GetUtcNow().UtcDateTime.AddHours(-Math.Max(1, options.Value.KeepHours));
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            if (File.GetLastWriteTimeUtc(file) < before)
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open (a download in progress): the next sweep takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
