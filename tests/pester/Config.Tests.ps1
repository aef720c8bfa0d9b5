#Requires -Version 7.4
# Test-Eval360Config and the run agree on every file: "no output: no problems" means the run accepts the file (in every
# role a file of that kind plays), and a file the run refuses always gets a finding, whatever -Kind Auto detects. And
# when a run is refused for several errors, each is its own error record, listed one per line.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $corpus = (Resolve-Path -LiteralPath (Join-Path $RepositoryRoot 'tests/corpus/bad-inputs')).ProviderPath
    $scenarios = Join-Path $RepositoryRoot 'runs/quickstart.jsonl'
    $models = Join-Path $RepositoryRoot 'config/quickstart.models.jsonl'
    $judges = Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl'

    # Whether Invoke-Eval360Benchmark accepts the files (-WhatIf: checked and planned, nothing called or written).
    function Test-RunAccepts([string] $InputFile = $scenarios, [string] $ModelProfile = $models, [string] $JudgeProfile = $judges) {
        try {
            $null = Invoke-Eval360Benchmark $InputFile -ModelProfile $ModelProfile -JudgeProfile $JudgeProfile -OutputDirectory (Join-Path $TestDrive 'never') `
                -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue 6>$null
            $problems.Count -eq 0
        }
        catch {
            $false
        }
    }
}

Describe 'Test-Eval360Config and the run agree' {
    It 'finds something in every file of the bad-input corpus without being told its kind' {
        $cases = Get-Content -LiteralPath (Join-Path $corpus 'cases.json') -Raw | ConvertFrom-Json
        $silent = foreach ($case in $cases) {
            $path = Join-Path $corpus $case.file
            if (-not (Test-Eval360Config -Path $path 3>$null)) { $case.file }
        }
        $silent | Should -BeNullOrEmpty -Because 'the run refuses each of these files, so "no output" would be wrong'
    }

    It 'says nothing about the repository''s good files, and the run accepts each in every role of its kind' {
        $files = @(Get-ChildItem (Join-Path $RepositoryRoot 'config'), (Join-Path $RepositoryRoot 'runs') -Filter *.jsonl).FullName
        $files.Count | Should -BeGreaterOrEqual 6
        foreach ($file in $files) {
            Test-Eval360Config -Path $file | Where-Object Severity -EQ Error | Should -BeNullOrEmpty -Because $file
            if ((Get-Content -LiteralPath $file -TotalCount 1) -match '"model_id"') {
                Test-RunAccepts -ModelProfile $file | Should -BeTrue -Because "$file as -ModelProfile"
                Test-RunAccepts -JudgeProfile $file | Should -BeTrue -Because "$file as -JudgeProfile"
            }
            else {
                Test-RunAccepts -InputFile $file | Should -BeTrue -Because "$file as -InputFile"
            }
        }
    }

    It 'accepts a judge file written with the model price fields, and a model file with the judge ones' {
        $judgeWithModelPrices = Join-Path $TestDrive 'my.judges.jsonl'
        Set-Content -LiteralPath $judgeWithModelPrices -Value '{"model_id": "sim/judge-strict", "region": "sim-local-1", "input_token_cost": 0.003, "output_token_cost": 0.015}'
        $modelWithJudgePrices = Join-Path $TestDrive 'my.models.jsonl'
        Set-Content -LiteralPath $modelWithJudgePrices -Value '{"model_id": "sim/swift-mini", "region": "sim-local-1", "input_cost_per_1k": 0.00015, "output_cost_per_1k": 0.0006}'

        Test-Eval360Config $judgeWithModelPrices, $modelWithJudgePrices | Should -BeNullOrEmpty
        Test-RunAccepts -JudgeProfile $judgeWithModelPrices | Should -BeTrue
        Test-RunAccepts -ModelProfile $modelWithJudgePrices | Should -BeTrue
        $results = @(Invoke-Eval360Benchmark $scenarios -ModelProfile $modelWithJudgePrices -JudgeProfile $judgeWithModelPrices -SleepBetweenInvocations 0 `
                -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory (Join-Path $TestDrive 'prices') -NoReport 6>$null)
        $results.Count | Should -Be 6
        $results[0].Cost | Should -BeGreaterThan 0
        $results[0].Judges[0].Cost | Should -BeGreaterThan 0
    }

    It 'warns when a scenario file is named as profiles, which the run''s profile parameters refuse' {
        $named = Join-Path $TestDrive 'models.jsonl'
        Copy-Item $scenarios $named
        $finding = Test-Eval360Config $named
        $finding.Severity | Should -Be 'Warning'
        $finding.Message | Should -BeLike 'holds scenarios, though its name says model profiles: -ModelProfile and -JudgeProfile refuse it*'
        Test-RunAccepts -ModelProfile $named | Should -BeFalse
    }
}

Describe 'A run refused for bad configuration' {
    It 'lists several errors one per line, each its own record with the finding as target, then sums them up' {
        $bad = Join-Path $TestDrive 'three.models.jsonl'
        Set-Content -LiteralPath $bad -Value '{"model_id": "foo/x", "input_token_cost": 1}', '{"model_id": "openai/y", "input_token_cost": 0.1, "output_token_cost": -1}'
        $thrown = $null
        try {
            Invoke-Eval360Benchmark $scenarios -ModelProfile $bad -LatencyOnly -OutputDirectory (Join-Path $TestDrive 'refused') -ErrorVariable problems 2>$null
        }
        catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration,*'
        "$thrown" | Should -Be 'Configuration has 3 errors, each listed above; nothing was done.'
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike 'Fix the file, line and field*'
        $thrown.Exception.Message -split '\r?\n' | Should -HaveCount 4 -Because 'a script''s catch still reads every error'

        $each = @($problems | Where-Object { $_.TargetObject -is [Eval360.ConfigFinding] -and $_ -ne $thrown } | Select-Object -First 3)
        $each.Count | Should -Be 3
        $each | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
        $each.TargetObject.Field | Should -Be 'model_id', 'output_token_cost', 'output_token_cost'
        $each | ForEach-Object { "$_" | Should -Be "$($_.TargetObject)" }
        (Get-Content -LiteralPath $bad -TotalCount 1) | Should -Not -BeNullOrEmpty
        Join-Path $TestDrive 'refused' | Should -Not -Exist
    }

    It 'recommends fixing the file only when a file is at fault' {
        try { Invoke-Eval360Benchmark $scenarios -ModelProfile $models -LatencyOnly -ExperimentName 'a/b' -OutputDirectory (Join-Path $TestDrive 'p') -WhatIf 6>$null }
        catch { $parameter = $_ }
        "$parameter" | Should -BeLike '*ExperimentName*must be a valid folder name*'
        $parameter.ErrorDetails.RecommendedAction | Should -BeNullOrEmpty

        try { Invoke-Eval360Benchmark (Join-Path $TestDrive 'missing.jsonl') -ModelProfile $models -LatencyOnly -WhatIf 6>$null }
        catch { $missing = $_ }
        "$missing" | Should -BeLike '*missing.jsonl: does not exist (-InputFile)*'
        $missing.ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
    }
}
