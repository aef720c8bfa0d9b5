#Requires -Version 7.4
# Tab completion through TabExpansion2, as a console's Tab asks for it: -Resume, -ModelId, -Region, -ServiceTier.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop

    function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }

    # Three runs written as a run writes them (run.json), started at known times, plus a folder that is no run.
    function New-Run([string] $Outputs, [string] $Name, [string] $Id, [string] $Status, [string] $CreatedAt, [int] $Done) {
        $dir = New-Item -ItemType Directory (Join-Path $Outputs "$Name-$Id") -Force
        @{ run_id = $Id; experiment_name = $Name; status = $Status; created_at = $CreatedAt; updated_at = $CreatedAt; ended_at = $CreatedAt
            finished = $Done; planned_invocations = 72; failed = 1; models = @('sim/swift-mini'); judges = @() } |
            ConvertTo-Json | Set-Content (Join-Path $dir 'run.json')
    }

    $work = New-Item -ItemType Directory (Join-Path $TestDrive 'work')
    $outputs = Join-Path $work 'outputs'
    New-Run $outputs 'nightly' 'aa11bb22' 'completed' '2026-03-12T02:00:00Z' 72
    New-Run $outputs 'capped' 'ab33cd44' 'budget_exhausted' '2026-03-14T02:00:00Z' 31
    New-Run $outputs 'quick start' 'cd55ef66' 'cancelled' '2026-03-13T02:00:00Z' 10
    New-Item -ItemType Directory (Join-Path $outputs 'not-a-run') | Out-Null
    $elsewhere = Join-Path $TestDrive 'archive'
    New-Run $elsewhere 'archived' 'ee77ff88' 'completed' '2026-01-01T00:00:00Z' 72

    New-Item -ItemType Directory (Join-Path $work 'config') | Out-Null
    @(
        '{"model_id": "bedrock/us.amazon.nova-pro-v1:0", "region": "us-west-2", "input_token_cost": 0.0008, "output_token_cost": 0.0032}'
        '{"model_id": "bedrock/us.amazon.nova-pro-v1:0", "region": "us-east-1", "service_tier": "priority", "input_token_cost": 0.0008, "output_token_cost": 0.0032}'
        '{"model_id": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", "region": "eu-west-1", "service_tier": "flex", "input_token_cost": 0.001, "output_token_cost": 0.005}'
        '{"model_id": "openai/gpt-4o-mini", "input_token_cost": 0.00015, "output_token_cost": 0.0006}'
    ) | Set-Content (Join-Path $work 'config/models_profiles.jsonl')
    New-Item -ItemType Directory (Join-Path $work 'other') | Out-Null
    '{"model_id": "sim/only-here", "region": "sim-local-1", "input_token_cost": 0.001, "output_token_cost": 0.002}' | Set-Content (Join-Path $work 'other/my models.jsonl')

    # -ModelId, -Region and -ServiceTier belong to Test-Eval360ModelCapability (issue 10). The completers are registered
    # by parameter name for every Eval360 cmdlet, so they are there as soon as the cmdlet has them; until then a stand-in
    # with the cmdlet's name and those parameters lets TabExpansion2 ask for them exactly as it will. It lives in this
    # file's scope only (PowerShell's scopes are dynamic: TabExpansion2, called from here, sees it; other files do not).
    $capability = Get-Command Test-Eval360ModelCapability -CommandType Cmdlet
    if (-not $capability.Parameters.ContainsKey('ModelId')) {
        function Test-Eval360ModelCapability {
            param([Parameter(Position = 0)] [string] $ModelProfile, [string] $JudgeProfile, [string[]] $ModelId, [string[]] $Region, [string[]] $ServiceTier)
        }
    }

    Push-Location $work
}

AfterAll { Pop-Location }

Describe '-Resume' {
    It 'completes the run ids of ./outputs, newest first, with each run''s status in the tooltip' {
        $found = Complete 'Invoke-Eval360Benchmark -Resume '
        $ids = $found | Where-Object ResultType -eq 'ParameterValue'
        $ids.CompletionText | Should -Be @('ab33cd44', 'cd55ef66', 'aa11bb22')
        $ids[0].ToolTip | Should -Match '^BudgetExhausted: 31/72 done, 1 failed'
        $ids[1].ToolTip | Should -Match '^Cancelled'
        $ids[2].ToolTip | Should -Match '^Completed: 72/72 done'
        $ids[0].ListItemText | Should -Be 'ab33cd44 capped (BudgetExhausted)'
    }

    It 'completes run directories after the ids, quoted when their name needs it' {
        $sep = [IO.Path]::DirectorySeparatorChar
        $dirs = (Complete 'Invoke-Eval360Benchmark -Resume ') | Where-Object ResultType -eq 'ProviderContainer'
        $dirs.CompletionText | Should -Be @(".${sep}outputs${sep}capped-ab33cd44", "'.${sep}outputs${sep}quick start-cd55ef66'", ".${sep}outputs${sep}nightly-aa11bb22")
        $dirs[0].ToolTip | Should -Match '^BudgetExhausted'
    }

    It 'narrows by what is typed: an id''s start, a directory''s name, or a path' {
        (Complete 'Invoke-Eval360Benchmark -Resume ab').CompletionText | Should -Be @('ab33cd44')
        (Complete 'Invoke-Eval360Benchmark -Resume nig').CompletionText | Should -Be @(".$([IO.Path]::DirectorySeparatorChar)outputs$([IO.Path]::DirectorySeparatorChar)nightly-aa11bb22")
        (Complete 'Invoke-Eval360Benchmark -Resume ./outputs/c').CompletionText | Should -Be @(".$([IO.Path]::DirectorySeparatorChar)outputs$([IO.Path]::DirectorySeparatorChar)capped-ab33cd44")
    }

    It 'reads the -OutputDirectory given on the same line' {
        (Complete "Invoke-Eval360Benchmark -OutputDirectory '$elsewhere' -Resume ").CompletionText | Should -Contain 'ee77ff88'
        (Complete "Invoke-Eval360Benchmark -OutputDirectory '$elsewhere' -Resume ").CompletionText | Should -Not -Contain 'ab33cd44'
    }

    It 'offers nothing, and fails nothing, where there is no outputs folder' {
        Push-Location $TestDrive
        try {
            $Error.Clear()
            # (PowerShell then offers the files of the location, as it does when a completer has nothing.)
            @(Complete 'Invoke-Eval360Benchmark -Resume ') | Where-Object ToolTip -match 'done, \d+ failed' | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
        finally { Pop-Location }
    }
}

Describe '-ModelId, -Region, -ServiceTier' {
    It '-ModelId completes the model ids of the default profile file, each once, with regions and tiers in the tooltip' {
        $found = Complete 'Test-Eval360ModelCapability -ModelId '
        $found.CompletionText | Should -Be @('bedrock/us.amazon.nova-pro-v1:0', 'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0', 'openai/gpt-4o-mini')
        $found[0].ToolTip | Should -Be 'bedrock/us.amazon.nova-pro-v1:0: regions us-west-2, us-east-1; tiers default, priority'
    }

    It '-ModelId reads the profile file given on the same line, and matches the name after the provider too' {
        (Complete "Test-Eval360ModelCapability -ModelProfile './other/my models.jsonl' -ModelId ").CompletionText | Should -Be @('sim/only-here')
        (Complete 'Test-Eval360ModelCapability ./config/models_profiles.jsonl -ModelId gpt').CompletionText | Should -Be @('openai/gpt-4o-mini')
        (Complete 'Test-Eval360ModelCapability -ModelId bedrock/us.an').CompletionText | Should -Be @('bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0')
    }

    It '-Region completes the regions of the file, of the -ModelId on the line when there is one' {
        (Complete 'Test-Eval360ModelCapability -Region ').CompletionText | Should -Be @('us-west-2', 'us-east-1', 'eu-west-1')
        (Complete 'Test-Eval360ModelCapability -ModelId bedrock/us.amazon.nova-pro-v1:0 -Region ').CompletionText | Should -Be @('us-west-2', 'us-east-1')
        (Complete 'Test-Eval360ModelCapability -Region us-').CompletionText | Should -Be @('us-west-2', 'us-east-1')
    }

    It '-ServiceTier completes the tiers, saying which models of the file use each' {
        $found = Complete 'Test-Eval360ModelCapability -ServiceTier '
        $found.CompletionText | Should -Be @('default', 'priority', 'flex')
        $found[1].ToolTip | Should -Be 'priority: bedrock/us.amazon.nova-pro-v1:0'
        (Complete 'Test-Eval360ModelCapability -ServiceTier f').CompletionText | Should -Be @('flex')
    }

    It 'offers nothing, and fails nothing, for a missing or broken profile file' {
        Set-Content (Join-Path $TestDrive 'broken.jsonl') "{not json`n[1,2]`n{`"model_id`": 5}"
        $Error.Clear()
        @(Complete "Test-Eval360ModelCapability -ModelProfile '$TestDrive/broken.jsonl' -ModelId ") | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
        @(Complete "Test-Eval360ModelCapability -ModelProfile ./missing.jsonl -Region ") | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }
}
