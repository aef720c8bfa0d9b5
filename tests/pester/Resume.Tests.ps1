#Requires -Version 7.4
# A run killed with SIGKILL mid-flight, then resumed: the rows equal the plan, and the provider calls repeated are at
# most the calls that were in flight (-ParallelCalls).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $fake = Start-FakeProvider @{ default = @{ firstTokenDelayMs = 60; interTokenDelayMs = 4; tokenCount = 10 } }
    $work = Join-Path $TestDrive 'work'
    New-Item -ItemType Directory $work | Out-Null
    $models = Join-Path $work 'models.jsonl'
    New-FakeModelFile $models $fake @('alpha', 'beta')
    $scenarios = Join-Path $work 'scenarios.jsonl'
    1..40 | ForEach-Object {
        '{"text_prompt": "Question ' + $_ + '?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "Answer ' + $_ + '"}'
    } | Set-Content $scenarios
    $planned = 40 * 2 * 3
    $parallel = 8
    $out = Join-Path $work 'outputs'
}

AfterAll { Stop-FakeProvider $fake }

Describe 'Resume after kill -9' {
    It 'finishes the plan exactly, repeating at most the calls in flight' {
        $log = Join-Path $work 'child.log'
        $child = Start-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$work'
Invoke-Eval360Benchmark ./scenarios.jsonl -ModelProfile ./models.jsonl -LatencyOnly -InvocationsPerScenario 3 -ExperimentCount 1 -SleepBetweenInvocations 0 -ParallelCalls $parallel -ExperimentName killed | Out-Null
"@ $log
        $journal = $null
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline) {
            $journal = Get-ChildItem $out -Recurse -Filter journal.jsonl -ErrorAction Ignore | Select-Object -First 1
            if ($journal -and @(Get-Content $journal.FullName).Count -ge 60) { break }
            Start-Sleep -Milliseconds 50
        }
        $journal | Should -Not -BeNullOrEmpty
        $child.Kill()   # SIGKILL: no chance to flush or clean up
        $child.WaitForExit()
        $runDirectory = $journal.Directory.FullName
        $beforeResume = @(Get-Content $journal.FullName).Count
        $beforeResume | Should -BeLessThan $planned
        (Get-Content (Join-Path $runDirectory 'run.json') | ConvertFrom-Json).status | Should -Be 'running'

        $resumed = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$work'
`$results = Invoke-Eval360Benchmark -Resume '$runDirectory' 6>`$null
'resumed:' + `$results.Count
"@
        $resumed | Should -Match "resumed:\d+"
        $keys = Get-Content $journal.FullName | ForEach-Object { ($_ | ConvertFrom-Json).Key }
        $keys.Count | Should -Be $planned
        ($keys | Sort-Object -Unique).Count | Should -Be $planned
        (Import-Csv (Join-Path $runDirectory 'invocations.csv')).Count | Should -Be $planned
        (Get-Content (Join-Path $runDirectory 'run.json') | ConvertFrom-Json).status | Should -Be 'completed'

        # Model calls only: not the access check's probe (max_tokens 5) nor the GETs that open connections.
        $served = (Invoke-RestMethod -Uri "$($fake.Origin)_fake/requests") | ForEach-Object { $_ }
        $calls = @($served | Where-Object { $_.route -ne 'Unmatched' -and $_.maxTokens -ne 5 }).Count
        ($calls - $planned) | Should -BeLessOrEqual $parallel
        ($calls - $planned) | Should -BeGreaterOrEqual 0
    }
}
