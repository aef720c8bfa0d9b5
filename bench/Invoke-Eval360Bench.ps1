#Requires -Version 7.4
<#
.SYNOPSIS
    Eval360's performance benchmark: throughput, timing fidelity, scheduling efficiency, memory (with report generation), jury latency and
    start-up, each measured in a fresh PowerShell process against the local fake provider (its own process).
    Writes bench/results/<date>.md and .json, and prints every figure with its target.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../module/Eval360/Eval360.psd1'),
    # Fewer invocations everywhere, for a quick look (the figures are then not comparable with the targets).
    [switch] $Quick,

    # Only these sections (throughput, memory, report, fidelity, scheduling, jury, cold-warm, start-up); all when empty.
    [string[]] $Section = @()
)

$ErrorActionPreference = 'Stop'
# `pwsh -File` hands "a,b" over as one string: split it, so -Section works the same from any shell.
$Section = @($Section | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
$known = 'throughput', 'memory', 'report', 'fidelity', 'scheduling', 'jury', 'cold-warm', 'start-up'
foreach ($name in $Section) { if ($name -notin $known) { throw "There is no bench section '$name': use $($known -join ', ')." } }
. (Join-Path $PSScriptRoot '../tests/pester/TestSupport.ps1')
$ModulePath = (Resolve-Path $ModulePath).ProviderPath
$work = Join-Path ([IO.Path]::GetTempPath()) "eval360-bench-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory $work | Out-Null
$scale = if ($Quick) { 0.1 } else { 1.0 }
$figures = [Collections.Generic.List[object]]::new()

function Add-Figure([string] $Section, [string] $Name, [double] $Value, [string] $Unit, [string] $Target, [Nullable[bool]] $Met, [string] $Note = '') {
    $figure = [pscustomobject]@{ Section = $Section; Name = $Name; Value = [Math]::Round($Value, 3); Unit = $Unit; Target = $Target; Met = $Met; Note = $Note }
    $figures.Add($figure)
    $verdict = if ($null -eq $Met) { '' } elseif ($Met) { 'met' } else { 'MISSED' }
    Write-Host ('{0,-14} {1,-58} {2,12:N3} {3,-6} target {4,-22} {5}' -f $Section, $Name, $Value, $Unit, $Target, $verdict)
}

function Get-Percentile([double[]] $Values, [double] $P) {
    $sorted = [double[]]($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $rank = $P / 100 * ($sorted.Count - 1)
    $low = [Math]::Floor($rank); $high = [Math]::Min($low + 1, $sorted.Count - 1)
    $sorted[$low] + ($rank - $low) * ($sorted[$high] - $sorted[$low])
}

# Runs one measurement in a child pwsh; returns its JSON report.
# With -Runs n the child runs the same benchmark n times in one process; the report's Runs lists each (the first is cold).
function Invoke-Measurement([string] $Name, $Fake, [string[]] $Models, [int] $Prompts, [int] $Invocations, [int] $Parallel, [string[]] $Judges = @(), [switch] $KeepSamples, [string] $ModelExtra = '', [switch] $KeepOutput, [int] $Runs = 1) {
    $dir = Join-Path $work $Name
    New-Item -ItemType Directory $dir -Force | Out-Null
    $scenarios = Join-Path $dir 'scenarios.jsonl'
    1..$Prompts | ForEach-Object { '{"text_prompt": "Bench prompt ' + $_ + '", "expected_output_tokens": 200, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "Answer ' + $_ + '"}' } | Set-Content $scenarios
    $modelFile = Join-Path $dir 'models.jsonl'
    New-FakeModelFile $modelFile $Fake $Models $ModelExtra
    $judgeFile = $null
    if ($Judges) {
        $judgeFile = Join-Path $dir 'judges.jsonl'
        $Judges | ForEach-Object { '{"model_id": "openai-compatible/' + $_ + '", "input_cost_per_1k": 0.001, "output_cost_per_1k": 0.002, "endpoint": "' + $Fake.BaseUrl + '"}' } | Set-Content $judgeFile
    }
    $spec = Join-Path $dir 'spec.json'
    @{ Module = $ModulePath; Scenarios = $scenarios; Models = $modelFile; Judges = $judgeFile; Output = (Join-Path $dir 'outputs'); Invocations = $Invocations; Parallel = $Parallel; Name = $Name; KeepSamples = [bool]$KeepSamples; Runs = $Runs } |
        ConvertTo-Json | Set-Content $spec
    $serverCpu = $Fake.Process.TotalProcessorTime.TotalSeconds
    $output = Invoke-ChildPwsh "& '$PSScriptRoot/BenchChild.ps1' -SpecPath '$spec'"
    $lines = $output -split "`n"
    $report = ($lines | Where-Object { $_ -match '^\{"Count"' } | Select-Object -Last 1) | ConvertFrom-Json
    $earlier = @($lines | Where-Object { $_ -match '^\{"Run"' } | ForEach-Object { $_ | ConvertFrom-Json })
    $report | Add-Member Runs (@($earlier) + [pscustomobject]@{ Run = $Runs; Count = $report.Count; WallSeconds = $report.WallSeconds; CpuSeconds = $report.RunCpuSeconds; JitMethods = $report.JitMethods; JitSeconds = $report.JitSeconds })
    $Fake.Process.Refresh()
    $report | Add-Member ServerCpuSeconds ($Fake.Process.TotalProcessorTime.TotalSeconds - $serverCpu)
    if ($KeepOutput) { $report | Add-Member RunDirectory (Get-ChildItem (Join-Path $dir 'outputs') -Directory | Select-Object -First 1).FullName }
    else { Remove-Item (Join-Path $dir 'outputs') -Recurse -Force -ErrorAction Ignore }
    $report
}

# Times New-Eval360Report over a finished run directory (or a journal) in a fresh pwsh (the bench runs themselves skip
# the report). A report of 100,000 results must take under 10 s.
function Measure-Report([string] $RunDirectory, [string] $Label, [double] $TargetSeconds = 0) {
    $html = Join-Path $work "report-$([Guid]::NewGuid().ToString('N').Substring(0, 8)).html"
    $output = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$cpu = `$process.TotalProcessorTime
`$clock = [Diagnostics.Stopwatch]::StartNew()
New-Eval360Report -Path '$RunDirectory' -OutputPath '$html' | Out-Null
`$seconds = `$clock.Elapsed.TotalSeconds
`$process.Refresh()
'{0} {1} {2}' -f `$seconds.ToString([cultureinfo]::InvariantCulture), `$process.PeakWorkingSet64, (`$process.TotalProcessorTime - `$cpu).TotalSeconds.ToString([cultureinfo]::InvariantCulture)
"@
    $line = ($output -split "`n" | Where-Object { $_ -match '^\d' } | Select-Object -Last 1) -split ' '
    $size = (Get-Item $html).Length
    $seconds = [double]$line[0]
    $load = (Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1
    Add-Figure 'report' "report generation, $Label" $seconds 's' ($TargetSeconds -gt 0 ? "< $TargetSeconds s" : '-') ($TargetSeconds -gt 0 ? $seconds -lt $TargetSeconds : $null) `
        ("{0:N1} s of CPU (all threads); peak working set {1:N0} MB; report.html {2:N0} KB{3}" -f [double]$line[2], ([double]$line[1] / 1MB), ($size / 1KB), ($load ? "; load average $load on $([Environment]::ProcessorCount) cores" : ''))
    Remove-Item $html, $RunDirectory -Recurse -Force -ErrorAction Ignore
}

# The requests the fake provider recorded, one object each (Invoke-RestMethod hands a JSON array over whole).
function Get-ServedRequests($Fake) { (Invoke-RestMethod -Uri "$($Fake.Origin)_fake/requests") | ForEach-Object { $_ } }
function Clear-ServedRequests($Fake) { Invoke-RestMethod -Method Delete -Uri "$($Fake.Origin)_fake/requests" | Out-Null }
function Get-PromptOf($Request) { (($Request.bodyJson | ConvertFrom-Json).messages | Select-Object -Last 1).content }

Write-Host "Eval360 benchmark on $([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), .NET $([Environment]::Version)"

function Test-Section([string] $Name) { $Section.Count -eq 0 -or $Section -contains $Name }

# Runs $Script with an environment variable set for the child processes it starts (without a name, as is); returns its output.
function Invoke-WithEnvironment([string] $Name, [string] $Value, [scriptblock] $Script) {
    if (-not $Name) { return & $Script }
    [Environment]::SetEnvironmentVariable($Name, $Value)
    try { & $Script }
    finally { [Environment]::SetEnvironmentVariable($Name, $null) }
}

# 1. Throughput: latency-only invocations per second through the cmdlet, against a zero-latency server.
if (Test-Section 'throughput') {
$fake = Start-FakeProvider @{ default = @{ tokenCount = 10 } } -NoRecord
try {
    foreach ($parallel in 1, 64, 256, 1024) {
        $n = [int](($parallel -eq 1 ? 2000 : 20000) * $scale)
        $r = Invoke-Measurement "throughput-$parallel" $fake @('zero') 10 ([int]($n / 10)) $parallel
        $rate = $r.Count / $r.WallSeconds
        $serverShare = $r.ServerCpuSeconds / $r.WallSeconds
        Add-Figure 'throughput' "latency-only invocations/s at ParallelCalls $parallel ($($r.Count), $($r.Failed) failed)" $rate '/s' ($parallel -eq 256 ? '>= 2000/s' : '-') ($parallel -eq 256 ? $rate -ge 2000 : $null) ("server used {0:N2} of {1} cores; client {2:N2}" -f $serverShare, [Environment]::ProcessorCount, ($r.CpuSeconds / $r.WallSeconds))
    }
}
finally { Stop-FakeProvider $fake }
}

if (Test-Section 'memory') {
$fake = Start-FakeProvider @{ default = @{ tokenCount = 10 } } -NoRecord
try {
    # 4. Memory: peak working set, flat as N grows.
    foreach ($n in 10000, 50000, 100000) {
        $count = [int]($n * $scale)
        $r = Invoke-Measurement "memory-$n" $fake @('zero') 100 ([int]($count / 100)) 256 -KeepOutput:($n -eq 100000)
        Add-Figure 'memory' "peak working set, $count latency-only invocations" ($r.PeakWorkingSet / 1MB) 'MB' ($n -eq 100000 ? '<= 250 MB' : 'flat') ($n -eq 100000 ? ($r.PeakWorkingSet / 1MB) -le 250 : $null) `
            ("live heap after the run {0:N1} MB; GC committed {1:N0} MB at the end; {2} gen0 collections; {3:N0} invocations/s" -f ($r.LiveAfterRun / 1MB), ($r.GcCommitted / 1MB), $r.Gen0Count, ($r.Count / $r.WallSeconds))
        if ($n -eq 100000) { Measure-Report $r.RunDirectory "$count latency-only results" ($Quick ? 0 : 10) }
    }
}
finally { Stop-FakeProvider $fake }

# 4b. Memory with a full jury (3 judges).
$fake = Start-FakeProvider @{ default = @{ tokenCount = 10 }; judgeA = @{ judgeDefaultScore = 4 }; judgeB = @{ judgeDefaultScore = 3 }; judgeC = @{ judgeDefaultScore = 5 } } -NoRecord
try {
    $count = [int](10000 * $scale)
    $r = Invoke-Measurement 'memory-jury' $fake @('zero') 100 ([int]($count / 100)) 256 -Judges @('judgeA', 'judgeB', 'judgeC') -KeepOutput
    Add-Figure 'memory' "peak working set, $count invocations with a 3-judge jury" ($r.PeakWorkingSet / 1MB) 'MB' '-' $null ("{0:N0} invocations/s" -f ($r.Count / $r.WallSeconds))
    Measure-Report $r.RunDirectory "$count results with a 3-judge jury"
}
finally { Stop-FakeProvider $fake }
}

# 5. The report over 100,000 judged results: a 3-judge run of 10,000 invocations of three models, its journal repeated
# as ten nightly runs a day apart (new run ids, keys and start times), so the report ranks with ties and bootstraps,
# groups, draws distributions and the trend across runs over 100,000 results, each with three verdicts.
if (Test-Section 'report') {
$fake = Start-FakeProvider @{ default = @{ tokenCount = 10 }; judgeA = @{ judgeDefaultScore = 4 }; judgeB = @{ judgeDefaultScore = 3 }; judgeC = @{ judgeDefaultScore = 5 } } -NoRecord
try {
    $count = [int](10000 * $scale)
    $r = Invoke-Measurement 'report-jury' $fake @('zero', 'alpha', 'beta') 100 ([Math]::Max(1, [int]($count / 300))) 256 -Judges @('judgeA', 'judgeB', 'judgeC') -KeepOutput
    $lines = [IO.File]::ReadAllLines((Join-Path $r.RunDirectory 'journal.jsonl'))
    $runId = ($lines[0] | ConvertFrom-Json).RunId
    $started = ($lines[0] | ConvertFrom-Json).StartedAt.ToUniversalTime().ToString('yyyy-MM-dd')
    $journal = Join-Path $work 'report-100k/journal.jsonl'
    New-Item -ItemType Directory (Split-Path $journal) -Force | Out-Null
    $writer = [IO.StreamWriter]::new($journal)
    try {
        foreach ($night in 0..9) {
            $date = ([datetime]$started).AddDays($night).ToString('yyyy-MM-dd')
            foreach ($line in $lines) {
                $writer.WriteLine($line.Replace("`"RunId`":`"$runId`"", "`"RunId`":`"$runId-$night`"").Replace('"Key":"', "`"Key`":`"$night-").Replace("`"StartedAt`":`"$started", "`"StartedAt`":`"$date"))
            }
        }
    }
    finally { $writer.Dispose() }
    Remove-Item $r.RunDirectory -Recurse -Force
    Measure-Report $journal "$($lines.Count * 10) results with a 3-judge jury in 10 runs" ($Quick ? 0 : 10)
}
finally { Stop-FakeProvider $fake }
}

# 2. Timing fidelity: the server holds the first token exactly D ms, then 100 tokens 10 ms apart.
if (Test-Section 'fidelity') {
foreach ($d in 50, 500) {
    $fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = $d; interTokenDelayMs = 10; tokenCount = 100 } } -NoSpin
    try {
        # In a fresh process (what a scheduled run gets: the JIT still compiling while the first waves are timed), and
        # in a warm one (the same run made a second time in the process: the engine's own precision).
        foreach ($case in @(foreach ($streams in 64, 512) { foreach ($runs in 1, 2) { @{ Streams = $streams; Runs = $runs } } })) {
            $streams = $case.Streams
            $where = $case.Runs -eq 1 ? '' : ', warm process'
            Clear-ServedRequests $fake
            $waves = $streams -eq 64 ? 4 : 2
            $r = Invoke-Measurement "fidelity-$d-$streams-$($case.Runs)" $fake @('timed') ($streams * $waves) 1 $streams -KeepSamples -Runs $case.Runs
            $served = @{}
            foreach ($request in Get-ServedRequests $fake) { if ($request.bodyJson -and $request.maxTokens -ne 5) { $served[(Get-PromptOf $request)] = $request } }
            $ttftError = @(); $ttlbError = @(); $serverLate = @(); $harness = @(); $toHandler = @(); $toRead = @()
            $perMs = [Diagnostics.Stopwatch]::Frequency / 1000.0
            foreach ($sample in $r.Samples) {
                $request = $served[$sample.Prompt]
                if (-not $request -or $null -eq $sample.Ttft) { continue }
                $ttftError += ($sample.Ttft * 1000 - $d)
                $serverFirst = [TimeSpan]::Parse($request.timeToFirstContent).TotalMilliseconds
                $serverLate += ($serverFirst - $d)
                $harness += ($sample.Ttft * 1000 - $serverFirst)
                if ($sample.Sent) {
                    # The split, on the clock both processes share: the client's stamp to the server's handler (the
                    # client's sending after its stamp, then the server's own queue), and the server's flush of the
                    # first token to the client's read of it (the client's part).
                    $toHandler += ($request.arrivalTimestamp - $sample.Sent) / $perMs
                    $toRead += ($sample.FirstRead - $request.arrivalTimestamp) / $perMs - $serverFirst
                }
                $serverLastByte = [TimeSpan]::Parse($request.timeToLastByte).TotalMilliseconds
                $ttlbError += ($sample.Ttlb * 1000 - $serverLastByte)
            }
            $limit = $streams -eq 64 ? 3 : 10
            $waveMedians = (0..($waves - 1) | ForEach-Object { '{0:N1}' -f (Get-Percentile ([double[]]$harness[($_ * $streams)..([Math]::Min($harness.Count, ($_ + 1) * $streams) - 1)]) 50) }) -join ' / '
            # The figure is the client's error against the server's own first-token time (what the server measured from
            # the request's arrival to flushing the first token); TTFT - D adds the server's own lateness, shown apart.
            $p99 = Get-Percentile $harness 99
            $split = $toRead.Count ? ("; split p50/p99: client's stamp -> server's handler {0:N2}/{1:N2} ms, server's flush -> client's read {2:N2}/{3:N2} ms" -f (Get-Percentile $toHandler 50), (Get-Percentile $toHandler 99), (Get-Percentile $toRead 50), (Get-Percentile $toRead 99)) : ''
            Add-Figure 'fidelity' "TTFT - server's first-token time, D=$d ms, $streams streams${where}: p50 $('{0:N2}' -f (Get-Percentile $harness 50)) p99" $p99 'ms' "p99 <= $limit ms" ($p99 -le $limit) ("{0} samples, max {1:N2} ms; TTFT - D p50 {2:N2} p99 {3:N2} ms, of which the server was late p50 {4:N2} p99 {5:N2} ms{9}; p50 per wave of $streams, in completion order: {6}; client GCs from the first result to the last: {7} ({8:N1} ms paused)" -f $harness.Count, ($harness | Measure-Object -Maximum).Maximum, (Get-Percentile $ttftError 50), (Get-Percentile $ttftError 99), (Get-Percentile $serverLate 50), (Get-Percentile $serverLate 99), $waveMedians, $r.Gen0Measuring, ($r.PauseMeasuring * 1000), $split)
            $p99 = Get-Percentile $ttlbError 99
            Add-Figure 'fidelity' "TTLB - server last byte, D=$d ms, $streams streams${where}: p50 $('{0:N2}' -f (Get-Percentile $ttlbError 50)) p99" $p99 'ms' "p99 <= $limit ms" ($p99 -le $limit) ("max {0:N2} ms" -f ($ttlbError | Measure-Object -Maximum).Maximum)
        }
    }
    finally { Stop-FakeProvider $fake }
}

}

# 3. Scheduling efficiency: 2,000 calls of a fixed 200 ms at ParallelCalls 100.
if (Test-Section 'scheduling') {
$fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = 200; tokenCount = 1 } } -NoRecord -NoSpin
try {
    $n = [int](2000 * $scale)
    $r = Invoke-Measurement 'scheduling' $fake @('fixed') 100 ([int]($n / 100)) 100
    $ideal = [Math]::Ceiling($n / 100) * 0.2
    $startup = $r.FirstResult - 0.2
    $bound = 1.05 * $ideal + $startup
    Add-Figure 'scheduling' "wall for $n calls of 200 ms at ParallelCalls 100 (ideal $ideal s, start-up $('{0:N2}' -f $startup) s)" $r.WallSeconds 's' ('<= {0:N2} s' -f $bound) ($r.WallSeconds -le $bound)
}
finally { Stop-FakeProvider $fake }

}

# 5. Jury latency: three judges of 300, 600 and 900 ms judge each response at the same time.
if (Test-Section 'jury') {
$fake = Start-FakeProvider @{ default = @{ tokenCount = 5 }; judge300 = @{ firstTokenDelayMs = 300 }; judge600 = @{ firstTokenDelayMs = 600 }; judge900 = @{ firstTokenDelayMs = 900 } }
try {
    Clear-ServedRequests $fake
    $r = Invoke-Measurement 'jury' $fake @('fast') 20 1 4 -Judges @('judge300', 'judge600', 'judge900') -KeepSamples
    $byPrompt = @{}
    foreach ($request in Get-ServedRequests $fake) {
        if ($request.bodyJson -and $request.model -like 'judge*' -and $request.maxTokens -ne 5) {
            $key = ([regex]::Match($request.bodyJson, 'Bench prompt \d+')).Value
            if (-not $byPrompt[$key]) { $byPrompt[$key] = @() }
            $byPrompt[$key] += $request
        }
    }
    $frequency = [Diagnostics.Stopwatch]::Frequency
    $juryMs = foreach ($group in $byPrompt.Values) {
        $first = ($group | Measure-Object arrivalTimestamp -Minimum).Minimum
        $last = ($group | ForEach-Object { $_.arrivalTimestamp + [TimeSpan]::Parse($_.timeToLastByte).Ticks * $frequency / 1e7 } | Measure-Object -Maximum).Maximum
        ($last - $first) / $frequency * 1000
    }
    $p50 = Get-Percentile $juryMs 50
    Add-Figure 'jury' "jury time per response, judges of 300/600/900 ms (p50 of $(@($juryMs).Count))" $p50 'ms' '~900 ms, not 1800' ($p50 -lt 1000)
}
finally { Stop-FakeProvider $fake }

}

# 6. Cold and warm: scheduled automation runs one benchmark per fresh process, so the first run in a new pwsh is what
# it gets. Each of three fresh processes runs the throughput workload (latency-only, zero-latency server,
# ParallelCalls 256) three times: run 1 is cold (whatever the JIT has not compiled yet, it compiles now), runs 2-3 warm.
# Measured twice: in pwsh as it starts by default, and with tiered compilation off for the benchmark's process
# (DOTNET_TieredCompilation=0, a setting of the process that a module cannot make; the README weighs it).
if (Test-Section 'cold-warm') {
$fake = Start-FakeProvider @{ default = @{ tokenCount = 10 } } -NoRecord
try {
    $n = [int](20000 * $scale)
    $defaultWarmRate = $null
    foreach ($setting in @(@{ Label = ''; Name = $null }, @{ Label = ', DOTNET_TieredCompilation=0'; Name = 'DOTNET_TieredCompilation' })) {
        $measured = Invoke-WithEnvironment $setting.Name '0' {
            foreach ($process in 1..3) { Invoke-Measurement "cold-warm-$process$($setting.Name)" $fake @('zero') 10 ([int]($n / 10)) 256 -Runs 3 }
        }
        $cold = @($measured | ForEach-Object { $_.Runs[0] })
        $warm = @($measured | ForEach-Object { $_.Runs[1..2] })
        $coldRate = Get-Percentile ([double[]]($cold | ForEach-Object { $_.Count / $_.WallSeconds })) 50
        $warmRate = Get-Percentile ([double[]]($warm | ForEach-Object { $_.Count / $_.WallSeconds })) 50
        $defaultWarmRate ??= $warmRate
        $ratio = $coldRate / $warmRate
        $rates = { param($runs) ($runs | ForEach-Object { '{0:N0}' -f ($_.Count / $_.WallSeconds) }) -join ' / ' }
        $versusDefault = $setting.Name ? ('; the cold rate is {0:P0} of the default warm rate' -f ($coldRate / $defaultWarmRate)) : ''
        Add-Figure 'cold-warm' "first run in a fresh process, share of the warm rate ($n latency-only invocations, ParallelCalls 256$($setting.Label))" $ratio '' '>= 0.85' ($ratio -ge 0.85) `
            ("cold {0:N0}/s (runs: {1}), warm {2:N0}/s (runs: {3}); medians of 3 processes{4}" -f $coldRate, (& $rates $cold), $warmRate, (& $rates $warm), $versusDefault)
        $coldCpu = Get-Percentile ([double[]]($cold | ForEach-Object { $_.CpuSeconds / $_.Count * 1e6 })) 50
        $warmCpu = Get-Percentile ([double[]]($warm | ForEach-Object { $_.CpuSeconds / $_.Count * 1e6 })) 50
        # The JIT's own time (JitInfo.GetCompilationTime: tier-0 compilations and the background tier-1 ones) is what a
        # cold run pays that a warm one does not; CPU per invocation includes it.
        $jitNote = { param($runs) "JIT-compiled methods during the run: median {0:N0}; JIT time median {1:N2} s of {2:N2} s CPU" -f (Get-Percentile ([double[]]$runs.JitMethods) 50), (Get-Percentile ([double[]]$runs.JitSeconds) 50), (Get-Percentile ([double[]]$runs.CpuSeconds) 50) }
        Add-Figure 'cold-warm' "client CPU per invocation, cold run$($setting.Label)" $coldCpu 'µs' '-' $null (& $jitNote $cold)
        Add-Figure 'cold-warm' "client CPU per invocation, warm runs$($setting.Label)" $warmCpu 'µs' '-' $null (& $jitNote $warm)
    }
}
finally { Stop-FakeProvider $fake }
}

# 7. Start-up: Import-Module, and the quick start's first result.
if (Test-Section 'start-up') {
# Import-Module in a fresh process: the median of 5.
function Measure-Import {
    Get-Percentile ([double[]](1..5 | ForEach-Object { [double](Invoke-ChildPwsh "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$c.Elapsed.TotalSeconds").Trim() })) 50
}
$import = Measure-Import
Add-Figure 'start-up' 'Import-Module (median of 5 fresh processes)' $import 's' '<= 0.5 s' ($import -le 0.5)
# What the setting the README suggests for one-benchmark processes costs at start-up (everything compiled fully at once).
$import = Invoke-WithEnvironment 'DOTNET_TieredCompilation' '0' { Measure-Import }
Add-Figure 'start-up' 'Import-Module, DOTNET_TieredCompilation=0 (median of 5)' $import 's' '<= 0.5 s' ($import -le 0.5)
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).ProviderPath
$first = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$root'
`$clock = [Diagnostics.Stopwatch]::StartNew()
Invoke-Eval360Benchmark ./runs/quickstart.jsonl -ModelProfile ./config/quickstart.models.jsonl -JudgeProfile ./config/quickstart.judges.jsonl -SleepBetweenInvocations 0 -OutputDirectory '$work/quickstart' -ProgressAction SilentlyContinue 6>`$null | Select-Object -First 1 | Out-Null
`$clock.Elapsed.TotalSeconds
"@
Add-Figure 'start-up' 'quick-start demo: first result after the cmdlet starts' ([double]($first -split "`n" | Where-Object { $_ -match '^\d' } | Select-Object -Last 1)) 's' '-' $null 'includes the access check and the simulated latency of the first answer and its jury'
}

# Results.
$results = Join-Path $PSScriptRoot 'results'
New-Item -ItemType Directory $results -Force | Out-Null
$stamp = Get-Date -Format 'yyyy-MM-dd-HHmmss'
$memoryGiB = [double]((Get-Content /proc/meminfo -ErrorAction Ignore | Select-Object -First 1) -replace '\D', '') / 1MB
$machine = "{0} cores, {1}, {2:N0} GiB, .NET {3}, PowerShell {4}" -f [Environment]::ProcessorCount, [Runtime.InteropServices.RuntimeInformation]::OSDescription,
    $memoryGiB, [Environment]::Version, $PSVersionTable.PSVersion
[ordered]@{ Date = (Get-Date).ToString('o'); Machine = $machine; Quick = [bool]$Quick; Figures = $figures } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $results "$stamp.json")
$markdown = @("# Eval360 benchmark, $stamp", '', "Machine: $machine. Command: ``dotnet pwsh -NoProfile -File ./build.ps1 -Task Bench``$($Quick ? ' (quick)' : '').", '',
    '| section | figure | value | unit | target | met | note |', '|---|---|---:|---|---|---|---|')
$markdown += $figures | ForEach-Object { "| $($_.Section) | $($_.Name) | $($_.Value) | $($_.Unit) | $($_.Target) | $(if ($null -eq $_.Met) { '' } elseif ($_.Met) { 'yes' } else { '**no**' }) | $($_.Note) |" }
$markdown | Set-Content (Join-Path $results "$stamp.md")
Remove-Item $work -Recurse -Force -ErrorAction Ignore
Write-Host "Wrote $(Join-Path $results "$stamp.md") and .json"
