#Requires -Version 7.4
# A model nothing answers for is left out before the run, not retried for every invocation; the capability check says
# which models are unavailable, and which are reachable but throttled.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $fake = Start-FakeProvider @{
        'default' = @{ tokenCount = 5; firstTokenDelayMs = 100 }
        'down'    = @{ status = 500; errorMessage = 'The server had an error while processing your request' }
        'busy'    = @{ status = 429; retryAfter = '0'; errorMessage = 'Rate limit reached for requests' }
    }
    $nowhere = 'http://127.0.0.1:9/v1'
    function New-ModelLine([string] $Model, [string] $Endpoint) {
        '{"model_id": "openai-compatible/' + $Model + '", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $Endpoint + '"}'
    }
    $run = @{
        InputFile               = Join-Path $RepositoryRoot 'runs/quickstart.jsonl'
        LatencyOnly             = $true
        SleepBetweenInvocations = 0
        ExperimentCount         = 1
        InvocationsPerScenario  = 2
        NoReport                = $true
    }
}

AfterAll { Stop-FakeProvider $fake }

Describe 'An unreachable model' {
    It 'is left out before a run, which finishes in about the time of the reachable model alone' {
        $alone = Join-Path $TestDrive 'alone.models.jsonl'
        New-ModelLine 'fine' $fake.BaseUrl | Set-Content $alone
        $both = Join-Path $TestDrive 'both.models.jsonl'
        @((New-ModelLine 'fine' $fake.BaseUrl), (New-ModelLine 'nowhere' $nowhere)) | Set-Content $both

        $aloneTime = Measure-Command { Invoke-Eval360Benchmark @run -ModelProfile $alone -OutputDirectory (Join-Path $TestDrive 'alone') 6>$null | Out-Null }
        $out = Join-Path $TestDrive 'both'
        $bothTime = Measure-Command {
            $script:results = @(Invoke-Eval360Benchmark @run -ModelProfile $both -OutputDirectory $out -WarningVariable warnings -WarningAction SilentlyContinue 6>$null)
        }

        $results.Count | Should -Be 12
        $results.ModelId | Sort-Object -Unique | Should -Be 'openai-compatible/fine'
        $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'openai-compatible/nowhere @ local \(candidate\) is left out: network: connection failed .*refused'
        $manifest = Get-Content (Get-ChildItem $out -Recurse -Filter run.json).FullName | ConvertFrom-Json
        $manifest.status | Should -Be 'completed'
        $manifest.excluded_models.model_id | Should -Be 'openai-compatible/nowhere'
        $manifest.excluded_models.error_code | Should -Be 'network'
        (Import-Csv (Get-ChildItem $out -Recurse -Filter invocations.csv).FullName).model_id | Sort-Object -Unique | Should -Be 'openai-compatible/fine'

        # Retrying the unreachable model (4 retries, 1+2+4+8 s of back-off each) would take a minute; leaving it out
        # costs one refused connection.
        $bothTime.TotalSeconds | Should -BeLessThan (2 * $aloneTime.TotalSeconds + 5) -Because "alone took $($aloneTime.TotalSeconds) s"
    }

    It 'stops the run clearly when nothing is left' {
        $models = Join-Path $TestDrive 'none.models.jsonl'
        @((New-ModelLine 'nowhere' $nowhere), ('{"model_id": "ollama/llama3.2", "input_token_cost": 0, "output_token_cost": 0, "endpoint": "' + $nowhere + '"}')) | Set-Content $models
        $error.Clear()
        { Invoke-Eval360Benchmark @run -ModelProfile $models -OutputDirectory (Join-Path $TestDrive 'none') -WarningAction SilentlyContinue 6>$null | Out-Null } |
            Should -Throw -ErrorId 'NoAccessibleModel,Eval360.PowerShell.Commands.InvokeEval360BenchmarkCommand'
        $error[0].Exception.Message | Should -Match 'openai-compatible/nowhere: network: .*ollama/llama3.2: network: '
    }
}

Describe 'Test-Eval360ModelCapability' {
    It 'says which models are unavailable, and which are reachable but throttled' {
        $models = Join-Path $TestDrive 'capability.models.jsonl'
        @(
            (New-ModelLine 'fine' $fake.BaseUrl)
            (New-ModelLine 'nowhere' $nowhere)
            (New-ModelLine 'down' $fake.BaseUrl)
            (New-ModelLine 'busy' $fake.BaseUrl)
        ) | Set-Content $models
        $capabilities = Test-Eval360ModelCapability $models -CachePath (Join-Path $TestDrive 'capabilities.json')
        $byModel = @{}
        $capabilities | ForEach-Object { $byModel[$_.ModelId] = $_ }

        $fine = $byModel['openai-compatible/fine']
        ($fine.Available, $fine.Throttled, $fine.ErrorCode) | Should -Be @($true, $false, $null)

        $refused = $byModel['openai-compatible/nowhere']
        ($refused.Available, $refused.ErrorCode) | Should -Be @($false, 'network')
        $refused.Error | Should -Match 'refused'

        $failing = $byModel['openai-compatible/down']
        ($failing.Available, $failing.ErrorCode) | Should -Be @($false, 'server')
        $failing.Error | Should -Be 'HTTP 500: The server had an error while processing your request (on each of 3 attempts)'

        $throttled = $byModel['openai-compatible/busy']
        ($throttled.Available, $throttled.Throttled, $throttled.ErrorCode) | Should -Be @($true, $true, 'throttled')
        $throttled.Error | Should -Be 'HTTP 429: Rate limit reached for requests'
        "$throttled" | Should -Match 'available \(throttled\)'

        # The fake saw the always-failing model asked three times, the throttled one once.
        $served = Invoke-RestMethod "$($fake.Origin)_fake/requests"
        @($served | Where-Object model -EQ 'down').Count | Should -Be 3
        @($served | Where-Object model -EQ 'busy').Count | Should -Be 1
    }
}
