#Requires -Version 7.4
# The module as users get it: its manifest, its views, a re-import, and its private load context.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
}

Describe 'The module manifest' -Tag Metadata {
    BeforeAll { $manifest = Import-PowerShellDataFile $ModulePath }

    It 'targets PowerShell 7.4+ Core and exports exactly its cmdlets' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.FormatsToProcess | Should -Be @('Eval360.format.ps1xml')
        $exported = (Get-Module Eval360).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $exported | Should -Contain 'Invoke-Eval360Benchmark'
    }

    It 'declares an output type for every cmdlet' {
        foreach ($name in $manifest.CmdletsToExport) {
            (Get-Command $name).OutputType.Name | Should -Not -BeNullOrEmpty -Because $name
        }
    }

    It 'has a table view for every type users see' {
        foreach ($type in 'Eval360.InvocationResult', 'Eval360.ModelSummary', 'Eval360.ConfigFinding', 'Eval360.Scenario', 'Eval360.JudgeVerdict', 'Eval360.ModelCapability') {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because $type
        }
    }

    It 'keeps its cmdlets after Import-Module -Force' {
        Import-Module $ModulePath -Force
        (Get-Command -Module Eval360).Count | Should -Be $manifest.CmdletsToExport.Count
    }
}

Describe 'A benchmark from the pipeline' {
    It 'streams typed results that compose with the usual cmdlets' {
        $out = Join-Path $TestDrive 'outputs'
        $results = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
                -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -SleepBetweenInvocations 0 -ParallelCalls 16 `
                -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory $out 6>$null)
        $results.Count | Should -Be 18
        $results[0] | Should -BeOfType ([Eval360.InvocationResult])
        $results | Where-Object Passed | Should -Not -BeNullOrEmpty
        ($results | Group-Object ModelId).Count | Should -Be 3
        $results | Export-Csv (Join-Path $TestDrive 'passed.csv')
        (Import-Csv (Join-Path $TestDrive 'passed.csv')).Count | Should -Be 18
        $summary = $results | Get-Eval360Summary
        $summary.Count | Should -Be 3
        ($summary | Sort-Object OverallScore)[0].ModelId | Should -Be 'sim/swift-mini'
        ($results | Format-Table | Out-String) | Should -Match 'sim/scholar-ultra'
        $run = Get-ChildItem $out -Directory
        (Import-Eval360Result $run.FullName).Count | Should -Be 18
        (Get-Content (Join-Path $run.FullName 'run.json') | ConvertFrom-Json).simulated | Should -BeTrue
    }
}

Describe 'Dependency isolation' {
    It 'runs when PowerShell already holds an older copy of a dependency, which its own context could not take' {
        $old = Join-Path (Get-NuGetPackageFolder 'System.Threading.RateLimiting' '8.0.0') 'lib/net8.0/System.Threading.RateLimiting.dll'
        $old | Should -Exist
        $models = Join-Path $TestDrive 'paced.models.jsonl'
        '{"model_id": "sim/swift-paced", "input_token_cost": 0.001, "output_token_cost": 0.002, "target_rpm": 6000}' | Set-Content $models
        $deps = Join-Path (Split-Path $ModulePath) 'deps'
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$old'
'default:' + [System.Threading.RateLimiting.TokenBucketRateLimiter].Assembly.GetName().Version
try { Add-Type -Path '$deps/System.Threading.RateLimiting.dll'; 'clash:none' } catch { 'clash:' + `$_.Exception.GetType().Name }
Import-Module '$ModulePath'
`$results = Invoke-Eval360Benchmark '$RepositoryRoot/runs/quickstart.jsonl' -ModelProfile '$models' -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory '$TestDrive/iso' 6>`$null
'results:' + `$results.Count
'throttled:' + @(`$results | Where-Object Throttled).Count
`$engine = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'System.Threading.RateLimiting' -and [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name -eq 'Eval360' }
'engine:' + `$engine.GetName().Version
'contracts:' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Eval360.InvocationResult].Assembly).Name
"@
        $output | Should -Match 'default:8\.0\.0\.0'
        $output | Should -Match 'clash:(?!none)\w+' -Because 'the default context cannot also hold the version the engine needs'
        $output | Should -Match 'results:6'
        $output | Should -Match 'engine:10\.0\.0\.0'
        $output | Should -Match 'contracts:Default'
    }

    # PowerShell 7.6 runs on .NET 10, which ignores ReadyToRun code compiled against .NET 8: a build with ReadyToRun
    # code (the default) puts a net10.0 copy of everything Eval360 loads into deps/net10.0, contracts included.
    It 'loads, on .NET 10, the engine and the contracts precompiled for .NET 10, and still finds the module folder' -Skip:([Environment]::Version.Major -ne 10) {
        $deps10 = Join-Path (Split-Path $ModulePath) 'deps/net10.0'
        if (-not (Test-Path $deps10)) { Set-ItResult -Skipped -Because 'the module was built with -NoReadyToRun'; return }
        $output = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Test-Eval360Config -ModelProfile '$RepositoryRoot/config/quickstart.models.jsonl' | Out-Null
foreach (`$assembly in [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -like 'Eval360.*' }) {
    `$stream = [IO.File]::OpenRead(`$assembly.Location)
    `$pe = [Reflection.PortableExecutable.PEReader]::new(`$stream)
    'loaded:{0}|{1}|{2}' -f `$assembly.GetName().Name, `$assembly.Location, (`$pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0)
    `$pe.Dispose(); `$stream.Dispose()
}
'module:' + [Eval360.LoadContext.DependencyLoadContext]::ModuleDirectory
"@
        $loaded = @($output -split "`n" | Where-Object { $_ -match '^loaded:' } | ForEach-Object { , ($_.Substring(7).Trim() -split '\|') })
        @($loaded | ForEach-Object { $_[0] }) | Should -Contain 'Eval360.Contracts'
        @($loaded | ForEach-Object { $_[0] }) | Should -Contain 'Eval360.Core'
        foreach ($assembly in $loaded) {
            Split-Path $assembly[1] | Should -Be $deps10 -Because "$($assembly[0]) must come from deps/net10.0"
            $assembly[2] | Should -Be 'True' -Because "$($assembly[0]) must carry ReadyToRun code"
        }
        ($output -split "`n" | Where-Object { $_ -match '^module:' }).Substring(7).Trim() | Should -Be (Split-Path $ModulePath)
    }
}
