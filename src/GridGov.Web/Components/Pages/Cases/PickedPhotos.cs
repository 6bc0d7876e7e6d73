using GridGov.Application.Cases;
using GridGov.Domain.Common;
using Microsoft.AspNetCore.Components.Forms;

namespace GridGov.Web.Components.Pages.Cases;

/// <summary>A photo taken in: its checked bytes wait in a temporary file until the report is sent.</summary>
public sealed record PickedPhoto(string FileName, long Size, string ContentType, string Path, string? Thumbnail);

/// <summary>
/// The photos of one report form, taken in as soon as they are picked: each is streamed through the circuit in chunks
/// (never one hub message), checked (size, count, image signature) and kept in a temporary file on the server, so a form
/// the server refuses keeps them, and nothing big stays in the circuit's memory. Deleted with the form.
/// </summary>
public sealed class PickedPhotos : IAsyncDisposable
{
    public const int Max = 9;

    private const int ThumbnailPixels = 160;
    private const long ThumbnailMaxBytes = 64 * 1024;

    private readonly List<PickedPhoto> _photos = [];
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gridgov-report-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<PickedPhoto> Items => _photos;

    public int Count => _photos.Count;

    /// <summary>Takes in what was picked; returns the reasons for the files refused, as <paramref name="describe"/> words them (the others are kept).</summary>
    public async Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<IBrowserFile> files, Func<int, int, string> tooMany, Func<DomainException, string> describe, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var room = Max - _photos.Count;
        if (files.Count > room)
        {
            problems.Add(tooMany(Max, _photos.Count + files.Count));
        }
        foreach (var file in files.Take(Math.Max(room, 0)))
        {
            var name = System.IO.Path.GetFileName(file.Name);
            if (Infrastructure.ControlCharacterGuard.IsRefused(name))
            {
                name = string.Concat(name.Where(c => !char.IsControl(c)));
            }
            try
            {
                EvidenceFiles.RequireSize(file.Size, name);
                _photos.Add(await TakeAsync(file, name, cancellationToken));
            }
            catch (DomainException exception)
            {
                problems.Add(describe(exception));
            }
        }
        return problems;
    }

    public void Remove(PickedPhoto photo)
    {
        if (_photos.Remove(photo))
        {
            File.Delete(photo.Path);
        }
    }

    /// <summary>Fresh streams over the kept files, for one attempt to send the report; the caller disposes them.</summary>
    public List<EvidenceUpload> Uploads() =>
        [.. _photos.Select(p => new EvidenceUpload(p.FileName, new FileStream(p.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true)))];

    private async Task<PickedPhoto> TakeAsync(IBrowserFile file, string name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var path = System.IO.Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        string contentType;
        long size;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, useAsync: true))
            {
                // One byte over the limit so a file that lies about its size is still caught.
                await using var source = file.OpenReadStream(EvidenceFiles.MaxBytes + 1, cancellationToken);
                await source.CopyToAsync(target, cancellationToken);
                size = target.Length;
                EvidenceFiles.RequireSize(size, name);
                target.Position = 0;
                var head = new byte[16];
                var read = await target.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                contentType = EvidenceFiles.RequireImage(head.AsSpan(0, read), name);
            }
        }
        catch (IOException)
        {
            File.Delete(path);
            throw new DomainException("evidence.too-large", $"文件“{name}”超过10MB，请压缩后再上传") { Field = DomainFields.Photos.Name, Arguments = [name] };
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new PickedPhoto(name, size, contentType, path, await ThumbnailAsync(file, cancellationToken));
    }

    /// <summary>A small preview the browser scales down itself; none where it cannot (the name is shown instead).</summary>
    private static async Task<string?> ThumbnailAsync(IBrowserFile file, CancellationToken cancellationToken)
    {
        try
        {
            var small = await file.RequestImageFileAsync("image/jpeg", ThumbnailPixels, ThumbnailPixels);
            await using var stream = small.OpenReadStream(ThumbnailMaxBytes, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.Length > 0 ? "data:image/jpeg;base64," + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length) : null;
        }
#pragma warning disable CA1031 // a preview is a nicety: any failure only costs the thumbnail
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still open by a send in flight: the temp folder is the OS's to clean.
        }
        _photos.Clear();
        return ValueTask.CompletedTask;
    }
}
