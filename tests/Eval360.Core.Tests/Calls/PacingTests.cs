using System.Collections.Concurrent;
using System.Diagnostics;
using Eval360.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Eval360.Tests.Calls;

[Collection(EndToEnd.TimingCollection.Name)]
public sealed class PacingTests
{
    /// <summary>Runs <paramref name="workers"/> callers that acquire as fast as they are let, on fake time, and records when each got through.</summary>
    /// <param name="step">How far fake time moves between looks: the bucket's refill period keeps every grant's time exact.</param>
    internal static async Task<List<TimeSpan>> PaceAsync(ModelProfile profile, int workers, TimeSpan duration, TimeSpan step, int estimatedTokens = 1)
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        using var pacer = new TokenBucketPacer(time);
        using var stop = new CancellationTokenSource();
        var grants = new ConcurrentQueue<TimeSpan>();
        var asked = 0;
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    Interlocked.Increment(ref asked);
                    await pacer.AcquireAsync(profile, estimatedTokens, stop.Token);
                    grants.Enqueue(time.GetUtcNow() - start);
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();

        await Settle(grants, () => Volatile.Read(ref asked), workers);
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += step)
        {
            time.Advance(step);
            await Settle(grants, () => Volatile.Read(ref asked), workers);
        }

        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        return [.. grants.Where(g => g < duration).Order()];
    }

    /// <summary>
    /// Waits until the workers released by the last fake-time step have all recorded their grant: every worker has
    /// asked again (asked = grants + workers) and nothing has changed for a few looks. Time must not move before, or
    /// a late worker's grant would be recorded at the next step's time.
    /// </summary>
    private static async Task Settle(ConcurrentQueue<TimeSpan> grants, Func<int> asked, int workers)
    {
        int quiet = 0;
        int before = -1;
        while (quiet < 3)
        {
            await Task.Delay(1);
            int count = grants.Count;
            quiet = count == before && asked() == count + workers ? quiet + 1 : 0;
            before = count;
        }
    }

    [Fact]
    public async Task Thirty_rpm_gives_thirty_per_minute_for_ten_minutes()
    {
        var grants = await PaceAsync(Execution.PlanTests.NewModel(rpm: 30), workers: 20, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2));
        for (int minute = 0; minute < 10; minute++)
        {
            int count = grants.Count(g => g >= TimeSpan.FromMinutes(minute) && g < TimeSpan.FromMinutes(minute + 1));
            Assert.InRange(count, 29, 31);
        }

        // Calls are evenly spaced: 2 s apart, never two at once.
        var gaps = grants.Zip(grants.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap.TotalSeconds, 1.9, 2.1));
    }

    [Fact]
    public async Task Workers_waking_together_never_burst_past_the_bucket()
    {
        // 6,000 RPM = 100/s, refilled 5 every 50 ms. Two hundred workers start at once.
        var grants = await PaceAsync(Execution.PlanTests.NewModel(rpm: 6000), workers: 200, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        Assert.All(grants.GroupBy(g => g), instant => Assert.True(instant.Count() <= 5, $"{instant.Count()} grants at {instant.Key}"));
        for (var window = TimeSpan.Zero; window < TimeSpan.FromSeconds(29); window += TimeSpan.FromMilliseconds(250))
        {
            int inSecond = grants.Count(g => g >= window && g < window + TimeSpan.FromSeconds(1));
            Assert.InRange(inSecond, 95, 105);
        }

        Assert.InRange(grants.Count, 3000, 3005);
    }

    [Fact]
    public async Task One_rpm_is_held_too()
    {
        var grants = await PaceAsync(Execution.PlanTests.NewModel(rpm: 1), workers: 5, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], grants);
    }

    [Fact]
    public async Task Tokens_per_minute_pace_by_estimated_tokens()
    {
        // 6,000 TPM = 100 tokens/s, refilled 1,000 every 10 s; 500 tokens a call = 2 calls every 10 s, 12 a minute.
        var profile = Execution.PlanTests.NewModel() with { TargetTpm = 6000 };
        var grants = await PaceAsync(profile, workers: 10, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), estimatedTokens: 500);
        Assert.Equal(2 + (29 * 2), grants.Count);
        Assert.All(grants.GroupBy(g => g), instant => Assert.Equal(2, instant.Count()));
    }

    [Fact]
    public async Task Unpaced_models_never_wait()
    {
        using var pacer = new TokenBucketPacer(new FakeTimeProvider());
        for (int i = 0; i < 1000; i++)
        {
            var ticket = await pacer.AcquireAsync(Execution.PlanTests.NewModel(), 100, CancellationToken.None);
            Assert.False(ticket.Throttled);
        }
    }

    [Fact]
    public async Task Real_time_three_hundred_rpm_holds_its_rate()
    {
        using var pacer = new TokenBucketPacer(TimeProvider.System);
        var profile = Execution.PlanTests.NewModel(rpm: 300);
        var clock = Stopwatch.StartNew();
        var grants = new ConcurrentQueue<TimeSpan>();
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(4))
            {
                await pacer.AcquireAsync(profile, 1, CancellationToken.None);
                grants.Enqueue(clock.Elapsed);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        // One every 200 ms for 4 s, plus the first, give or take timer jitter at the edges.
        Assert.InRange(grants.Count(g => g < TimeSpan.FromSeconds(4)), 19, 22);
        Assert.InRange(pacer.ActualRpm(profile)!.Value, 250, 400);
    }
}
