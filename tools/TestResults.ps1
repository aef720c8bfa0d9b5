#Requires -Version 7.4
<#
.SYNOPSIS
    How build.ps1 -Task Test counts: each suite's passed and failed, a breakdown line, and the last line CI reads.
.DESCRIPTION
    Dot-source this file. Read-XunitCount turns a dotnet test run (its .trx file and its exit code) into counts,
    Measure-PesterResult splits a Pester run into behaviour and help/metadata cases, and Format-TestTotal writes the
    breakdown line and the final "N passed, N failed" line.
#>

# Counts of one dotnet test run. The exit code has the last word: a crashed test host can leave a .trx whose counters
# show no failure (or no .trx at all), and that run failed.
function Read-XunitCount([string] $Name, [string] $TrxPath, [int] $ExitCode) {
    $passed = 0; $failed = 0
    if ($TrxPath -and (Test-Path -LiteralPath $TrxPath)) {
        $counters = ([xml](Get-Content -LiteralPath $TrxPath -Raw)).TestRun.ResultSummary.Counters
        $passed = [int]$counters.GetAttribute('passed')
        $failed = ('failed', 'error', 'timeout', 'aborted' | ForEach-Object { [int]$counters.GetAttribute($_) } | Measure-Object -Sum).Sum
    }
    else {
        Write-Host "${Name}: produced no test results."
    }
    if ($ExitCode -ne 0 -and $failed -eq 0) {
        Write-Host "${Name}: dotnet test exited with code $ExitCode although no test is counted as failed; counted as 1 failure."
        $failed = 1
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# A Pester run's result split in two: cases under a block tagged Metadata (help, manifest), and behaviour. A failed
# block counts as one more failure unless every test under it failed (a failing BeforeAll fails them all, and is not
# counted again; a failing AfterAll leaves their results alone). A container that could not be discovered counts once.
function Measure-PesterResult($Result) {
    function Test-Within($Block, $Ancestor) {
        for (; $Block; $Block = $Block.Parent) { if ([object]::ReferenceEquals($Block, $Ancestor)) { return $true } }
        $false
    }
    function Test-Metadata($Block) {
        for (; $Block; $Block = $Block.Parent) { if ($Block.Tag -contains 'Metadata') { return $true } }
        $false
    }
    $failedBlocks = @($Result.FailedBlocks | Where-Object {
            $block = $_
            $under = @($Result.Tests | Where-Object { Test-Within $_.Block $block })
            $under.Count -eq 0 -or @($under | Where-Object Result -NE 'Failed').Count -gt 0
        })
    $metadataPassed = @($Result.Passed | Where-Object { Test-Metadata $_.Block }).Count
    $metadataFailed = @($Result.Failed | Where-Object { Test-Metadata $_.Block }).Count + @($failedBlocks | Where-Object { Test-Metadata $_ }).Count
    $failed = $Result.FailedCount + $failedBlocks.Count + $Result.FailedContainersCount
    [pscustomobject]@{
        Behaviour = [pscustomobject]@{ Passed = $Result.PassedCount - $metadataPassed; Failed = $failed - $metadataFailed }
        Metadata  = [pscustomobject]@{ Passed = $metadataPassed; Failed = $metadataFailed }
    }
}

# The breakdown line, then the total: exactly "N passed, N failed" (CI greps the last line).
function Format-TestTotal([System.Collections.IDictionary] $Suites) {
    $passed = 0; $failed = 0
    $parts = foreach ($suite in $Suites.GetEnumerator()) {
        $passed += $suite.Value.Passed; $failed += $suite.Value.Failed
        "$($suite.Key) $($suite.Value.Passed) passed, $($suite.Value.Failed) failed"
    }
    $parts -join '; '
    "$passed passed, $failed failed"
}
