#Requires -Version 7.4
# Recognisable fake secrets are planted in the environment, in .env, and in what a provider sends back; none of them
# may appear in any file a run writes, in any stream the cmdlet writes, or in the summary.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $openAiKey = 'sk-proj-PLANTEDopenaiSECRET0123456789abcdefXYZ'
    $geminiKey = 'AIzaPLANTEDgeminiSECRET0123456789abcdefghij'
    $awsSecret = 'PLANTEDawsSECRET/0123456789abcdefghijklmnop'
    $localKey = 'plantedLocalServerSecret-0123456789'
    $fake = Start-FakeProvider @{
        # Servers that echo the key they were sent, as careless ones do: in an error response (every time, so the access
        # check leaves the model out and says why), and in an error event in the middle of every answer.
        'leaky'   = @{ status = 500; errorMessage = "Internal error for key $localKey and $openAiKey" }
        'spills'  = @{ midStreamErrorAfter = 1; errorMessage = "Stream broke for key $localKey and $openAiKey" }
        'denied'  = @{ status = 401; errorMessage = "Incorrect API key provided: $openAiKey" }
        'default' = @{ tokenCount = 5 }
    }
    $work = Join-Path $TestDrive 'work'
    New-Item -ItemType Directory $work | Out-Null
    Set-Content (Join-Path $work '.env') "GEMINI_API_KEY=$geminiKey`nAWS_SECRET_ACCESS_KEY=$awsSecret`nLOCAL_KEY=$localKey"
    $models = Join-Path $work 'models.jsonl'
    @(
        '{"model_id": "openai-compatible/fine", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '", "api_key_env": "LOCAL_KEY"}'
        '{"model_id": "openai-compatible/leaky", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '", "api_key_env": "LOCAL_KEY"}'
        '{"model_id": "openai-compatible/spills", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '", "api_key_env": "LOCAL_KEY"}'
        '{"model_id": "openai/denied", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '"}'
        '{"model_id": "gemini/fine", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $fake.BaseUrl + '"}'
    ) | Set-Content $models
}

AfterAll { Stop-FakeProvider $fake }

Describe 'Secrets' {
    It 'never reach files, streams, errors or the summary' {
        $transcript = Invoke-ChildPwsh @"
`$env:OPENAI_API_KEY = '$openAiKey'
Import-Module '$ModulePath'
Set-Location '$work'
`$results = Invoke-Eval360Benchmark (Join-Path '$RepositoryRoot' 'runs/quickstart.jsonl') -ModelProfile ./models.jsonl -LatencyOnly -ExperimentCount 1 -InvocationsPerScenario 1 -SleepBetweenInvocations 0 -MaxRetries 1 -Verbose *>&1
`$results | Format-List * | Out-String -Width 400
`$results | Where-Object { `$_ -is [Eval360.InvocationResult] } | Get-Eval360Summary | Format-List * | Out-String -Width 400
Get-ChildItem ./outputs -Recurse -File | Import-Eval360Result -ErrorAction SilentlyContinue | Select-Object -First 3 | Out-String
try { Invoke-Eval360Benchmark ./missing.jsonl -ModelProfile ./models.jsonl -LatencyOnly } catch { `$_ | Out-String }
"@
        # The run did what it should: the denied and the always-failing models were left out, saying why; the errors
        # of the one that breaks off mid-answer were recorded.
        $transcript | Should -Match 'openai/denied.*left out.*auth'
        $transcript | Should -Match 'openai-compatible/leaky.*left out.*server.*Internal error for key \*\*\*'
        $manifest = Get-ChildItem (Join-Path $work 'outputs') -Recurse -Filter run.json
        (Get-Content $manifest.FullName -Raw) | Should -Match 'Internal error for key \*\*\*'
        $journal = Get-ChildItem (Join-Path $work 'outputs') -Recurse -Filter journal.jsonl
        (Get-Content $journal.FullName -Raw) | Should -Match 'Stream broke for key \*\*\*'

        $written = (Get-ChildItem (Join-Path $work 'outputs') -Recurse -File | ForEach-Object { Get-Content $_.FullName -Raw }) -join "`n"
        foreach ($secret in $openAiKey, $geminiKey, $awsSecret, $localKey) {
            $written | Should -Not -Match ([regex]::Escape($secret)) -Because 'no file a run writes may hold a key'
            $transcript | Should -Not -Match ([regex]::Escape($secret)) -Because 'no stream may show a key'
            $written | Should -Not -Match ([regex]::Escape($secret.Substring(0, 20))) -Because 'not even part of one'
        }
    }
}
