using System.Text;

namespace Eval360.Results;

/// <summary>
/// A run's <c>run.log</c>: one line per logged event, appended (a resumed run goes on in the same file) and flushed at
/// once, so a crash keeps every line written before it. Bounded: past <see cref="MaxBytes"/> the file becomes
/// <c>run.log.1</c> (replacing an older one) and a new <c>run.log</c> starts, so a run keeps at most twice that, and
/// always its latest lines. Writing never fails the run: after an I/O error the log stops and says why once.
/// </summary>
internal sealed class RunLogFile : IDisposable
{
    public const string FileName = "run.log";

    /// <summary>The size at which <c>run.log</c> is set aside as <c>run.log.1</c>: 10 MiB.</summary>
    public const long MaxBytes = 10 * 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _gate = new();
    private readonly string _path;
    private readonly long _maxBytes;
    private StreamWriter? _writer;
    private long _size;

    /// <param name="maxBytes">The bound (<see cref="MaxBytes"/>; smaller in tests).</param>
    public RunLogFile(string path, long maxBytes = MaxBytes)
    {
        _path = path;
        _maxBytes = maxBytes;
        _writer = Open(path, out _size);
    }

    /// <summary>Why the log stopped being written (an I/O error); null while it is written.</summary>
    public string? Failure { get; private set; }

    public void Write(string line)
    {
        lock (_gate)
        {
            if (_writer is null)
            {
                return;
            }

            try
            {
                long bytes = Utf8.GetByteCount(line) + 1;
                if (_size > 0 && _size + bytes > _maxBytes)
                {
                    _writer.Dispose();
                    File.Move(_path, _path + ".1", overwrite: true);
                    _writer = Open(_path, out _size);
                    Append($"({FileName} reached {(_maxBytes >= 1 << 20 ? $"{_maxBytes >> 20} MiB" : $"{_maxBytes >> 10} KiB")}: the earlier lines are in {FileName}.1)");
                }

                Append(line);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Failure = $"{_path} could not be written: {e.Message}";
                _writer?.Dispose();
                _writer = null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void Append(string line)
    {
        _writer!.Write(line);
        _writer.Write('\n');
        _writer.Flush();
        _size += Utf8.GetByteCount(line) + 1;
    }

    private static StreamWriter Open(string path, out long size)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        size = stream.Length;
        return new StreamWriter(stream, Utf8);
    }
}
