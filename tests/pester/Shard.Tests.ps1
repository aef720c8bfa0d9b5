#Requires -Version 7.4
# One plan run whole, and as four shards in four concurrent processes (as four machines would), then merged with
# Merge-Eval360Run: the merge holds exactly the plan's work items, reads like any run, and gives the same figures as
# the shard directories read together; Compare-Eval360Model pairs the same answers over the merge, the shards and the
# plan run whole; merges missing a shard or mixing plans are refused; each shard paced its models to a quarter of their
# target. Models are served by the fake provider (real wire protocol, small delays); the jury is
# the built-in simulator, whose varied scores give the quality figures and their intervals something to differ on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = 5; interTokenDelayMs = 1; tokenCount = 8 } } -NoRecord
    $work = Join-Path $TestDrive 'work'
    New-Item -ItemType Directory $work | Out-Null
    $models = Join-Path $work 'models.jsonl'
    New-FakeModelFile $models $fake @('alpha', 'beta')
    # alpha is paced: 2,400 RPM for the plan, so 600 RPM for each of four shards.
    (Get-Content $models) -replace '("model_id": "openai-compatible/alpha", "region": "local")', '$1, "target_rpm": 2400' | Set-Content $models
    $judges = Join-Path $work 'judges.jsonl'
    '{"model_id": "sim/judge-strict", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.015}', '{"model_id": "sim/judge-lenient", "input_cost_per_1k": 0.0008, "output_cost_per_1k": 0.0032}' |
        Set-Content $judges
    $scenarios = Join-Path $work 'scenarios.jsonl'
    1..12 | ForEach-Object {
        '{"text_prompt": "Question ' + $_ + '?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "Answer ' + $_ + '"}'
    } | Set-Content $scenarios
    $planned = 12 * 2 * 2
    $common = "./scenarios.jsonl -ModelProfile ./models.jsonl -JudgeProfile ./judges.jsonl -InvocationsPerScenario 2 -ExperimentCount 1 -SleepBetweenInvocations 0 -ParallelCalls 8"

    # Runs shards of the plan in concurrent child processes (Kubernetes' JOB_COMPLETION_INDEX 0..n-1 is -Shard i+1/n).
    function Invoke-Shards([int[]] $Indexes, [int] $Count, [string] $Outputs, [string] $Extra = '') {
        $children = foreach ($i in $Indexes) {
            $log = Join-Path $work "shard-$i-of-$Count-$([Guid]::NewGuid().ToString('N').Substring(0, 6)).log"
            $child = Start-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$work'
`$ProgressPreference = 'SilentlyContinue'
Invoke-Eval360Benchmark $common -ExperimentName nightly -OutputDirectory '$Outputs' -Shard $i/$Count $Extra 6>`$null | Out-Null
"@ $log
            [pscustomobject]@{ Process = $child; Log = $log }
        }
        foreach ($child in $children) {
            $child.Process.WaitForExit()
            $child.Process.ExitCode | Should -Be 0 -Because ((Get-Content $child.Log -Raw) + (Get-Content "$($child.Log).err" -Raw))
        }
    }

    Push-Location $work
    $whole = Invoke-Eval360Benchmark ./scenarios.jsonl -ModelProfile ./models.jsonl -JudgeProfile ./judges.jsonl -InvocationsPerScenario 2 `
        -ExperimentCount 1 -SleepBetweenInvocations 0 -ParallelCalls 8 -ExperimentName whole -OutputDirectory (Join-Path $work 'whole') -NoReport 6>$null
    Pop-Location
    $wholeDirectory = (Get-ChildItem (Join-Path $work 'whole') -Directory).FullName

    $shardOutputs = Join-Path $work 'shards'
    Invoke-Shards @(1, 2, 3, 4) 4 $shardOutputs
    $shardDirectories = @(Get-ChildItem $shardOutputs -Directory | ForEach-Object FullName)
}

AfterAll {
    Stop-FakeProvider $fake
    Get-Module Eval360 | Remove-Module -Force
}

Describe 'Four shards in four processes, merged' {
    It 'each shard names the plan and its shard, and the shards together plan the whole' {
        $shardDirectories.Count | Should -Be 4
        $wholePlan = (Get-Content (Join-Path $wholeDirectory 'run.json') | ConvertFrom-Json).plan_id
        $wholePlan | Should -Match '^[0-9a-f]{16}$'
        $manifests = $shardDirectories | ForEach-Object { Get-Content (Join-Path $_ 'run.json') | ConvertFrom-Json }
        @($manifests.plan_id | Sort-Object -Unique) | Should -Be @($wholePlan)
        @($manifests.shard | Sort-Object) | Should -Be @('1/4', '2/4', '3/4', '4/4')
        @($manifests.status | Sort-Object -Unique) | Should -Be @('completed')
        ($manifests.total | Measure-Object -Sum).Sum | Should -Be $planned
        @(Get-Eval360Run -Path $shardOutputs).Shard | Sort-Object | Should -Be @('1/4', '2/4', '3/4', '4/4')
    }

    It 'each shard paced alpha to a quarter of its target_rpm' {
        $results = $shardDirectories | Import-Eval360Result
        $alpha = @($results | Where-Object ModelId -eq 'openai-compatible/alpha')
        $alpha.Count | Should -BeGreaterThan 0
        $alpha | ForEach-Object { $_.TargetRpm | Should -Be 600 }
        @($results | Where-Object ModelId -eq 'openai-compatible/beta' | Where-Object { $null -ne $_.TargetRpm }).Count | Should -Be 0
        @($whole | Where-Object ModelId -eq 'openai-compatible/alpha')[0].TargetRpm | Should -Be 2400
    }

    It 'the merge holds exactly the key set and rows of the plan run whole, and reads as a normal run' {
        $merged = Merge-Eval360Run -Path $shardDirectories -Destination (Join-Path $work 'merged')
        $merged.GetType().FullName | Should -Be 'Eval360.RunInfo'
        $merged.Status | Should -Be 'Completed'
        $merged.Done | Should -Be $planned
        $merged.Total | Should -Be $planned
        $merged.Shard | Should -BeNullOrEmpty
        foreach ($file in 'journal.jsonl', 'invocations.csv', 'unprocessed.json', 'summary.json', 'report.html', 'run.json', 'inputs/scenarios.jsonl') {
            Join-Path $merged.Directory $file | Should -Exist
        }

        $mergedResults = @(Import-Eval360Result $merged.Directory)
        $mergedResults.Count | Should -Be $planned
        $wholeKeys = @($whole.Key | Sort-Object)
        $wholeKeys.Count | Should -Be $planned
        @($mergedResults.Key | Sort-Object) | Should -Be $wholeKeys
        @(Import-Csv (Join-Path $merged.Directory 'invocations.csv')).Count | Should -Be $planned
        @(Import-Csv (Join-Path $merged.Directory 'invocations.csv') | ForEach-Object key | Sort-Object) | Should -Be $wholeKeys
        (Get-Eval360Run -Path $merged.Directory).RunId | Should -Be $merged.RunId
        $manifest = Get-Content (Join-Path $merged.Directory 'run.json') | ConvertFrom-Json
        @($manifest.merged_shards.shard) | Should -Be @('1/4', '2/4', '3/4', '4/4')
    }

    It 'summaries and the report over the shard directories equal those over the merge' {
        $mergedDirectory = Join-Path $work 'merged'
        $overShards = Get-Eval360Summary -Path ($shardDirectories | Sort-Object -Descending)
        $overMerge = Get-Eval360Summary -Path $mergedDirectory
        @($overShards).Count | Should -Be 2
        ($overShards | ConvertTo-Json -Depth 4) | Should -Be ($overMerge | ConvertTo-Json -Depth 4)
        @($overMerge | Where-Object { $null -ne $_.PassRateCiLow }).Count | Should -Be 2

        function Get-ReportFigures([string[]] $Path, [string] $File) {
            New-Eval360Report -Path $Path -OutputPath $File -Title 'same' | Out-Null
            (Get-Content $File -Raw) -replace "nonce-[^']*'|nonce=`"[^`"]*`"", 'nonce' -replace '<div><dt>Source</dt><dd>.*?</dd></div>', '' -replace 'Generated .*? by', 'Generated by'
        }
        $shardReport = Get-ReportFigures $shardDirectories (Join-Path $work 'shards.html')
        $mergeReport = Get-ReportFigures @($mergedDirectory) (Join-Path $work 'merge.html')
        $shardReport | Should -Be $mergeReport
    }

    It 'results name the plan, and Compare-Eval360Model pairs the same answers over the merge, the shard directories and the plan run whole' {
        $mergedDirectory = Join-Path $work 'merged'
        $wholePlan = (Get-Content (Join-Path $wholeDirectory 'run.json') | ConvertFrom-Json).plan_id
        @($shardDirectories | Import-Eval360Result | ForEach-Object PlanId | Sort-Object -Unique) | Should -Be @($wholePlan)
        @(Import-Eval360Result $mergedDirectory | ForEach-Object PlanId | Sort-Object -Unique) | Should -Be @($wholePlan)
        $csv = Join-Path $mergedDirectory 'invocations.csv'
        (Get-Content $csv -TotalCount 1).Split(',')[-1] | Should -Be 'plan_id'
        @(Import-Csv $csv | ForEach-Object plan_id | Sort-Object -Unique) | Should -Be @($wholePlan)

        function Compare-Pair([string[]] $Path) {
            Compare-Eval360Model -Path $Path -ModelA 'openai-compatible/alpha' -ModelB 'openai-compatible/beta' -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
        }
        $overWhole = @(Compare-Pair $wholeDirectory)
        $overShards = @(Compare-Pair $shardDirectories)
        $overMerge = @(Compare-Pair $mergedDirectory)
        # 12 scenarios × 2 invocations × 1 experiment: both models answered 24 items, on every metric, however the plan ran
        # (paired within each shard, the four shards would give far fewer).
        foreach ($comparisons in $overWhole, $overShards, $overMerge) {
            $comparisons.Count | Should -Be 7
            ($comparisons | Where-Object Metric -eq 'Passed').Items | Should -Be 24
            @($comparisons.Items | Sort-Object -Unique) | Should -Be @(24)
        }

        ($overShards | ConvertTo-Json) | Should -Be ($overMerge | ConvertTo-Json)
        ($overWhole | ConvertTo-Json) | Should -Be ($overMerge | ConvertTo-Json)
    }

    It 'refuses a merge with a shard missing, naming it and how to run it' {
        $destination = Join-Path $work 'merged-missing'
        { Merge-Eval360Run -Path ($shardDirectories | Where-Object { (Get-Content (Join-Path $_ 'run.json') | ConvertFrom-Json).shard -ne '3/4' }) -Destination $destination -ErrorAction Stop } |
            Should -Throw -ErrorId 'ShardMissing,Eval360.PowerShell.Commands.MergeEval360RunCommand' -ExpectedMessage '*Shard 3/4 of plan*-Shard 3/4*'
        $destination | Should -Not -Exist
    }

    It 'refuses shards of different plans' {
        $otherOutputs = Join-Path $work 'other'
        Invoke-Shards @(2) 4 $otherOutputs '-TemperatureVariations 1'
        $other = (Get-ChildItem $otherOutputs -Directory).FullName
        $mixed = @($shardDirectories | Where-Object { (Get-Content (Join-Path $_ 'run.json') | ConvertFrom-Json).shard -ne '2/4' }) + $other
        $destination = Join-Path $work 'merged-mixed'
        { Merge-Eval360Run -Path $mixed -Destination $destination -ErrorAction Stop } |
            Should -Throw -ErrorId 'DifferentPlans,Eval360.PowerShell.Commands.MergeEval360RunCommand' -ExpectedMessage '*is not a shard of the same plan*'
        $destination | Should -Not -Exist
    }
}

Describe '-Shard on Invoke-Eval360Benchmark' {
    It 'refuses a shard that is not i/n' {
        { Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -Shard 5/4 -WhatIf } | Should -Throw '*is not a shard i/n*'
        { Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -Shard three -WhatIf } | Should -Throw '*is not a shard i/n*'
    }

    It 'shows the shard in the -WhatIf plan' {
        $plan = Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -InvocationsPerScenario 2 -ExperimentCount 1 -Shard 2/4 -WhatIf 6>&1 | Out-String
        $plan | Should -Match '-Shard 2/4'
        $plan | Should -Match "Shard 2/4: the \d+ of the plan's 48 work items whose key falls in it; target_rpm and target_tpm are divided by 4"
    }
}
