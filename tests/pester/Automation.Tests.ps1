#Requires -Version 7.4
# What a scheduled script relies on: a failing run fails the script, a low pass rate fails it, and a spending cap
# stops a run cleanly so it can be resumed with a higher cap to exactly the same end.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $quickstart = @{
        InputFile               = Join-Path $RepositoryRoot 'runs/quickstart.jsonl'
        ModelProfile            = Join-Path $RepositoryRoot 'config/quickstart.models.jsonl'
        JudgeProfile            = Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl'
        SleepBetweenInvocations = 0
        ParallelCalls           = 8
        ExperimentCount         = 1
        InvocationsPerScenario  = 1
    }
}

Describe 'Gates for scheduled runs' {
    It '-FailOnError turns failed invocations into a terminating error, after the results are on disk' {
        # 'broken' answers, then breaks off every stream: reachable, so it runs, and every invocation of it fails.
        $fake = Start-FakeProvider @{ default = @{ tokenCount = 3 }; broken = @{ midStreamErrorAfter = 1; errorMessage = 'down' } }
        try {
            $models = Join-Path $TestDrive 'gate.models.jsonl'
            New-FakeModelFile $models $fake @('fine', 'broken')
            $out = Join-Path $TestDrive 'gate'
            $error.Clear()
            { Invoke-Eval360Benchmark $quickstart.InputFile -ModelProfile $models -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 `
                    -InvocationsPerScenario 1 -MaxRetries 0 -OutputDirectory $out -FailOnError -OutVariable results 6>$null | Out-Null } |
                Should -Throw -ErrorId 'BenchmarkHadErrors,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
            $error[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $error[0].Exception.Message | Should -Match '6 failed invocation'
            (Get-ChildItem $out -Recurse -Filter journal.jsonl | Get-Content).Count | Should -Be 12

            # A script run by a scheduler exits with a failure code.
            $script = Join-Path $TestDrive 'nightly.ps1'
            "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Invoke-Eval360Benchmark '$($quickstart.InputFile)' -ModelProfile '$models' -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -MaxRetries 0 -OutputDirectory '$out' -FailOnError | Out-Null" | Set-Content $script
            $command = Get-PwshCommand
            & $command[0] @($command | Select-Object -Skip 1) -NoProfile -File $script *> $null
            $LASTEXITCODE | Should -Be 1
        }
        finally { Stop-FakeProvider $fake }
    }

    It '-MinPassRate fails the run when too few answers pass' {
        $out = Join-Path $TestDrive 'passrate'
        $error.Clear()
        { Invoke-Eval360Benchmark @quickstart -OutputDirectory $out -MinPassRate 0.99 6>$null | Out-Null } |
            Should -Throw -ErrorId 'PassRateBelowMinimum,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
        $error[0].Exception.Message | Should -Match 'below -MinPassRate 99'
        { Invoke-Eval360Benchmark @quickstart -OutputDirectory $out -MinPassRate 0.1 6>$null | Out-Null } | Should -Not -Throw
    }
}

Describe 'A spending cap' {
    It 'stops scheduling before the cap, says so, and a higher cap finishes exactly the plan' {
        $out = Join-Path $TestDrive 'budget'
        $first = @(Invoke-Eval360Benchmark @quickstart -OutputDirectory $out -MaxCost 0.03 -WarningVariable warnings -WarningAction SilentlyContinue 6>$null)
        $warnings | Should -Match 'would pass -MaxCost 0.03 USD'
        $run = Get-ChildItem $out -Directory
        $manifest = Get-Content (Join-Path $run.FullName 'run.json') | ConvertFrom-Json
        $manifest.status | Should -Be 'budget_exhausted'
        $manifest.spent_usd | Should -BeLessOrEqual 0.03
        $first.Count | Should -BeLessThan 18
        ($first | Measure-Object -Property Cost -Sum).Sum + ($first | Measure-Object -Property JuryCost -Sum).Sum | Should -BeLessOrEqual 0.03

        $rest = @(Invoke-Eval360Benchmark -Resume $run.FullName -MaxCost 10 6>$null)
        ($first.Count + $rest.Count) | Should -Be 18
        (Get-Content (Join-Path $run.FullName 'run.json') | ConvertFrom-Json).status | Should -Be 'completed'
        (Import-Csv (Join-Path $run.FullName 'invocations.csv')).Count | Should -Be 18
        ((Import-Eval360Result $run.FullName).Key | Sort-Object -Unique).Count | Should -Be 18
    }

    It '-WhatIf on a resumable run counts only what is left' {
        $out = Join-Path $TestDrive 'whatif'
        Invoke-Eval360Benchmark @quickstart -OutputDirectory $out -MaxCost 0.03 -WarningAction SilentlyContinue 6>$null | Out-Null
        $run = Get-ChildItem $out -Directory
        $done = (Get-Content (Join-Path $run.FullName 'journal.jsonl')).Count
        $plan = Invoke-Eval360Benchmark -Resume $run.FullName -WhatIf 6>&1 | Out-String
        $plan | Should -Match "would make $(18 - $done) model calls \($done of 18 already done\)"
    }
}
