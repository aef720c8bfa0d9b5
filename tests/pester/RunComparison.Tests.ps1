#Requires -Version 7.4
# Compare-Eval360Run as a nightly job uses it: two real runs against the fake provider, one model made 30% slower
# to its first token between them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $timing = @{ firstTokenDelayMs = 100; interTokenDelayMs = 25; tokenCount = 20 }
    $fake = Start-FakeProvider @{ default = @{ tokenCount = 5 }; steady = $timing; slowed = $timing }
    $models = Join-Path $TestDrive 'models.jsonl'
    New-FakeModelFile $models $fake @('steady', 'slowed')
    $judges = Join-Path $TestDrive 'judges.jsonl'
    Set-Content $judges ('{"model_id": "openai-compatible/judge", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "' + $fake.BaseUrl + '"}')
    $run = @{
        InputFile               = Join-Path $RepositoryRoot 'runs/quickstart.jsonl'
        ModelProfile            = $models
        JudgeProfile            = $judges
        SleepBetweenInvocations = 0
        ExperimentCount         = 1
        InvocationsPerScenario  = 3
        ParallelCalls           = 4
        NoReport                = $true
    }
    Invoke-Eval360Benchmark @run -OutputDirectory (Join-Path $TestDrive 'baseline') 6>$null | Out-Null
    $slower = $timing.Clone(); $slower.firstTokenDelayMs = 130
    Invoke-RestMethod -Method Put -Uri "$($fake.Origin)_fake/behaviors/slowed" -Body ($slower | ConvertTo-Json) -ContentType 'application/json' | Out-Null
    Invoke-Eval360Benchmark @run -OutputDirectory (Join-Path $TestDrive 'current') 6>$null | Out-Null
    $baseline = (Get-ChildItem (Join-Path $TestDrive 'baseline') -Directory).FullName
    $current = (Get-ChildItem (Join-Path $TestDrive 'current') -Directory).FullName
}

AfterAll { Stop-FakeProvider $fake }

Describe 'Compare-Eval360Run' {
    It 'flags the slowed model''s time to first token, and nothing else' {
        $comparisons = Compare-Eval360Run $current -Baseline $baseline
        $comparisons | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Eval360.RunComparison' }
        @($comparisons | Where-Object Regressed | ForEach-Object { "$($_.ModelId) $($_.Metric)" }) |
            Should -Be @('openai-compatible/slowed TimeToFirstToken')
        $ttft = $comparisons | Where-Object { $_.ModelId -eq 'openai-compatible/slowed' -and $_.Metric -eq 'TimeToFirstToken' }
        $ttft.Change | Should -BeGreaterThan 0.2
        $ttft.Change | Should -BeLessThan 0.4
        $ttft.PValue | Should -BeLessThan 0.05
        $ttft.BaselineCount | Should -Be 18
        # Quality is paired on the six scenarios and did not move.
        $pass = $comparisons | Where-Object { $_.ModelId -eq 'openai-compatible/slowed' -and $_.Metric -eq 'PassRate' }
        $pass.BaselineCount | Should -Be 6
        $pass.Difference | Should -Be 0
        ($comparisons | Where-Object ModelId -eq 'openai-compatible/steady' | Where-Object Metric -eq 'TimeToFirstToken').Regressed | Should -BeFalse
    }

    It 'a larger tolerance accepts the slowdown' {
        Compare-Eval360Run $current -Baseline $baseline -Tolerance 0.5 | Where-Object Regressed | Should -BeNullOrEmpty
    }

    It '-FailOnRegression ends the job with a terminating error, and pwsh -File with exit code 1' {
        $error.Clear()
        { Compare-Eval360Run $current -Baseline $baseline -FailOnRegression | Out-Null } |
            Should -Throw -ErrorId 'RegressionDetected,Eval360.PowerShell.Commands.CompareEval360RunCommand'
        $error[0].Exception.Message | Should -Match 'openai-compatible/slowed \(local\) TimeToFirstToken \+\d'
        { Compare-Eval360Run $baseline -Baseline $baseline -FailOnRegression | Out-Null } | Should -Not -Throw

        $script = Join-Path $TestDrive 'nightly.ps1'
        "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Compare-Eval360Run '$current' -Baseline '$baseline' -FailOnRegression | Out-Null; 'unreachable'" | Set-Content $script
        $command = Get-PwshCommand
        $output = & $command[0] @($command | Select-Object -Skip 1) -NoProfile -File $script 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $output | Should -Not -Match 'unreachable'
    }

    It 'names a path that holds no single run' {
        $error.Clear()
        Compare-Eval360Run (Join-Path $TestDrive 'nothing-*') -Baseline $baseline -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'OneRunExpected,*'
    }
}
