#Requires -Version 7.4
# Every table view fits a terminal: rendered with Format-Table at 80 and 120 columns (Out-String -Width, as a console
# of that width would), the most important columns are there at 80, everything that matters at 120, no line is wider
# than the terminal, and long text wraps instead of being cut.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    Push-Location $TestDrive

    $results = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
            -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -SleepBetweenInvocations 0 -ParallelCalls 16 `
            -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory (Join-Path $TestDrive 'outputs') -NoReport 6>$null)

    # Renders $InputObject as a table at $Width; returns the header (the lines above the dashes) and the whole text.
    function Get-Table($InputObject, [int] $Width, [string] $View) {
        $arguments = @{}
        if ($View) { $arguments.View = $View }
        $text = $InputObject | Format-Table @arguments | Out-String -Width $Width
        $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
        $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($line) $line -match '^-+( +-+)*\s*$' })
        [pscustomobject]@{ Header = ($lines[0..($dashes - 1)] -join "`n"); Lines = $lines; Text = $text }
    }

    # Everything right of a last column's start, line after line, without white space: a wrapped cell's whole text.
    function Get-ColumnText($Table, [string] $Column) {
        $start = $Table.Header.IndexOf($Column)
        (($Table.Lines | Select-Object -Skip 2 | ForEach-Object { if ($_.Length -gt $start) { $_.Substring($start) } }) -join '') -replace '\s'
    }

    function Assert-Fits($Table, [int] $Width, [string[]] $Columns) {
        foreach ($column in $Columns) {
            $Table.Header | Should -Match "(^|\s)$([regex]::Escape($column))(\s|$)" -Because "the $column column belongs within $Width columns"
        }
        ($Table.Lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual $Width
    }
}

AfterAll { Pop-Location }

Describe 'Table views at 80 and 120 columns' {
    It 'Eval360.InvocationResult' {
        Assert-Fits (Get-Table $results 80) 80 'ModelId', 'Status', 'TTFT(s)', 'Tok/s', 'Cost($)', 'Score', 'Passed'
        Assert-Fits (Get-Table $results 120) 120 'ModelId', 'Status', 'TTFT(s)', 'Tok/s', 'Cost($)', 'Score', 'Passed', 'Scenario', 'Exp', '#', 'Temp', 'TTLB(s)'
        # The simulator is labelled on every row, even at 80 columns.
        (Get-Table $results[0] 80).Text | Should -Match '(?m)^sim/\S+ .*\r?\n\[simulated\]'
    }

    It 'Eval360.ModelSummary' {
        $summary = $results | Get-Eval360Summary
        Assert-Fits (Get-Table $summary 80) 80 'ModelId', 'Region', 'PassRate', 'Score', 'TTFT p50', 'Tok/s', 'Cost($)'
        Assert-Fits (Get-Table $summary 120) 120 'ModelId', 'Region', 'PassRate', 'Score', 'TTFT p50', 'Tok/s', 'Cost($)', 'TTFT p95', 'TTLB p50', 'Calls', 'Failed', '$/resp'
        (Get-Table $summary 80).Text | Should -Match 'sim/scholar-ultra'
    }

    It 'Eval360.ModelSummary, -View Reliability' {
        $summary = $results | Get-Eval360Summary
        Assert-Fits (Get-Table $summary 80 Reliability) 80 'ModelId', 'Region', 'Calls', 'Success', 'Retries', '429s', 'Errors'
        Assert-Fits (Get-Table $summary 120 Reliability) 120 'ModelId', 'Region', 'Calls', 'Success', 'Retries', '429s', 'Errors', 'Throttled', 'TargetRPM', 'ActualRPM', 'Wait(s)'
    }

    It 'Eval360.RunInfo' {
        $runs = Get-Eval360Run -Path (Join-Path $TestDrive 'outputs')
        Assert-Fits (Get-Table $runs 80) 80 'RunId', 'ExperimentName', 'Status', 'Done/Total', 'Failed', 'StartedAt'
        Assert-Fits (Get-Table $runs 120) 120 'RunId', 'ExperimentName', 'Status', 'Done/Total', 'Failed', 'StartedAt', 'Models'
    }

    It 'Eval360.JudgeVerdict' {
        $judges = $results[0].Judges
        foreach ($width in 80, 120) {
            Assert-Fits (Get-Table $judges $width) $width 'Judge', 'Passed', 'Score', 'Cost($)', 'Verdict'
        }
    }

    It 'Eval360.Scenario' {
        $scenarios = [pscustomobject]@{ prompt = 'What is the capital of France? Answer in one sentence, and name the river that runs through it.' } |
            New-Eval360Scenario -TaskType Question-Answering -TaskCriteria 'Accurate'
        foreach ($width in 80, 120) {
            Assert-Fits (Get-Table $scenarios $width) $width 'Id', 'TaskType', 'Tokens', 'Temp', 'Prompt'
        }
    }

    It 'Eval360.ModelCapability, with the whole error wrapped' {
        $models = Join-Path $TestDrive 'capability.models.jsonl'
        Set-Content -LiteralPath $models -Value @(
            '{"model_id": "openai/gpt-4o-mini", "input_token_cost": 0.00015, "output_token_cost": 0.0006, "api_key_env": "EVAL360_TEST_NO_SUCH_KEY"}'
            Get-Content (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl')
        )
        $capabilities = Test-Eval360ModelCapability $models -CachePath (Join-Path $TestDrive 'capabilities.json')
        $capabilities.Count | Should -Be 4
        $failed = $capabilities | Where-Object ErrorCode
        $failed.ErrorCode | Should -Be 'auth'
        foreach ($width in 80, 120) {
            $table = Get-Table $capabilities $width
            Assert-Fits $table $width 'ModelId', 'Region', 'Tier', 'Available', 'Error'
            Get-ColumnText $table 'Error' | Should -Be ("$($failed.ErrorCode): $($failed.Error)" -replace '\s')
            $table.Lines.Count | Should -BeLessOrEqual 10 -Because 'three available models take a line each'
        }
    }

    It 'Eval360.ConfigFinding, with the whole message wrapped in a column at least 25 wide' {
        $bad = Join-Path $TestDrive 'models.jsonl'
        Set-Content -LiteralPath $bad -Value '{"model_id": "foo/x", "input_token_cost": 1}'
        $findings = Test-Eval360Config $bad
        $message = ($findings | Where-Object Field -EQ 'model_id').Message
        $message.Length | Should -BeGreaterThan 100
        foreach ($width in 80, 120) {
            $table = Get-Table ($findings | Where-Object Field -EQ 'model_id') $width
            Assert-Fits $table $width 'Severity', 'Location', 'Field', 'Message'
            ($width - $table.Header.IndexOf('Message')) | Should -BeGreaterOrEqual 25
            Get-ColumnText $table 'Message' | Should -Be ($message -replace '\s')
        }
    }
}
