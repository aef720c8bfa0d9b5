namespace Eval360.Dashboard.Hosting;

/// <summary>
/// One dashboard per data folder: a lock file held open exclusively for the dashboard's lifetime, so a second one on
/// the same folder stops at once instead of running the same queue twice. The operating system releases it when the
/// process ends, however it ends.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _stream;

    private DataFolderLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock; null when another process holds it.</summary>
    public static DataFolderLock? TryTake(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        try
        {
            var stream = new FileStream(Path.Combine(dataPath, "dashboard.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataFolderLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
