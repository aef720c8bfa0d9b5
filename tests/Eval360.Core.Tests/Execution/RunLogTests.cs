using System.Threading.Channels;
using Eval360.Execution;
using Eval360.Logging;
using Eval360.Providers;
using Eval360.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Eval360.Tests.Execution;

/// <summary>The run's one logging seam: run.log's lines, its bound, redaction, and what reaches the cmdlet.</summary>
public sealed class RunLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string LogPath => Path.Combine(_temp.Path, RunLogFile.FileName);

    [Fact]
    public void Each_line_has_the_time_the_level_and_the_event_and_no_secret()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 2, 0, 1, 250, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var redactor = new SecretRedactor();
        redactor.Add("plantedLocalServerSecret-0123456789");
        var events = Channel.CreateUnbounded<RunEvent>();
        using (var log = new RunLog(LogPath, redactor.Redact, events.Writer, LogLevel.Information, time))
        {
            log.CallRetried(1, 4, "openai-compatible/flaky @ local", 1.5, "throttled", "HTTP 429: slow down, key plantedLocalServerSecret-0123456789");
            log.ProviderThrottled("openai-compatible/flaky @ local", "throttled", " (HTTP 429)", "Rate limit for sk-proj-PLANTEDopenaiSECRET0123456789abcdef", "; it asks to wait 2 s");
            log.ExperimentStarted(1, 2);
        }

        var lines = File.ReadAllLines(LogPath);
        Assert.Equal(
            [
                "2026-03-14T02:00:01.250+00:00 INFO  CallRetried: retry 1 of 4 for openai-compatible/flaky @ local in 1.50 s, after throttled: HTTP 429: slow down, key ***",
                "2026-03-14T02:00:01.250+00:00 WARN  ProviderThrottled: throttled: openai-compatible/flaky @ local answered throttled (HTTP 429): Rate limit for sk-proj-***; it asks to wait 2 s",
                "2026-03-14T02:00:01.250+00:00 DEBUG ExperimentStarted: experiment 1 of 2 started",
            ],
            lines);

        // Information and up reach the cmdlet (for -Verbose); the debug line does not at this level. Masked too.
        var handed = new List<RunLogged>();
        while (events.Reader.TryRead(out var item))
        {
            handed.Add(Assert.IsType<RunLogged>(item));
        }

        Assert.Equal([LogLevel.Information, LogLevel.Warning], handed.Select(h => h.Level));
        Assert.Equal("02:00:01 retry 1 of 4 for openai-compatible/flaky @ local in 1.50 s, after throttled: HTTP 429: slow down, key ***", handed[0].Message);
        Assert.DoesNotContain(handed, h => h.Message.Contains("PLANTED", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_reaches_the_events_at_level_None_and_the_file_still_has_every_line()
    {
        var events = Channel.CreateUnbounded<RunEvent>();
        using (var log = new RunLog(LogPath, s => s, events.Writer, LogLevel.None, TimeProvider.System))
        {
            log.BudgetStopped("stopped scheduling");
            log.ExperimentStarted(1, 1);
        }

        Assert.False(events.Reader.TryRead(out _));
        Assert.Equal(2, File.ReadAllLines(LogPath).Length);
    }

    [Fact]
    public void A_resumed_run_appends_to_its_log()
    {
        File.WriteAllText(LogPath, "earlier session\n");
        using (var log = new RunLog(LogPath, s => s, Channel.CreateUnbounded<RunEvent>().Writer, LogLevel.None, TimeProvider.System))
        {
            log.BudgetStopped("later session");
        }

        var lines = File.ReadAllLines(LogPath);
        Assert.Equal("earlier session", lines[0]);
        Assert.EndsWith("WARN  BudgetStopped: budget: later session", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Past_its_bound_the_log_moves_to_run_log_1_and_goes_on_with_its_latest_lines()
    {
        // 1,000 lines of 100 bytes with a 10,000-byte bound: run.log turns over about ten times.
        const long bound = 10_000;
        var line = new string('x', 99);
        using (var file = new RunLogFile(LogPath, bound))
        {
            for (int i = 0; i < 1_000; i++)
            {
                file.Write(i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + line[4..]);
            }
        }

        var current = new FileInfo(LogPath);
        var previous = new FileInfo(LogPath + ".1");
        Assert.True(current.Length <= bound, $"run.log is {current.Length} bytes");
        Assert.True(previous.Exists);
        Assert.True(previous.Length <= bound, $"run.log.1 is {previous.Length} bytes");
        var lines = File.ReadAllLines(LogPath);
        Assert.Equal("(run.log reached 9 KiB: the earlier lines are in run.log.1)", lines[0]);
        Assert.StartsWith("0999", lines[^1], StringComparison.Ordinal);
        // The two files hold consecutive lines: nothing between them is lost.
        var before = File.ReadAllLines(LogPath + ".1")[^1];
        Assert.Equal(int.Parse(before[..4], System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(lines[1][..4], System.Globalization.CultureInfo.InvariantCulture));
    }
}
