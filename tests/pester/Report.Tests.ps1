#Requires -Version 7.4
# The HTML report as users get it: written into every completed run directory, rebuilt by New-Eval360Report from a run
# directory or from piped results, and nothing written under -WhatIf.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $out = Join-Path $TestDrive 'outputs'
    Push-Location $TestDrive
    $results = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
            -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -SleepBetweenInvocations 0 -ParallelCalls 16 `
            -ExperimentCount 1 -InvocationsPerScenario 1 -TemperatureVariations 1 -OutputDirectory $out -ExperimentName reported 6>$null)
    $run = Get-ChildItem $out -Directory | Select-Object -First 1
}

AfterAll { Pop-Location }

Describe 'The report of a benchmark run' {
    It 'is written into the run directory when the run completes, and named in run.json' {
        $results.Count | Should -BeGreaterThan 0
        $report = Join-Path $run.FullName 'report.html'
        $report | Should -Exist
        (Get-Content (Join-Path $run.FullName 'run.json') -Raw | ConvertFrom-Json).report | Should -Be 'report.html'
        $html = Get-Content $report -Raw
        $html | Should -Match '<title>Eval360 report: reported</title>'
        $html | Should -Match 'SIMULATED: every result'
        $html | Should -Match 'sim/scholar-ultra'
        $html | Should -Match '<section id="temperature"'
    }

    It 'is not written with -NoReport' {
        $quiet = Join-Path $TestDrive 'quiet'
        Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
            -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory $quiet -NoReport 6>$null | Out-Null
        $directory = Get-ChildItem $quiet -Directory | Select-Object -First 1
        Join-Path $directory.FullName 'run.json' | Should -Exist
        Join-Path $directory.FullName 'report.html' | Should -Not -Exist
    }
}

Describe 'New-Eval360Report' {
    It 'writes a report from a run directory to -OutputPath and returns the file' {
        $file = New-Eval360Report -Path $run.FullName -OutputPath 'from-path.html' -Title 'From <path>'
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be (Join-Path $TestDrive 'from-path.html')
        $file.Length | Should -BeGreaterThan 10000
        Get-Content $file.FullName -Raw | Should -Match '<title>From &lt;path&gt;</title>'
    }

    It 'replaces the run''s own report.html by default, for a single run directory piped in' {
        $report = Join-Path $run.FullName 'report.html'
        $before = (Get-Item $report).LastWriteTimeUtc
        Start-Sleep -Milliseconds 20
        $file = Get-Item $run.FullName | New-Eval360Report
        $file.FullName | Should -Be $report
        (Get-Item $report).LastWriteTimeUtc | Should -BeGreaterThan $before
    }

    It 'takes results from the pipeline and writes eval360-report.html in the current location by default' {
        $file = $results | Where-Object ModelId -NE 'sim/swift-mini' | New-Eval360Report
        $file.FullName | Should -Be (Join-Path $TestDrive 'eval360-report.html')
        $html = Get-Content $file.FullName -Raw
        $html | Should -Match 'sim/balanced-pro'
        $html | Should -Not -Match 'sim/swift-mini'
    }

    It 'reads wildcards and journals' {
        $file = New-Eval360Report -Path (Join-Path $out '*/journal.jsonl') -OutputPath (Join-Path $TestDrive 'wild/journals.html')
        $file.Directory.Name | Should -Be 'wild'
        Get-Content $file.FullName -Raw | Should -Match "$($results.Count) \($($results.Count) succeeded"
    }

    It 'writes nothing with -WhatIf' {
        $target = Join-Path $TestDrive 'whatif.html'
        $output = $results | New-Eval360Report -OutputPath $target -WhatIf
        $output | Should -BeNullOrEmpty
        $target | Should -Not -Exist
    }

    It 'reports a path it cannot read, and that there is nothing to report' {
        $output = New-Eval360Report -Path (Join-Path $TestDrive 'nowhere') -OutputPath (Join-Path $TestDrive 'none.html') -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -Contain 'ResultsUnreadable,Eval360.PowerShell.Commands.NewEval360ReportCommand'
        $problems.FullyQualifiedErrorId | Should -Contain 'NoResults,Eval360.PowerShell.Commands.NewEval360ReportCommand'
        Join-Path $TestDrive 'none.html' | Should -Not -Exist
    }
}

Describe 'The verdict on the quick start' {
    BeforeAll {
        # The quick start exactly as the README runs it (216 invocations, 72 judged answers a model): enough answers
        # that sim/swift-mini's pass rate, about one in five, is clearly under the 50% floor.
        $quick = Join-Path $TestDrive 'quick'
        $quickResults = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
                -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -InvocationsPerScenario 2 -ExperimentCount 2 -TemperatureVariations 1 `
                -SleepBetweenInvocations 0 -ParallelCalls 16 -OutputDirectory $quick -ExperimentName quickstart 6>$null)
        $quickRun = Get-ChildItem $quick -Directory | Select-Object -First 1
    }

    It 'ranks the fast model that fails most answers last, in the summary, summary.json and the report' {
        $summary = @($quickResults | Get-Eval360Summary 6>$null)
        $summary.Count | Should -Be 3
        # Whatever the simulator's draws, the floor holds: every model under it ranks after every model above it.
        $summary | ForEach-Object { $_.BelowQualityFloor | Should -Be ($_.PassRate -lt 0.5) }
        $lastAbove = @($summary | Where-Object { -not $_.BelowQualityFloor })[-1]
        @($summary | Where-Object BelowQualityFloor) | ForEach-Object { $_.Rank | Should -BeGreaterThan $lastAbove.Rank }

        $summary[-1].ModelId | Should -Be 'sim/swift-mini'
        $summary[-1].BelowQualityFloor | Should -BeTrue
        $summary[-1].Rank | Should -Be $summary.Count
        $summary | Where-Object ModelId -NE 'sim/swift-mini' | ForEach-Object { $_.BelowQualityFloor | Should -BeFalse }
        # swift-mini is the fastest: it stays on the Pareto frontier even though it ranks last.
        ($summary | Sort-Object TimeToFirstTokenP50 | Select-Object -First 1).ModelId | Should -Be 'sim/swift-mini'
        $summary[-1].ParetoOptimal | Should -BeTrue

        $json = Get-Content (Join-Path $quickRun.FullName 'summary.json') -Raw | ConvertFrom-Json
        $json[-1].model_id | Should -Be 'sim/swift-mini'
        $json[-1].below_quality_floor | Should -BeTrue
        $json.model_id | Should -Be ($summary.ModelId)

        $html = Get-Content (Join-Path $quickRun.FullName 'report.html') -Raw
        $html | Should -Match '<section id="verdict"'
        $html | Should -Match 'Below the quality floor \(pass rate under 50%\), so ranked after every other model whatever their speed or price: sim/swift-mini'
        $html | Should -Match 'Simulated data: every result comes from'
        $ranking = $html.Substring($html.IndexOf('<table id="t-ranking"'))
        $ranking = $ranking.Substring(0, $ranking.IndexOf('</table>'))
        $ranking.LastIndexOf('sim/swift-mini') | Should -BeGreaterThan $ranking.LastIndexOf('sim/scholar-ultra')
        $ranking.LastIndexOf('sim/swift-mini') | Should -BeGreaterThan $ranking.LastIndexOf('sim/balanced-pro')
    }

    It 'takes the weights and the floor, and prints them with the table' {
        $speed = @($quickResults | Get-Eval360Summary -Weights @{ Quality = 0; Latency = 1; Cost = 0; Reliability = 0 } -QualityFloor 0 -InformationVariable note 6>$null)
        $speed[0].ModelId | Should -Be 'sim/swift-mini'
        "$note" | Should -Match 'latency 100%'
        { $quickResults | Get-Eval360Summary -Weights @{ Speed = 1 } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWeights,Eval360.PowerShell.Commands.GetEval360SummaryCommand'
    }
}
