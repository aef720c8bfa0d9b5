#Requires -Version 7.4
# The run catalogue and live run status, as a user meets them: run.json polled while a slow run is in flight,
# Get-Eval360Run, -Resume with new execution settings, and a -Resume of a run that does not exist.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $work = Join-Path $TestDrive 'work'
    New-Item -ItemType Directory $work | Out-Null
    $scenarios = Join-Path $work 'scenarios.jsonl'
    1..2 | ForEach-Object {
        '{"text_prompt": "Question ' + $_ + '?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "Answer ' + $_ + '"}'
    } | Set-Content $scenarios

    # Model calls only: not the access check's probe (max_tokens 5) nor the GETs that open connections.
    function Get-ModelCalls($Fake) {
        (Invoke-RestMethod -Uri "$($Fake.Origin)_fake/requests") | ForEach-Object { $_ } |
            Where-Object { $_.route -ne 'Unmatched' -and $_.maxTokens -ne 5 }
    }

    # The most calls the server had open at once, from its own arrival and last-byte times.
    function Get-MostInFlight($Calls) {
        $edges = foreach ($call in $Calls) {
            [pscustomobject]@{ At = [long]$call.arrivalTimestamp; Step = 1 }
            [pscustomobject]@{ At = [long]$call.lastByteFlushTimestamp; Step = -1 }
        }
        $open = 0; $most = 0
        foreach ($edge in $edges | Sort-Object At, Step) { $open += $edge.Step; $most = [Math]::Max($most, $open) }
        $most
    }
}

Describe 'run.json while a run is in flight' {
    It 'is rewritten every second or so with done rising, and Get-Eval360Run shows the run live' {
        $fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = 350; interTokenDelayMs = 5; tokenCount = 5 } } -NoSpin
        try {
            $models = Join-Path $work 'slow.models.jsonl'
            New-FakeModelFile $models $fake @('slow')
            $out = Join-Path $work 'live'
            $child = Start-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$work'
Invoke-Eval360Benchmark ./scenarios.jsonl -ModelProfile '$models' -LatencyOnly -InvocationsPerScenario 6 -ExperimentCount 1 -SleepBetweenInvocations 0 -ParallelCalls 1 -OutputDirectory '$out' -ExperimentName live | Out-Null
"@ (Join-Path $work 'live.log')

            $seen = [Collections.Generic.List[object]]::new()
            $liveListing = $null
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while ([DateTime]::UtcNow -lt $deadline -and -not $child.HasExited) {
                $file = Get-ChildItem $out -Recurse -Filter run.json -ErrorAction Ignore | Select-Object -First 1
                if ($file) {
                    $manifest = Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json -DateKind String
                    $seen.Add($manifest)
                    if ($manifest.status -eq 'running' -and $manifest.done -gt 0 -and -not $liveListing) {
                        $liveListing = Get-Eval360Run -Path $out
                    }
                }
                Start-Sleep -Milliseconds 200
            }
            $child.WaitForExit()
            $child.ExitCode | Should -Be 0

            $running = @($seen | Where-Object status -eq 'running')
            $running.Count | Should -BeGreaterThan 5
            # done only rises, through several values, while updated_at keeps advancing.
            $done = @($running.done)
            for ($i = 1; $i -lt $done.Count; $i++) { $done[$i] | Should -BeGreaterOrEqual $done[$i - 1] }
            @($done | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 3
            $updated = @($running.updated_at | Sort-Object -Unique | ForEach-Object { [DateTimeOffset]::Parse($_, [Globalization.CultureInfo]::InvariantCulture) })
            $updated.Count | Should -BeGreaterOrEqual 3
            for ($i = 1; $i -lt $updated.Count; $i++) { ($updated[$i] - $updated[$i - 1]).TotalSeconds | Should -BeLessOrEqual 2 }
            $running | ForEach-Object { $_.total | Should -Be 12; $_.failed | Should -Be 0 }

            $liveListing.Status | Should -Be 'Running'
            $liveListing.Done | Should -BeGreaterThan 0
            $liveListing.Total | Should -Be 12

            $final = Get-ChildItem $out -Recurse -Filter run.json | Get-Content -Raw | ConvertFrom-Json
            $final.status | Should -Be 'completed'
            $final.done | Should -Be 12
            $final.finished | Should -Be 12
            $final.models | Should -Be @('openai-compatible/slow')
            $run = Get-Eval360Run -Path $out
            $run.Status | Should -Be 'Completed'
            $run.Done, $run.Total | Should -Be @(12, 12)
            $run.FinishedAt | Should -Not -BeNullOrEmpty
        }
        finally { Stop-FakeProvider $fake }
    }
}

Describe '-Resume with new execution settings' {
    It 'runs the rest with -ParallelCalls 2 and -NoReport, records the change, and writes no report' {
        $fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = 150; interTokenDelayMs = 5; tokenCount = 5 } } -NoSpin
        try {
            $models = Join-Path $work 'resume.models.jsonl'
            New-FakeModelFile $models $fake @('alpha')
            $out = Join-Path $work 'resume'
            # A cap of 0 USD stops the run before its first call: budget_exhausted, nothing done.
            Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -InvocationsPerScenario 6 -ExperimentCount 1 -SleepBetweenInvocations 0 `
                -OutputDirectory $out -ExperimentName resumable -MaxCost 0 -WarningAction SilentlyContinue 6>$null | Out-Null
            $stopped = Get-Eval360Run -Path $out
            $stopped.Status | Should -Be 'BudgetExhausted'
            $stopped.Resumable | Should -BeTrue
            @(Get-ModelCalls $fake).Count | Should -Be 0

            $results = @(Invoke-Eval360Benchmark -Resume $stopped.RunId -OutputDirectory $out -NoReport -ParallelCalls 2 -MaxCost 100 6>$null)

            $results.Count | Should -Be 12
            $calls = @(Get-ModelCalls $fake)
            $calls.Count | Should -Be 12
            Get-MostInFlight $calls | Should -Be 2
            $manifest = Get-Content (Join-Path $stopped.Directory 'run.json') -Raw | ConvertFrom-Json
            $manifest.status | Should -Be 'completed'
            $manifest.settings.parallel_calls | Should -Be 2
            $manifest.settings.report | Should -BeFalse
            $manifest.settings.max_cost | Should -Be 100
            $manifest.settings.invocations_per_scenario | Should -Be 6
            $changed = $manifest.resumes[-1].changed | ForEach-Object { "$($_.setting): $($_.from) -> $($_.to)" }
            $changed | Should -Be @('ParallelCalls: 4 -> 2', 'NoReport: off -> on', 'MaxCost: 0 USD -> 100 USD')
            Join-Path $stopped.Directory 'report.html' | Should -Not -Exist
            (Get-Eval360Run -Path $out -Status Completed).RunId | Should -Be $stopped.RunId
        }
        finally { Stop-FakeProvider $fake }
    }

    It 'refuses a setting that would change the plan' {
        { Invoke-Eval360Benchmark -Resume abc -InvocationsPerScenario 3 } | Should -Throw -ErrorId 'AmbiguousParameterSet,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
    }

    It 'says clearly when the run does not exist, and where to look' {
        $out = Join-Path $work 'empty-outputs'
        New-Item -ItemType Directory $out | Out-Null
        $error.Clear()
        { Invoke-Eval360Benchmark -Resume deadbeef -OutputDirectory $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'RunNotFound,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
        $record = $error[0]
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.TargetObject | Should -Be 'deadbeef'
        $record.Exception.Message | Should -Match "There is no run 'deadbeef'"
        $record.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Get-Eval360Run -Path '$out'"))
        "$($record.ErrorDetails.RecommendedAction) $($record.Exception.Message)" | Should -Not -Match 'Fix the file'
    }

    It 'names a damaged run.json as the file to fix' {
        $out = Join-Path $work 'damaged'
        New-Item -ItemType Directory (Join-Path $out 'nightly-0badf00d') -Force | Out-Null
        Set-Content (Join-Path $out 'nightly-0badf00d/run.json') '{ "run_id": '
        { Invoke-Eval360Benchmark -Resume 0badf00d -OutputDirectory $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidConfiguration,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
        $error[0].Exception.Message | Should -Match ([regex]::Escape((Join-Path $out 'nightly-0badf00d/run.json')) + ': cannot be read, so the run cannot be resumed')
    }
}

Describe 'Get-Eval360Run' {
    BeforeAll {
        $out = Join-Path $work 'catalogue'
        $models = Join-Path $RepositoryRoot 'config/quickstart.models.jsonl'
        foreach ($name in 'first', 'second') {
            Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -InvocationsPerScenario 1 -ExperimentCount 1 -SleepBetweenInvocations 0 `
                -OutputDirectory $out -ExperimentName $name -NoReport 6>$null | Out-Null
            Start-Sleep -Milliseconds 20
        }
        New-Item -ItemType Directory (Join-Path $out 'notes') | Out-Null
        New-Item -ItemType Directory (Join-Path $out 'broken-00000000') | Out-Null
        Set-Content (Join-Path $out 'broken-00000000/run.json') '{ "run_id": '
    }

    It 'lists runs newest first, skipping a foreign folder quietly and an unreadable run with a warning' {
        $runs = @(Get-Eval360Run -Path $out -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1)
        $verbose = @($runs | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
        $runs = @($runs | Where-Object { $_ -is [Eval360.RunInfo] })
        $runs.ExperimentName | Should -Be @('second', 'first')
        $runs | ForEach-Object { $_.Status | Should -Be 'Completed'; $_.Done | Should -Be 6; $_.Total | Should -Be 6 }
        $runs[0].Models.Count | Should -Be 3
        $runs[0].Directory | Should -Be (Get-ChildItem $out -Directory -Filter 'second-*').FullName
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -Match 'broken-00000000 is skipped: its run.json cannot be read'
        "$verbose" | Should -Match 'notes has no run.json'
    }

    It 'filters by status, and reads the default outputs folder of the current location' {
        @(Get-Eval360Run -Path $out -Status Running, Cancelled -WarningAction SilentlyContinue).Count | Should -Be 0
        Push-Location $work
        try {
            Rename-Item $out 'outputs'
            @(Get-Eval360Run -WarningAction SilentlyContinue).Count | Should -Be 2
        }
        finally {
            Rename-Item (Join-Path $work 'outputs') 'catalogue'
            Pop-Location
        }
    }

    It 'shows a table that fits 120 columns, the key columns within 80, and exports readable CSV' {
        $runs = Get-Eval360Run -Path $out -WarningAction SilentlyContinue
        $wide = $runs | Format-Table | Out-String -Width 120
        foreach ($header in 'RunId', 'ExperimentName', 'Status', 'Done/Total', 'Failed', 'StartedAt', 'Models') { $wide | Should -Match ([regex]::Escape($header)) }
        $wide -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
        $wide | Should -Match '6/6'
        $narrow = $runs | Format-Table | Out-String -Width 80
        foreach ($header in 'RunId', 'ExperimentName', 'Status', 'Done/Total', 'Failed', 'StartedAt') { $narrow | Should -Match ([regex]::Escape($header)) }

        $csv = $runs | ConvertTo-Csv | Out-String
        $csv | Should -Not -Match 'System\.'
        $csv | Should -Match ([regex]::Escape('sim/swift-mini, sim/balanced-pro, sim/scholar-ultra'))
    }

    It 'complains about a path that is not a folder' {
        { Get-Eval360Run -Path (Join-Path $work 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,Eval360.PowerShell.Commands.GetEval360RunCommand'
    }
}

Describe 'Run settings from the engine registry' {
    It 'validates a parameter with the range the engine defines' {
        { Invoke-Eval360Benchmark $scenarios -ParallelCalls 0 -LatencyOnly -WhatIf } | Should -Throw '*0 is not allowed: use 1 to 4,096*'
        { Invoke-Eval360Benchmark $scenarios -SleepBetweenInvocations -1 -LatencyOnly -WhatIf } | Should -Throw '*use 0 to 86,400 s*'
        { Invoke-Eval360Benchmark $scenarios -ExperimentName 'a/b' -LatencyOnly -WhatIf } | Should -Throw '*must be a valid folder name*'
    }

    It 'lists every setting with its value in the -WhatIf plan' {
        $plan = Invoke-Eval360Benchmark $scenarios -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') -LatencyOnly -ParallelCalls 3 -SleepBetweenInvocations 0.5 -WhatIf 6>&1 | Out-String
        $plan | Should -Match '-ParallelCalls 3, '
        $plan | Should -Match '-SleepBetweenInvocations 0.5 s'
        $plan | Should -Match '-MaxRetries 4'
        $plan | Should -Match '-LatencyOnly on'
    }

    It 'the cmdlet has a validated parameter for every ranged setting, and -Resume takes exactly the execution settings' {
        $command = Get-Command Invoke-Eval360Benchmark
        $validated = foreach ($parameter in $command.Parameters.Values) {
            $attribute = $parameter.Attributes | Where-Object { $_.GetType().Name -eq 'ValidateRunSettingAttribute' }
            if ($attribute) {
                $attribute.Setting.Name | Should -Be $parameter.Name
                $attribute.Setting
            }
        }
        @($validated | Where-Object { $null -ne $_.RangeText }).Count | Should -Be 12
        $resume = $command.ParameterSets | Where-Object Name -eq 'Resume'
        $registry = $validated[0].GetType().Assembly.GetType('Eval360.Configuration.RunSettings')
        $resumable = @($registry::Resumable.Name)
        $resumable.Count | Should -Be 9
        foreach ($name in $resumable) { $resume.Parameters.Name | Should -Contain $name }
        $planSettings = @($registry::All | Where-Object { -not $_.Resumable }).Name
        foreach ($name in $planSettings) { $resume.Parameters.Name | Should -Not -Contain $name }
    }

    It 'the help states each setting''s default and range as the engine defines them' {
        $doc = Get-Content (Join-Path $RepositoryRoot 'docs/en-US/Invoke-Eval360Benchmark.md') -Raw
        $settings = (Get-Command Invoke-Eval360Benchmark).Parameters.Values.Attributes |
            Where-Object { $_.GetType().Name -eq 'ValidateRunSettingAttribute' } | ForEach-Object Setting
        foreach ($setting in $settings) {
            $section = [regex]::Match($doc, "(?ms)^### -$($setting.Name)\r?\n(.*?)(?=^### |^## )").Groups[1].Value
            $section | Should -Not -BeNullOrEmpty -Because $setting.Name
            if ($null -ne $setting.RangeText) { $section | Should -Match ([regex]::Escape("($($setting.RangeText))")) -Because $setting.Name }
            if ($setting.DefaultValue -is [ValueType]) {
                $section | Should -Match ("(?m)^Default: " + [regex]::Escape($setting.Format($setting.DefaultValue)) + '$') -Because $setting.Name
            }
        }
    }
}
