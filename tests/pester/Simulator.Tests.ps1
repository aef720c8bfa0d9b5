#Requires -Version 7.4
# The built-in simulator is deterministic, as its help says: the quick start run in two separate processes (each with
# its own per-process hash seed) writes the same invocations.csv, field by field, apart from what is measured (times,
# rates) and what names the run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # What varies between runs by design: measured times and rates, when each call started, and the run's id.
    $script:Measured = 'time_to_first_byte', 'time_to_last_byte', 'throughput_tps', 'inter_token_latency', 'actual_rpm', 'timestamp', 'run_id', 'jury_id'

    function Invoke-Quickstart([string] $OutputDirectory) {
        Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Invoke-Eval360Benchmark '$RepositoryRoot/runs/quickstart.jsonl' -ModelProfile '$RepositoryRoot/config/quickstart.models.jsonl' ``
    -JudgeProfile '$RepositoryRoot/config/quickstart.judges.jsonl' -SleepBetweenInvocations 0 -ExperimentCount 1 ``
    -InvocationsPerScenario 1 -TemperatureVariations 1 -ExperimentName determinism -OutputDirectory '$OutputDirectory' -NoReport | Out-Null
"@ | Out-Null
        $rows = @{}
        foreach ($row in Import-Csv (Get-ChildItem $OutputDirectory -Recurse -Filter invocations.csv).FullName) { $rows[$row.key] = $row }
        $rows
    }

    function Limit([string] $Text) { if ($Text.Length -le 160) { $Text } else { $Text.Substring(0, 160) + '…' } }

    # judge_details holds each judge's measured latency too: compared without it.
    function Get-Comparable($Row, [string] $Column) {
        if ($Column -ne 'judge_details') { return $Row.$Column }
        @($Row.judge_details | ConvertFrom-Json) | Select-Object * -ExcludeProperty Latency | ConvertTo-Json -Depth 5 -Compress
    }
}

Describe 'The simulator' {
    It 'gives the same answers, tokens, costs and verdicts in two processes' {
        $first = Invoke-Quickstart (Join-Path $TestDrive 'first')
        $second = Invoke-Quickstart (Join-Path $TestDrive 'second')

        $first.Count | Should -Be 54 -Because "6 scenarios x 3 models x 3 temperatures"
        @($second.Keys | Sort-Object) | Should -Be @($first.Keys | Sort-Object) -Because 'the same plan gives the same work items'
        $columns = $first.Values | Select-Object -First 1 | ForEach-Object { $_.PSObject.Properties.Name } | Where-Object { $_ -notin $Measured }
        $differences = foreach ($key in $first.Keys) {
            foreach ($column in $columns) {
                $a = Get-Comparable $first[$key] $column
                $b = Get-Comparable $second[$key] $column
                if ($a -cne $b) { "$key $($first[$key].model_id) ${column}: '$(Limit $a)' <> '$(Limit $b)'" }
            }
        }

        $differences | Select-Object -First 10 | Should -BeNullOrEmpty
    }
}
