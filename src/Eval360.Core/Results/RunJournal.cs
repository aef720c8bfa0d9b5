using System.Buffers;
using System.Text.Json;

namespace Eval360.Results;

/// <summary>
/// The run's source of truth: one JSON line per finished invocation, appended and flushed to the operating system
/// before the result is shown to anyone (so a killed process loses nothing it reported), and forced to disk every
/// second and on close. A torn last line — power lost mid-write — is detected and ignored on read, and cut off
/// before anything more is appended.
/// </summary>
internal sealed class RunJournal : IDisposable
{
    public const string FileName = "journal.jsonl";

    private static readonly TimeSpan DiskSyncInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;
    private long _lastDiskSync = Environment.TickCount64;

    private RunJournal(FileStream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Opens for appending, first cutting off a torn final line if the last write never finished.</summary>
    public static RunJournal Open(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        stream.SetLength(CompleteLength(stream));
        stream.Seek(0, SeekOrigin.End);
        return new RunJournal(stream);
    }

    public void Append(InvocationResult result)
    {
        _writer.Reset();
        JsonSerializer.Serialize(_writer, result, ResultJsonContext.Default.InvocationResult);
        _writer.Flush();
        _buffer.Write("\n"u8);
    }

    /// <summary>Writes what was appended to the operating system (survives a killed process), and to disk each second.</summary>
    public void Flush()
    {
        if (_buffer.WrittenCount > 0)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }

        if (Environment.TickCount64 - _lastDiskSync >= DiskSyncInterval.TotalMilliseconds)
        {
            _stream.Flush(flushToDisk: true);
            _lastDiskSync = Environment.TickCount64;
        }
    }

    public void Dispose()
    {
        Flush();
        _stream.Flush(flushToDisk: true);
        _writer.Dispose();
        _stream.Dispose();
    }

    /// <summary>
    /// Streams the journal one result at a time (memory stays flat whatever its length); counts unreadable lines in
    /// <paramref name="scan"/>. A file whose first line is not a result is not a journal at all, and throws
    /// <see cref="InvalidDataException"/> naming it and what it seems to be, before anything is returned.
    /// </summary>
    public static IEnumerable<InvocationResult> Scan(string path, ResultScan scan)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        using var reader = new StreamReader(stream);
        string? line;
        int number = 0;
        bool first = true;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            InvocationResult? result = null;
            try
            {
                result = JsonSerializer.Deserialize(line, ResultJsonContext.Default.InvocationResult);
            }
            catch (JsonException)
            {
                // Only a last line can be torn; a first line that is not JSON, with more after it, is not a journal's.
                if (first && reader.Peek() >= 0)
                {
                    throw NotAJournal(path, number, line, "is not JSON");
                }
            }

            if (result is not null && result.ModelId.Length == 0)
            {
                if (first)
                {
                    throw NotAJournal(path, number, line, "is not an Eval360 result (it has no ModelId)");
                }

                result = null;
            }

            first = false;
            if (result is null)
            {
                scan.Unreadable++;
                continue;
            }

            yield return result;
        }
    }

    private static InvalidDataException NotAJournal(string path, int line, string text, string problem)
    {
        var looksLike = text.Contains("\"model_id\"", StringComparison.Ordinal) ? " It looks like a model or judge profile."
            : text.Contains("\"text_prompt\"", StringComparison.Ordinal) ? " It looks like a scenario file."
            : string.Empty;
        return new InvalidDataException(
            $"{path} is not an Eval360 journal: line {line} {problem}.{looksLike} Expected a run directory, its {FileName} or its {InvocationCsv.FileName}.");
    }

    /// <summary>The length up to and including the last newline: what the journal holds of complete lines.</summary>
    private static long CompleteLength(FileStream stream)
    {
        long length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        var buffer = new byte[64 * 1024];
        long position = length;
        while (position > 0)
        {
            int count = (int)Math.Min(buffer.Length, position);
            position -= count;
            stream.Seek(position, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, count);
            int newline = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (newline >= 0)
            {
                return position + newline + 1;
            }
        }

        return 0;
    }
}
