using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Standalone mode: <c>FakeProviders --port 0 --config behaviors.json</c> prints <c>LISTENING http://127.0.0.1:PORT/v1/</c>
/// on stdout and serves until stdin closes, SIGTERM or SIGINT.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: FakeProviders [--port N] [--config behaviors.json] [--api-key KEY] [--no-record]
                             [--spin-threshold-ms MS] [--ignore-stdin] [--exit-after-seconds S]
        """;

    public static async Task<int> Main(string[] args)
    {
        StandaloneOptions standalone;
        FakeServerOptions options;
        try
        {
            standalone = StandaloneOptions.Parse(args);
            options = standalone.ToServerOptions();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or IOException)
        {
            await Console.Error.WriteLineAsync($"FakeProviders: {e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        var server = await FakeOpenAIServer.StartAsync(options).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            server.ServerErrorReported = e => Console.Error.WriteLine($"FakeProviders: server error: {e}");
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            if (standalone.WatchStdin && !StdinIsNullDevice())
            {
                new Thread(() => WaitForStdinEnd(stop)) { IsBackground = true, Name = "stdin watcher" }.Start();
            }

            if (standalone.ExitAfter is TimeSpan lifetime)
            {
                _ = Task.Delay(lifetime).ContinueWith(_ => stop.TrySetResult(), TaskScheduler.Default);
            }

            await Console.Out.WriteLineAsync($"LISTENING {server.BaseUrl}").ConfigureAwait(false);
            await Console.Out.FlushAsync().ConfigureAwait(false);
            await stop.Task.ConfigureAwait(false);

            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.TrySetResult();
            }
        }

        return 0;
    }

    private static void WaitForStdinEnd(TaskCompletionSource stop)
    {
        try
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        }
        catch (IOException)
        {
        }

        stop.TrySetResult();
    }

    /// <summary>
    /// Started with stdin at /dev/null (a CI job, <c>&lt; /dev/null</c>), stdin is closed from the start: watching it
    /// would stop the server at once, so only a pipe or a terminal is watched.
    /// </summary>
    private static bool StdinIsNullDevice()
    {
        try
        {
            return OperatingSystem.IsLinux() && File.ResolveLinkTarget("/proc/self/fd/0", returnFinalTarget: false)?.FullName == "/dev/null";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The command line.</summary>
    private sealed class StandaloneOptions
    {
        public int Port { get; private set; }
        public string? ConfigPath { get; private set; }
        public string? ApiKey { get; private set; }
        public bool Record { get; private set; } = true;
        public double? SpinThresholdMs { get; private set; }
        public bool WatchStdin { get; private set; } = true;
        public TimeSpan? ExitAfter { get; private set; }

        public static StandaloneOptions Parse(string[] args)
        {
            var options = new StandaloneOptions();
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--port":
                        options.Port = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                        break;
                    case "--config":
                        options.ConfigPath = Value(args, ref i);
                        break;
                    case "--api-key":
                        options.ApiKey = Value(args, ref i);
                        break;
                    case "--no-record":
                        options.Record = false;
                        break;
                    case "--spin-threshold-ms":
                        options.SpinThresholdMs = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                        break;
                    case "--ignore-stdin":
                        options.WatchStdin = false;
                        break;
                    case "--exit-after-seconds":
                        options.ExitAfter = TimeSpan.FromSeconds(double.Parse(Value(args, ref i), CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }

            return options;
        }

        public FakeServerOptions ToServerOptions()
        {
            var (fallback, models) = ConfigPath is null ? (null, []) : BehaviorConfig.Load(ConfigPath);
            var defaults = new FakeServerOptions();
            return new FakeServerOptions
            {
                Port = Port,
                RequiredApiKey = ApiKey,
                RecordRequests = Record,
                SpinWaitThreshold = SpinThresholdMs is double ms ? TimeSpan.FromMilliseconds(ms) : defaults.SpinWaitThreshold,
                DefaultBehavior = fallback,
                Behaviors = models,
            };
        }

        private static string Value(string[] args, ref int i) =>
            ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
    }
}
