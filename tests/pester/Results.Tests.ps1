#Requires -Version 7.4
# Results as users take them out and read them back: Export-Csv of results (from a run, or read back from a run
# directory, its journal or its CSV) gives one readable column per jury metric and a readable judges summary, with no
# .NET type name anywhere; and the readers refuse files that are not results, naming the file and what they expected.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $out = Join-Path $TestDrive 'outputs'
    # The quickstart's scenarios bring metrics of their own on some scenarios only ('technical accuracy').
    $results = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
            -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -SleepBetweenInvocations 0 -ParallelCalls 16 `
            -ExperimentCount 1 -InvocationsPerScenario 1 -UserDefinedMetrics 'brand voice' -OutputDirectory $out -NoReport 6>$null)
    $run = Get-ChildItem $out -Directory | Select-Object -First 1

    $metrics = 'Correctness', 'Completeness', 'Relevance', 'Format', 'Coherence', 'Following-instructions', 'brand voice', 'technical accuracy'
    # What a .NET type name looks like when something is exported with its default ToString().
    $typeName = 'System\.|Eval360\.[A-Z]|Collections\.Generic|`\d|\[\]'

    # Exports $Items and checks the CSV the way a user reads it: a column per metric holding that result's score, the
    # Scores and Judges columns as text, and no type name anywhere.
    function Assert-ReadableExport($Items, [string] $Name) {
        $csv = Join-Path $TestDrive "$Name.csv"
        $Items | Export-Csv -LiteralPath $csv
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match $typeName
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -Be $Items.Count
        $columns = $rows[0].psobject.Properties.Name
        foreach ($metric in $metrics) { $columns | Should -Contain "Score.$metric" }
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $item = $Items[$i]
            foreach ($metric in $metrics) {
                $cell = $rows[$i]."Score.$metric"
                if ($item.Scores.ContainsKey($metric)) {
                    [double]::Parse($cell, [cultureinfo]::InvariantCulture) | Should -Be $item.Scores[$metric] -Because "$Name row $i $metric"
                }
                else {
                    $cell | Should -BeNullOrEmpty -Because "$Name row $i has no $metric score"
                }
            }
            $rows[$i].Scores | Should -Match '^Correctness=\d(\.\d+)?; Completeness='
            $rows[$i].Judges | Should -Match '^sim/judge-strict: (pass|fail); sim/judge-fair: (pass|fail); sim/judge-lenient: (pass|fail)$'
        }
        $rows
    }
}

Describe 'Export-Csv of results' {
    It 'gives one readable column per jury metric and a readable judges summary, from a run' {
        $results.Count | Should -Be 18
        $rows = Assert-ReadableExport $results 'run'
        # A scenario without the metric leaves its column empty, and the column is there from the first row.
        @($rows | Where-Object { $_.'Score.technical accuracy' }).Count | Should -BeGreaterThan 0
        @($rows | Where-Object { -not $_.'Score.technical accuracy' }).Count | Should -BeGreaterThan 0
    }

    It 'gives the same columns for results read back from the run directory, its journal and its CSV' {
        foreach ($source in $run.FullName, (Join-Path $run.FullName 'journal.jsonl'), (Join-Path $run.FullName 'invocations.csv')) {
            $read = @(Import-Eval360Result $source)
            $read.Count | Should -Be 18
            Assert-ReadableExport $read (Split-Path $source -Leaf) | Out-Null
        }
    }

    It 'gives the same columns for a journal and a CSV copied out of their run directory' {
        $loose = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'loose') -Force
        foreach ($name in 'journal.jsonl', 'invocations.csv') {
            Copy-Item (Join-Path $run.FullName $name) $loose.FullName
            $read = @(Import-Eval360Result (Join-Path $loose.FullName $name))
            $read.Count | Should -Be 18
            Assert-ReadableExport $read "loose-$name" | Out-Null
        }
    }

    It 'keeps Scores and Judges usable from scripts' {
        $first = $results | Where-Object { $_.Scores.Count -gt 0 } | Select-Object -First 1
        $first.Scores['correctness'] | Should -Be $first.Scores.Correctness
        $first.Scores.Keys | Should -Contain 'brand voice'
        $first.Judges.Count | Should -Be 3
        ($first.Judges | Format-Table | Out-String -Width 120) | Should -Match 'sim/judge-strict'
        ($first.Judges | Where-Object Passed -NE $null).Count | Should -Be 3
        "$($first.Scores)" | Should -Not -Match $typeName
    }

    It 'reads well for summaries too' {
        $csv = Join-Path $TestDrive 'summary.csv'
        $results | Get-Eval360Summary | Export-Csv -LiteralPath $csv
        $text = Get-Content -LiteralPath $csv -Raw
        $text | Should -Not -Match $typeName
        (Import-Csv -LiteralPath $csv)[0].MeanScores | Should -Match '^Correctness=\d'
        # The quick start's models are all on the frontier, so a dominated one is made here.
        $dominated = [Eval360.ModelSummary]@{ ModelId = 'sim/slow'; DominatedBy = [Eval360.NameList]::new([string[]]@('sim/a', 'sim/b')) }
        ($dominated | ConvertTo-Csv)[1] | Should -Match '"sim/a, sim/b"'
    }

    It 'reads well for scenarios, and an exported scenario reads back the same' {
        $csv = Join-Path $TestDrive 'scenarios.csv'
        $scenario = [pscustomobject]@{ prompt = 'Say hi'; task_type = 'greeting'; task_criteria = 'Is it polite?'; user_defined_metrics = 'brand voice, tone' } |
            New-Eval360Scenario
        $scenario | Export-Csv -LiteralPath $csv
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match $typeName
        $back = Import-Csv -LiteralPath $csv
        $back.UserDefinedMetrics | Should -Be 'brand voice, tone'
        ($back | Select-Object Prompt, TaskType, TaskCriteria, @{ n = 'user_defined_metrics'; e = { $_.UserDefinedMetrics } } | New-Eval360Scenario).UserDefinedMetrics |
            Should -Be 'brand voice', 'tone'
    }

    It 'has no score columns for a latency-only run' {
        $latency = @(Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
                -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory (Join-Path $TestDrive 'latency') -NoReport 6>$null)
        $csv = Join-Path $TestDrive 'latency.csv'
        $latency | Export-Csv -LiteralPath $csv
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match $typeName
        (Import-Csv -LiteralPath $csv)[0].psobject.Properties.Name | Where-Object { $_ -like 'Score.*' } | Should -BeNullOrEmpty
    }
}

Describe 'Readers given something that is not results' {
    BeforeAll {
        $models = Join-Path $RepositoryRoot 'config/quickstart.models.jsonl'
        $scenarios = Join-Path $RepositoryRoot 'runs/quickstart.jsonl'
        $people = Join-Path $TestDrive 'people.csv'
        Set-Content -LiteralPath $people -Value 'name,email', 'Ada,ada@example.com'
        $expected = 'Expected a run directory, its journal.jsonl or its invocations.csv.'

        function Assert-Refused($Errors, [string] $Path, [string] $Says) {
            $refusal = @($Errors | Where-Object { $_.FullyQualifiedErrorId -like 'NotEval360Results,*' })
            $refusal.Count | Should -Be 1
            $refusal[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $refusal[0].TargetObject | Should -Be $Path
            $refusal[0].Exception.Message | Should -BeLike "$Path is not an Eval360 *$Says*$expected"
        }
    }

    It 'Import-Eval360Result refuses a model profile, a scenario file and an unrelated CSV, and returns nothing' {
        foreach ($case in @{ Path = $models; Says = 'model or judge profile' }, @{ Path = $scenarios; Says = 'scenario file' }, @{ Path = $people; Says = 'no model_id, api_call_status, time_to_first_byte, time_to_last_byte columns' }) {
            $output = Import-Eval360Result $case.Path -ErrorVariable problems -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            Assert-Refused $problems $case.Path $case.Says
        }
    }

    It 'Import-Eval360Result refuses a folder that is not a run directory' {
        $output = Import-Eval360Result $TestDrive -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        Assert-Refused $problems $TestDrive 'run directory: it has no journal.jsonl'
    }

    It 'Get-Eval360Summary -Path refuses them, and summarises nothing' {
        $output = Get-Eval360Summary -Path $models -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        Assert-Refused $problems $models 'model or judge profile'
    }

    It 'New-Eval360Report refuses them, and writes no report' {
        $report = Join-Path $TestDrive 'not-results.html'
        $output = New-Eval360Report -Path $people -OutputPath $report -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        Assert-Refused $problems $people 'invocations.csv'
        $problems.FullyQualifiedErrorId | Should -Contain 'NoResults,Eval360.PowerShell.Commands.NewEval360ReportCommand'
        $report | Should -Not -Exist
    }
}
