using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>
/// Reads a JSON Lines file one object at a time, the way the seed's files are written: UTF-8 (a byte-order mark is
/// allowed), LF or CRLF line ends, blank lines ignored, no final newline required. Every problem becomes a
/// <see cref="ConfigFinding"/> naming the line; a bad line never stops the lines after it from being read.
/// </summary>
internal static class JsonlReader
{
    /// <summary>Longest line accepted. A prompt of a few hundred thousand tokens fits easily; a runaway file does not.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Calls <paramref name="onObject"/> for each line holding a JSON object; reports everything else.</summary>
    public static void Read(string path, List<ConfigFinding> findings, Action<int, JsonElement> onObject) =>
        ReadWhile(path, findings, (line, obj) =>
        {
            onObject(line, obj);
            return true;
        });

    /// <summary>Like <see cref="Read"/>, but stops at the first object for which <paramref name="onObject"/> returns false.</summary>
    public static void ReadWhile(string path, List<ConfigFinding> findings, Func<int, JsonElement, bool> onObject)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Add(Error(path, 0, string.Empty, $"cannot be read: {e.Message}"));
            return;
        }

        using (stream)
        {
            ReadLines(stream, path, findings, onObject);
        }
    }

    private static void ReadLines(Stream stream, string path, List<ConfigFinding> findings, Func<int, JsonElement, bool> onObject)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var line = new ArrayBufferWriter<byte>(4096);
        try
        {
            int lineNumber = 1;
            bool overflow = false, first = true, sawContent = false;
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                var span = chunk.AsSpan(0, read);
                if (first)
                {
                    first = false;
                    var encodingProblem = DescribeWrongEncoding(span);
                    if (encodingProblem is not null)
                    {
                        findings.Add(Error(path, 1, string.Empty, encodingProblem));
                        return;
                    }

                    if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                    {
                        span = span[3..];
                    }
                }

                while (!span.IsEmpty)
                {
                    int newline = span.IndexOf((byte)'\n');
                    var piece = newline < 0 ? span : span[..newline];
                    if (!overflow)
                    {
                        if (line.WrittenCount + piece.Length > MaxLineBytes)
                        {
                            overflow = true;
                            line.Clear();
                        }
                        else
                        {
                            line.Write(piece);
                        }
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    var (content, more) = EndLine(path, lineNumber, line, overflow, findings, onObject);
                    sawContent |= content;
                    if (!more)
                    {
                        return;
                    }

                    line.Clear();
                    overflow = false;
                    lineNumber++;
                    span = span[(newline + 1)..];
                }
            }

            if (line.WrittenCount > 0 || overflow)
            {
                sawContent |= EndLine(path, lineNumber, line, overflow, findings, onObject).Content;
            }

            if (!sawContent)
            {
                findings.Add(Error(path, 0, string.Empty, "is empty: expected one JSON object per line"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <returns>Whether the line held anything but white space, and whether to read on.</returns>
    private static (bool Content, bool More) EndLine(string path, int lineNumber, ArrayBufferWriter<byte> line, bool overflow, List<ConfigFinding> findings, Func<int, JsonElement, bool> onObject)
    {
        if (overflow)
        {
            findings.Add(Error(path, lineNumber, string.Empty, $"is longer than the {MaxLineBytes / (1024 * 1024)} MiB limit for one line"));
            return (true, true);
        }

        var bytes = line.WrittenSpan;
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        if (IsBlank(bytes))
        {
            return (false, true);
        }

        try
        {
            StrictUtf8.GetCharCount(bytes);
        }
        catch (DecoderFallbackException)
        {
            findings.Add(Error(path, lineNumber, string.Empty, "is not valid UTF-8 text; save the file as UTF-8"));
            return (true, true);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            findings.Add(Error(path, lineNumber, string.Empty, "starts with a byte-order mark: were two files joined? Remove the three bytes EF BB BF at its start"));
            return (true, true);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.WrittenMemory[..bytes.Length], new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var column = e.BytePositionInLine is long position ? $" at column {position + 1}" : string.Empty;
            findings.Add(Error(path, lineNumber, string.Empty, $"is not valid JSON{column}: {FirstSentence(e.Message)}"));
            return (true, true);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                findings.Add(Error(path, lineNumber, string.Empty, $"must be a JSON object, found {Describe(document.RootElement.ValueKind)}"));
                return (true, true);
            }

            return (true, onObject(lineNumber, document.RootElement));
        }
    }

    private static string? DescribeWrongEncoding(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) || start.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            return "is UTF-32 encoded; save it as UTF-8";
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "is UTF-16 encoded; save it as UTF-8 (in PowerShell: Get-Content x.jsonl | Set-Content -Encoding utf8 y.jsonl)";
        }

        // UTF-16 without a byte-order mark: ASCII text with a zero byte beside every character.
        if (start.Length >= 4 && ((start[0] == 0 && start[1] != 0 && start[2] == 0) || (start[0] != 0 && start[1] == 0 && start[3] == 0)))
        {
            return "looks UTF-16 encoded (zero bytes between characters); save it as UTF-8";
        }

        return null;
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 12." (or, without a path, just
        // "LineNumber: 0 | …"), which repeats what we already say with a line number that is always 0 here, and
        // advice meant for programmers ("Change the reader options.").
        foreach (var marker in new[] { " Path:", " LineNumber:", " Change the reader options" })
        {
            int cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }

    private static ConfigFinding Error(string path, int line, string field, string message) =>
        new(ConfigSeverity.Error, path, line, field, message);
}
