#Requires -Version 7.4
# run.log: what a scheduled run that went wrong at 3 am leaves behind. The fake provider throttles (injected 429s, one
# model always, one half the time) and echoes planted secrets in its errors; the log must name the retries and the
# throttling, and hold no secret. The same lines reach -Verbose.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -ErrorAction Stop
    $localKey = 'plantedLocalServerSecret-0123456789'
    $openAiKey = 'sk-proj-PLANTEDopenaiSECRET0123456789abcdefXYZ'
    $fake = Start-FakeProvider -ApiKey $localKey -Behaviors @{
        'flaky'   = @{ tokenCount = 5; faults = @{ seed = 7; throttle429Percent = 50; retryAfterSeconds = 0 } }
        'limited' = @{ status = 429; retryAfter = '0'; errorMessage = "Rate limit reached for key $localKey and $openAiKey" }
        'default' = @{ tokenCount = 5 }
    }
    $work = New-Item -ItemType Directory (Join-Path $TestDrive 'work')
    Set-Content (Join-Path $work '.env') "LOCAL_KEY=$localKey"
    @(
        '{"model_id": "openai-compatible/flaky", "region": "local", "target_rpm": 1200, "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '", "api_key_env": "LOCAL_KEY"}'
        '{"model_id": "openai-compatible/limited", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '", "api_key_env": "LOCAL_KEY"}'
    ) | Set-Content (Join-Path $work 'models.jsonl')

    $transcript = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Set-Location '$work'
`$out = Invoke-Eval360Benchmark (Join-Path '$RepositoryRoot' 'runs/quickstart.jsonl') -ModelProfile ./models.jsonl -LatencyOnly -ExperimentCount 1 ``
    -InvocationsPerScenario 2 -SleepBetweenInvocations 0 -ParallelCalls 4 -MaxRetries 3 -Verbose 4>&1 3>&1 6>`$null
`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { 'VERBOSE: ' + `$_.Message }
'results:' + @(`$out | Where-Object { `$_ -is [Eval360.InvocationResult] }).Count
"@
    $runDir = (Get-ChildItem (Join-Path $work 'outputs') -Directory | Select-Object -First 1).FullName
    $logPath = Join-Path $runDir 'run.log'
    $log = Get-Content $logPath -Raw
}

AfterAll { Stop-FakeProvider $fake }

Describe 'run.log' {
    It 'is in the run directory, one timestamped line per event' {
        $logPath | Should -Exist
        $transcript | Should -Match '(?m)^results:24\s*$'
        foreach ($line in Get-Content $logPath) {
            $line | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (INFO |WARN |DEBUG) [A-Za-z]+: '
        }
        $log | Should -Match '(?m) INFO  RunStarted: run [0-9a-f]{8} \(Benchmark-\d+-\d+\) started in .+: 24 of 24 invocations to make, 2 model\(s\), 0 judge\(s\), 4 parallel call\(s\)$'
        $log | Should -Match '(?m) INFO  RunEnded: run [0-9a-f]{8} ended Completed: 24 of 24 invocations done, (1[2-9]|2[0-4]) failed, '
    }

    It 'says what the access check found for each model' {
        $log | Should -Match '(?m) WARN  ModelThrottledAtStart: access check: openai-compatible/limited @ local \(candidate\) answers but is throttled already'
        $log | Should -Match '(?m)access check: openai-compatible/flaky @ local \(candidate\) (answers|answers but is throttled already)'
    }

    It 'names every retry with its reason, and the throttling' {
        $log | Should -Match '(?m) INFO  CallRetried: retry 1 of 3 for openai-compatible/flaky @ local in 0\.00 s, after throttled: '
        $log | Should -Match '(?m) INFO  CallRetried: retry 3 of 3 for openai-compatible/limited @ local in 0\.00 s, after throttled: '
        $log | Should -Match '(?m) WARN  ProviderThrottled: throttled: openai-compatible/limited @ local answered throttled \(HTTP 429\): .*Rate limit reached for key \*\*\* and sk-proj-\*\*\*; it asks to wait 0 s$'
        $log | Should -Match '(?m) WARN  ProviderThrottled: throttled: openai-compatible/flaky @ local answered throttled \(HTTP 429\)'
        $log | Should -Match '(?m) WARN  CallFailed: openai-compatible/limited @ local: the call failed after 4 attempt\(s\) with throttled: '
        # One retry line per retry the results count.
        $results = Import-Eval360Result $runDir
        ([regex]::Matches($log, ' CallRetried: ')).Count | Should -Be ($results | Measure-Object Retries -Sum).Sum
        ([regex]::Matches($log, ' ProviderThrottled: ')).Count | Should -BeGreaterOrEqual ($results | Measure-Object ProviderThrottles -Sum).Sum
    }

    It 'says how a model is paced, and when pacing starts holding its calls back' {
        $log | Should -Match '(?m) INFO  PaceSet: pacing: openai-compatible/flaky @ local is paced to 1200 requests a minute \(one every 0\.05 s\)$'
        $log | Should -Match '(?m) INFO  PacingHolds: pacing: calls to openai-compatible/flaky @ local now wait for their turn'
        $log | Should -Not -Match 'pacing: openai-compatible/limited' -Because 'a model without target_rpm or target_tpm is not paced'
    }

    It 'holds no planted secret, and neither does the verbose stream' {
        foreach ($secret in $localKey, $openAiKey) {
            $log | Should -Not -Match ([regex]::Escape($secret.Substring(0, 20)))
            $transcript | Should -Not -Match ([regex]::Escape($secret.Substring(0, 20)))
        }
    }

    It 'reaches -Verbose on the pipeline thread, line for line' {
        $transcript | Should -Match '(?m)^VERBOSE: \d\d:\d\d:\d\d retry 1 of 3 for openai-compatible/flaky @ local'
        $transcript | Should -Match '(?m)^VERBOSE: \d\d:\d\d:\d\d run [0-9a-f]{8} ended Completed'
        $verbose = @($transcript -split "`n" | Where-Object { $_ -match '^VERBOSE: \d\d:\d\d:\d\d ' })
        $logged = @(Get-Content $logPath | Where-Object { $_ -notmatch ' DEBUG ' })
        $verbose.Count | Should -Be $logged.Count
    }
}

Describe 'run.log of a budget stop' {
    It 'says why scheduling stopped' {
        $out = Join-Path $TestDrive 'budget'
        Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
            -LatencyOnly -ExperimentCount 1 -InvocationsPerScenario 1 -SleepBetweenInvocations 0 -ParallelCalls 1 -MaxCost 0.002 `
            -OutputDirectory $out -WarningAction SilentlyContinue 6>$null | Out-Null
        $budgetLog = Get-Content (Join-Path (Get-ChildItem $out -Directory).FullName 'run.log') -Raw
        $budgetLog | Should -Match '(?m) WARN  BudgetStopped: budget: stopped scheduling: spent [0-9.]+ USD'
        $budgetLog | Should -Match '(?m) INFO  RunEnded: run [0-9a-f]{8} ended BudgetExhausted: '
    }
}
