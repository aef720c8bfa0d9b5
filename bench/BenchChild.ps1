# One benchmark measurement, in a process of its own: runs Invoke-Eval360Benchmark as a user would and prints one JSON
# line with what it measured. Results are consumed as they stream (never kept), so memory is the engine's, not ours.
param([Parameter(Mandatory)][string] $SpecPath)

$ErrorActionPreference = 'Stop'
$spec = Get-Content -LiteralPath $SpecPath -Raw | ConvertFrom-Json
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $spec.Module
$importSeconds = $clock.Elapsed.TotalSeconds

$parameters = @{
    InputFile               = $spec.Scenarios
    ModelProfile            = $spec.Models
    OutputDirectory         = $spec.Output
    InvocationsPerScenario  = $spec.Invocations
    ExperimentCount         = 1
    SleepBetweenInvocations = 0
    ParallelCalls           = $spec.Parallel
    ExperimentName          = $spec.Name
    NoReport                = $true   # the engine's figures, not the report's
    ProgressAction          = 'SilentlyContinue'
}
if ($spec.Judges) { $parameters.JudgeProfile = $spec.Judges } else { $parameters.LatencyOnly = $true }

# Cold and warm: the same run again in this process (a fresh run directory each time); one figure line per run, the
# first made with whatever the JIT had compiled so far.
$runs = if ($spec.PSObject.Properties['Runs'] -and $spec.Runs) { [int]$spec.Runs } else { 1 }
for ($run = 1; $run -lt $runs; $run++) {
    $cpu = (Get-Process -Id $PID).TotalProcessorTime
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $jitTime = [System.Runtime.JitInfo]::GetCompilationTime($false)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $n = 0
    Invoke-Eval360Benchmark @parameters 6>$null | ForEach-Object { $n++ }
    '{"Run":' + $run + ',"Count":' + $n + ',"WallSeconds":' + $clock.Elapsed.TotalSeconds.ToString('R', [cultureinfo]::InvariantCulture) +
        ',"CpuSeconds":' + ((Get-Process -Id $PID).TotalProcessorTime - $cpu).TotalSeconds.ToString('R', [cultureinfo]::InvariantCulture) +
        ',"JitMethods":' + ([System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit) +
        ',"JitSeconds":' + ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitTime).TotalSeconds.ToString('R', [cultureinfo]::InvariantCulture) + '}'
}

# With samples, the engine's Eval360-CallTiming events too: when each request left and when its first token was read,
# on the monotonic clock the fake server's own readings use, so the bench can tell the client's part of a timing error
# from the server's. (Compiled before the measured run; the event source writes nothing without a listener.)
$timing = $null
if ($spec.KeepSamples) {
    Add-Type -TypeDefinition @'
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

public sealed class Eval360CallTimingListener : EventListener
{
    public ConcurrentDictionary<string, long[]> Calls { get; } = new ConcurrentDictionary<string, long[]>();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Eval360-CallTiming") { EnableEvents(source, EventLevel.Informational); }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "FirstToken" && e.Payload != null && e.Payload.Count == 3)
        {
            Calls[(string)e.Payload[0]] = new[] { (long)e.Payload[1], (long)e.Payload[2] };
        }
    }
}
'@
    $timing = [Eval360CallTimingListener]::new()
}

$samples = [Collections.Generic.List[object]]::new()
$count = 0; $failed = 0; $firstResult = $null; $gen0AtFirst = 0; $pauseAtFirst = [TimeSpan]::Zero
$cpuBefore = (Get-Process -Id $PID).TotalProcessorTime
$jitBefore = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$jitTimeBefore = [System.Runtime.JitInfo]::GetCompilationTime($false)
$start = [Diagnostics.Stopwatch]::StartNew()
Invoke-Eval360Benchmark @parameters 6>$null | ForEach-Object {
    if ($null -eq $firstResult) {
        # Collections from here on happened while invocations were being measured (the engine's own compacting
        # collection before its first measured call, and start-up's, come before).
        $firstResult = $start.Elapsed.TotalSeconds; $gen0AtFirst = [GC]::CollectionCount(0); $pauseAtFirst = [GC]::GetTotalPauseDuration()
    }
    $count++
    if ($_.Status -ne 'Succeeded') { $failed++ }
    if ($spec.KeepSamples) {
        $call = $null; $null = $timing.Calls.TryGetValue($_.Key, [ref] $call)
        $samples.Add([ordered]@{ Prompt = $_.Prompt; Ttft = $_.TimeToFirstToken; Ttlb = $_.TimeToLastByte; Judges = @($_.Judges | ForEach-Object Latency)
                Sent = $call ? $call[0] : $null; FirstRead = $call ? $call[1] : $null })
        # The measured window ends with the last result: the run's own wrap-up and this script's forced collections
        # below come after it.
        $gen0AtLast = [GC]::CollectionCount(0); $pauseAtLast = [GC]::GetTotalPauseDuration()
    }
}
$wall = $start.Elapsed.TotalSeconds
if (-not $spec.KeepSamples) { $gen0AtLast = [GC]::CollectionCount(0); $pauseAtLast = [GC]::GetTotalPauseDuration() }
$process = Get-Process -Id $PID
$gcInfo = [GC]::GetGCMemoryInfo()
$liveAfter = [GC]::GetTotalMemory($true)
[ordered]@{
    Count          = $count
    Failed         = $failed
    WallSeconds    = $wall
    FirstResult    = $firstResult
    ImportSeconds  = $importSeconds
    PeakWorkingSet = $process.PeakWorkingSet64
    CpuSeconds     = $process.TotalProcessorTime.TotalSeconds
    RunCpuSeconds  = ($process.TotalProcessorTime - $cpuBefore).TotalSeconds
    JitMethods     = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitBefore
    JitSeconds     = ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitTimeBefore).TotalSeconds
    GcPauseSeconds = [GC]::GetTotalPauseDuration().TotalSeconds
    AllocatedBytes = [GC]::GetTotalAllocatedBytes($false)
    Gen0Count      = [GC]::CollectionCount(0)
    Gen0Measuring  = $gen0AtLast - $gen0AtFirst
    PauseMeasuring = ($pauseAtLast - $pauseAtFirst).TotalSeconds
    GcCommitted    = $gcInfo.TotalCommittedBytes
    LiveAfterRun   = $liveAfter
    Samples        = $samples
} | ConvertTo-Json -Depth 5 -Compress
