#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, packages and benchmarks Eval360.
.DESCRIPTION
    Build   - compiles the module into module/Eval360 (cmdlets at the root, the engine and its dependencies in deps/,
              the web dashboard in dashboard/, MAML help generated into en-US/). The assemblies carry ReadyToRun code
              for this machine's runtime identifier (linux-x64 here), so a fresh process starts on precompiled code
              instead of the JIT's; on any other OS or CPU that code is ignored and the same IL runs: one module for
              every platform.
              -NoReadyToRun builds IL only (quicker to build; the first run in each process is slower).
    Test    - Build, then every test suite: xunit (engine, hosted cmdlets, the dashboard in a browser) and Pester, after
              finding or installing the browser the browser tests drive (tools/TestBrowser.ps1); prints a breakdown,
              then "N passed, N failed".
    Demo    - Build, then the quick start against the built-in simulator: no keys, no network.
    Package - Build, then the module as a PowerShell Gallery package (artifacts/Eval360.<version>.nupkg, made by
              PSResourceGet's Publish-PSResource, release notes from CHANGELOG.md) and as a zip.
    Bench   - Build, then the performance benchmark (bench/results/<date-time>.md and .json); -Section and -Quick
              are passed on to bench/Invoke-Eval360Bench.ps1.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Pester test names (or parts) to run; all when empty.
    [string[]] $TestFilter = @(),

    # Build: IL only, no ReadyToRun code.
    [switch] $NoReadyToRun,

    # Bench: only these sections (throughput, memory, fidelity, scheduling, jury, cold-warm, start-up); all when empty.
    [string[]] $Section = @(),

    # Bench: fewer invocations everywhere, for a quick look (figures not comparable with the targets).
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'module/Eval360'
$artifacts = Join-Path $root 'artifacts'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    $publish = Join-Path $artifacts 'publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    # ReadyToRun: native code for this machine's runtime identifier beside the IL of every assembly (crossgen2 and the
    # runtime pack come from NuGet). The RID-specific publish picks the same assemblies as a portable one (none of the
    # dependencies has OS-specific managed code for Linux, macOS or Windows), so the module still loads everywhere.
    $readyToRun = if ($NoReadyToRun) { @() } else {
        @('-r', [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier, '--self-contained', 'false', '-p:PublishReadyToRun=true')
    }
    $project = "$root/src/Eval360.PowerShell/Eval360.PowerShell.csproj"
    Invoke-Native dotnet (@('publish', $project, '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'quiet') + $readyToRun)

    # Layout: the contracts (the types users see, and the load context) beside the manifest, in PowerShell's default
    # context; cmdlets, engine and every dependency in deps/, in Eval360's own load context.
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    $deps = New-Item -ItemType Directory -Path (Join-Path $moduleDir 'deps') -Force
    foreach ($file in Get-ChildItem $publish -File | Where-Object Extension -in '.dll', '.pdb') {
        Copy-Item $file.FullName ($file.BaseName -eq 'Eval360.Contracts' ? $moduleDir : $deps)
    }
    foreach ($runtimes in Get-ChildItem $publish -Directory -Filter runtimes) { Copy-Item $runtimes.FullName $deps -Recurse }

    # A runtime uses ReadyToRun code only if it was compiled against its own major version, so the net8.0 build above
    # helps PowerShell 7.4 (.NET 8) alone. The contracts, engine and cmdlets are published again for net10.0 into
    # deps/net10.0, which Eval360.psm1 loads on .NET 10 (PowerShell 7.6); assemblies the framework already holds are left
    # out there.
    if (-not $NoReadyToRun) {
        $publish10 = Join-Path $artifacts 'publish-net10.0'
        if (Test-Path $publish10) { Remove-Item $publish10 -Recurse -Force }
        Invoke-Native dotnet (@('publish', $project, '-c', $Configuration, '-o', $publish10, '-p:ModuleFramework=net10.0',
                '--artifacts-path', (Join-Path $artifacts 'net10.0'), '--nologo', '-v', 'quiet') + $readyToRun)
        $deps10 = New-Item -ItemType Directory -Path (Join-Path $deps 'net10.0') -Force
        Get-ChildItem $publish10 -File -Filter *.dll | Copy-Item -Destination $deps10
    }
    Copy-Item "$root/src/Eval360.PowerShell/Module/*" $moduleDir
    Copy-Item "$root/LICENSE" $moduleDir
    Publish-Dashboard (Join-Path $moduleDir 'dashboard')
    # What the installed module needs from the repository: the quick start's scenarios and simulated profiles, in the
    # repository's layout (Get-Eval360Sample lists them and copies them out).
    foreach ($sample in 'runs/quickstart.jsonl', 'config/quickstart.models.jsonl', 'config/quickstart.judges.jsonl') {
        $target = New-Item -ItemType Directory -Path (Join-Path $moduleDir "Samples/$(Split-Path $sample)") -Force
        Copy-Item "$root/$sample" $target
    }

    # Help is generated from the built cmdlets' metadata plus docs/en-US prose, in a child process so this one never
    # holds the module's assemblies.
    Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', "$root/tools/New-MamlHelp.ps1", '-ModulePath', "$moduleDir/Eval360.psd1", '-DocsPath', "$root/docs/en-US")
    Write-Host "Built $moduleDir"
}

# The web dashboard ships inside the module, in a folder of its own: it is its own process (`dotnet
# Eval360.Dashboard.dll`, started by Start-Eval360Dashboard), framework-dependent and portable, so one copy serves every
# platform. SQLite's native library comes for every runtime identifier; only those PowerShell 7.4+ runs on are kept.
function Publish-Dashboard([string] $Destination) {
    $publish = Join-Path $artifacts 'publish-dashboard'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    Invoke-Native dotnet @('publish', "$root/src/Eval360.Dashboard/Eval360.Dashboard.csproj", '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'quiet')
    $platforms = 'win-x64', 'win-x86', 'win-arm64', 'linux-x64', 'linux-arm', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64'
    foreach ($runtime in Get-ChildItem (Join-Path $publish 'runtimes') -Directory -ErrorAction Ignore) {
        if ($runtime.Name -notin $platforms) { Remove-Item $runtime.FullName -Recurse -Force }
    }
    Remove-Item (Join-Path $publish 'web.config') -ErrorAction Ignore
    Copy-Item $publish $Destination -Recurse
}

# The PowerShell running this script, started again as a child process (under `dotnet pwsh` the process is dotnet).
function Invoke-ChildPwsh([string[]] $Arguments) {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $Arguments = @("$PSHOME/pwsh.dll") + $Arguments }
    & $process @Arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-PackageFolder([string] $Id, [string] $Version) {
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $folder = Join-Path $nugetRoot "$($Id.ToLowerInvariant())/$Version"
    if (-not (Test-Path $folder)) { throw "Package $Id $Version is not restored ($folder); run dotnet restore first." }
    $folder
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $artifacts 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results -Force | Out-Null

    # The browser tests drive a Chromium-family browser: find one on this machine, or install one (tools/TestBrowser.ps1
    # says how), and hand it to the tests. Playwright's installer comes with the engine tests' build output.
    Invoke-Native dotnet @('build', "$root/tests/Eval360.Core.Tests/Eval360.Core.Tests.csproj", '-c', $Configuration, '--nologo', '-v', 'quiet')
    . "$root/tools/TestBrowser.ps1"
    $installer = Get-ChildItem "$root/tests/Eval360.Core.Tests/bin/$Configuration" -Recurse -Filter playwright.ps1 | Select-Object -First 1
    try {
        $browser = Resolve-TestBrowser -PlaywrightInstaller $installer.FullName
    }
    catch {
        Write-Host $_.Exception.Message
        Write-Host '0 passed, 1 failed'
        exit 1
    }
    Write-Host "Browser for the browser tests: $($browser.Path) ($($browser.Source))"
    $env:EVAL360_TEST_BROWSER = $browser.Path

    . "$root/tools/TestResults.ps1"
    $suites = [ordered]@{}
    foreach ($project in @{ Name = 'Eval360.Core.Tests'; Label = 'xunit engine' }, @{ Name = 'Eval360.PowerShell.Tests'; Label = 'xunit hosted cmdlets' }, @{ Name = 'Eval360.Dashboard.Tests'; Label = 'xunit dashboard' }) {
        $trx = "$($project.Name).trx"
        & dotnet test "$root/tests/$($project.Name)/$($project.Name).csproj" -c $Configuration --nologo --logger "trx;LogFileName=$trx" --results-directory $results
        $suites[$project.Label] = Read-XunitCount $project.Name (Join-Path $results $trx) $LASTEXITCODE
    }

    # Pester, in a child process that reports its counts as JSON on a marked line.
    $pester = Get-PackageFolder 'Pester' '6.2.0'
    $pesterManifest = Get-ChildItem $pester -Recurse -Filter Pester.psd1 | Select-Object -First 1
    $run = @"
Import-Module '$($pesterManifest.FullName)' -Force
. '$root/tools/TestResults.ps1'
`$config = New-PesterConfiguration
`$config.Run.Path = '$root/tests/pester'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$filter = @($(($TestFilter | ForEach-Object { "'$_'" }) -join ','))
if (`$filter.Count -gt 0) { `$config.Filter.FullName = `$filter | ForEach-Object { "*`$_*" } }
`$result = Invoke-Pester -Configuration `$config
'PESTER-COUNTS ' + (Measure-PesterResult `$result | ConvertTo-Json -Compress)
"@
    $output = & {
        try { Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-Command', $run) } catch { Write-Host $_.Exception.Message }
    }
    $output | Where-Object { $_ -notmatch '^PESTER-COUNTS ' } | Write-Host
    $counts = $output | Where-Object { $_ -match '^PESTER-COUNTS ' } | Select-Object -Last 1
    if ($counts) {
        $pesterCounts = $counts.Substring('PESTER-COUNTS '.Length) | ConvertFrom-Json
        $suites['Pester behaviour'] = $pesterCounts.Behaviour
        $suites['Pester help/metadata'] = $pesterCounts.Metadata
    }
    else {
        Write-Host 'Pester did not report its counts; counted as 1 failure.'
        $suites['Pester behaviour'] = [pscustomobject]@{ Passed = 0; Failed = 1 }
    }

    $breakdown, $total = Format-TestTotal $suites
    Write-Host $breakdown
    Write-Host $total
    $null = $total -match '^(\d+) passed, (\d+) failed$'
    if ([int]$Matches[2] -gt 0 -or [int]$Matches[1] -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Import-Module "$moduleDir/Eval360.psd1" -Force
    Push-Location $root
    try {
        Write-Host 'Eval360 quick start: 3 simulated models, a jury of 3 simulated judges, no keys, no network.' -ForegroundColor Cyan
        $results = Invoke-Eval360Benchmark ./runs/quickstart.jsonl -ModelProfile ./config/quickstart.models.jsonl `
            -JudgeProfile ./config/quickstart.judges.jsonl -InvocationsPerScenario 2 -ExperimentCount 2 `
            -TemperatureVariations 1 -SleepBetweenInvocations 0 -ParallelCalls 16 -ExperimentName 'quickstart'
        $summary = $results | Get-Eval360Summary
        # Out-String -Width: the tables are wider than many terminals, and a demo should not cut its own figures off.
        $summary | Format-Table -AutoSize | Out-String -Width 240 | Write-Host
        Write-Host 'Mean jury scores per dimension (1-5):' -ForegroundColor Cyan
        $summary | ForEach-Object {
            $row = [ordered]@{ ModelId = $_.ModelId }
            foreach ($dimension in $_.MeanScores.Keys) { $row[$dimension] = '{0:N2}' -f $_.MeanScores[$dimension] }
            [pscustomobject]$row
        } | Format-Table -AutoSize | Out-String -Width 240 | Write-Host
    }
    finally {
        Pop-Location
    }
}

function Invoke-Package {
    Invoke-Build
    . "$root/tools/ModulePackage.ps1"
    $zip, $nupkg = New-ModulePackage -ModuleDir $moduleDir -Changelog "$root/CHANGELOG.md" -Destination $artifacts
    Write-Host "Packaged $zip"
    Write-Host "Packaged $nupkg"
}

function Invoke-Bench {
    Invoke-Build
    & "$root/bench/Invoke-Eval360Bench.ps1" -ModulePath "$moduleDir/Eval360.psd1" -Section $Section -Quick:$Quick
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
    'Clean' { foreach ($path in $artifacts, $moduleDir) { if (Test-Path $path) { Remove-Item $path -Recurse -Force } } }
}
