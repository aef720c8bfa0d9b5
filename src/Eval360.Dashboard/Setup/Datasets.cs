using System.Collections.Concurrent;
using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Store;

namespace Eval360.Dashboard.Setup;

/// <summary>An uploaded CSV as read by the engine's CSV reader: its columns, rows and every problem with its line.</summary>
public sealed record Dataset(Upload Upload, CsvTable Table, IReadOnlyList<ConfigFinding> Problems);

/// <summary>
/// Uploads: a CSV is stored under the data folder with a generated name (its original name is only ever shown, never
/// used as a path), limited in size, and read with the engine's CSV reader, so a broken file is reported line by line.
/// </summary>
public sealed class Datasets(DashboardOptions options, EvaluationStore store)
{
    private readonly ConcurrentDictionary<string, Dataset> _read = new(StringComparer.Ordinal);

    /// <summary>Stores an upload; its problems (if any) are in the returned dataset.</summary>
    /// <exception cref="InvalidDataException">The file is empty or too large.</exception>
    public async Task<Dataset> AddAsync(string originalName, Stream content, long length, CancellationToken cancellationToken)
    {
        if (length > options.MaxUploadBytes)
        {
            throw new InvalidDataException($"{originalName} is {length / 1024 / 1024} MiB; uploads are limited to {options.MaxUploadBytes / 1024 / 1024} MiB.");
        }

        if (length == 0)
        {
            throw new InvalidDataException($"{originalName} is empty: upload a CSV with a header row and one row per prompt.");
        }

        Directory.CreateDirectory(options.UploadFolder);
        var stored = Path.Combine(options.UploadFolder, Guid.NewGuid().ToString("N") + ".csv");
        await using (var file = new FileStream(stored, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var name = Path.GetFileName(originalName.Replace('\\', '/'));
        var upload = store.AddUpload(name.Length == 0 ? "upload.csv" : name, stored, new FileInfo(stored).Length);
        return Read(upload);
    }

    /// <summary>The dataset of an upload id; null when there is no such upload (or its file is gone).</summary>
    public Dataset? Get(string? uploadId) =>
        store.GetUpload(uploadId) is { } upload && File.Exists(upload.StoredPath) ? _read.GetOrAdd(upload.Id, _ => Read(upload)) : null;

    /// <summary>Removes an upload's file and record once no evaluation uses it any more.</summary>
    public void ReleaseIfUnused(string? uploadId)
    {
        if (uploadId is null || store.IsUploadUsed(uploadId) || store.GetUpload(uploadId) is not { } upload)
        {
            return;
        }

        _read.TryRemove(uploadId, out _);
        store.DeleteUpload(uploadId);
        File.Delete(upload.StoredPath);
    }

    private static Dataset Read(Upload upload)
    {
        var findings = new List<ConfigFinding>();
        var table = CsvTable.Read(upload.StoredPath, findings, upload.OriginalName);
        if (table.Header.Count > 0 && table.Records == 0)
        {
            findings.Add(new ConfigFinding(ConfigSeverity.Error, upload.OriginalName, 0, string.Empty, "has a header but no rows: expected one row per prompt"));
        }

        return new Dataset(upload, table, findings);
    }
}
