#Requires -Version 7.4
# Measure-Eval360Jury, Compare-Eval360Model and Compare-Eval360Run as users get them: views that fit, CSV that reads,
# errors that name the file, and MathNet.Numerics in the module's own load context.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    $results = Invoke-Eval360Benchmark (Join-Path $RepositoryRoot 'runs/quickstart.jsonl') -ModelProfile (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') `
        -JudgeProfile (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 `
        -ParallelCalls 8 -NoReport -OutputDirectory (Join-Path $TestDrive 'out') 6>$null
}

Describe 'The jury statistics cmdlets' {
    It 'have table views that fit 120 columns' {
        foreach ($type in 'Eval360.JuryStatistic', 'Eval360.ModelComparison', 'Eval360.RunComparison') {
            $table = (Get-FormatData -TypeName $type).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | Select-Object -First 1
            $table | Should -Not -BeNullOrEmpty -Because $type
            $headers = $table.Control.Headers
            ($headers | Measure-Object -Property Width -Sum).Sum + $headers.Count - 1 | Should -BeLessOrEqual 120 -Because $type
        }
    }

    It 'write one type with one set of columns, so Export-Csv reads back' {
        $csv = Join-Path $TestDrive 'jury.csv'
        $results | Measure-Eval360Jury | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Count | Should -BeGreaterThan 20
        ($rows | Where-Object Judge -eq '').Statistic | Sort-Object -Unique | Should -Be @('FleissKappa', 'KrippendorffAlpha')
        ($rows | Where-Object Judge -like 'sim/*').Statistic | Sort-Object -Unique | Should -Be @('AgreementWithRest', 'Leniency')
        $lenient = $rows | Where-Object { $_.Judge -eq 'sim/judge-lenient' -and $_.Metric -eq 'Overall' -and $_.Statistic -eq 'Leniency' }
        [double]$lenient.Value | Should -BeGreaterThan 0
        $strict = $rows | Where-Object { $_.Judge -eq 'sim/judge-strict' -and $_.Metric -eq 'Overall' -and $_.Statistic -eq 'Leniency' }
        [double]$strict.CiHigh | Should -BeLessThan 0
    }

    It 'load MathNet.Numerics from deps/ into the module''s own load context' {
        $results | Compare-Eval360Model -ModelA sim/balanced-pro -ModelB sim/swift-mini | Should -Not -BeNullOrEmpty
        $deps = Join-Path (Split-Path $ModulePath) 'deps'
        Test-Path (Join-Path $deps 'MathNet.Numerics.dll') | Should -BeTrue
        $mathNet = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'MathNet.Numerics' }
        $mathNet | Should -Not -BeNullOrEmpty
        foreach ($assembly in $mathNet) {
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly) | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
            $assembly.Location | Should -BeLike "$deps*"
        }
    }

    It 'stop at a bad human labels file with an error naming file, line and field' {
        $labels = Join-Path $TestDrive 'labels.jsonl'
        Set-Content $labels '{"key": "x", "scores": {"Correctness": 9}}'
        $error.Clear()
        { $results | Measure-Eval360Jury -HumanLabels $labels } | Should -Throw -ErrorId 'InvalidConfiguration,Eval360.PowerShell.Commands.MeasureEval360JuryCommand'
        $error[0].Exception.Message | Should -Match ([regex]::Escape("${labels}:1: scores.Correctness: is 9, must be between 1 and 5"))
    }

    It 'warn when no human label matches an answer' {
        $labels = Join-Path $TestDrive 'nomatch.csv'
        Set-Content $labels "scenario_id,Correctness`nno-such-scenario,4"
        $rows = $results | Measure-Eval360Jury -HumanLabels $labels -NoJudge -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match 'None of the 1 human labels'
        $rows | Where-Object Statistic -eq CohenKappa | Should -BeNullOrEmpty
    }

    It 'name the models a comparison can use when a name matches none' {
        $results | Compare-Eval360Model -ModelA nope -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
        $problems[0].Exception.Message | Should -Match 'sim/balanced-pro'
    }
}
