#Requires -Version 7.4
# The module on its own, in a folder that has nothing of the repository: its samples, and what it says without profiles.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -ErrorAction Stop
    $samples = Join-Path (Split-Path $ModulePath) 'Samples'
    $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty')
    Push-Location $empty
}

AfterAll { Pop-Location }

Describe 'Get-Eval360Sample' {
    It 'lists the samples shipped in the module' {
        $files = Get-Eval360Sample
        $files | Should -BeOfType ([IO.FileInfo])
        $files.FullName | Should -Be @(
            (Join-Path $samples 'config/quickstart.judges.jsonl'),
            (Join-Path $samples 'config/quickstart.models.jsonl'),
            (Join-Path $samples 'runs/quickstart.jsonl'))
        (Get-Eval360Sample quickstart.models.jsonl).FullName | Should -Be (Join-Path $samples 'config/quickstart.models.jsonl')
        (Get-Eval360Sample 'config/*').Count | Should -Be 2
    }

    It 'copies them into a folder in the repository''s layout, where the quick start runs' {
        $copies = Get-Eval360Sample -Destination ./try
        $copies.Count | Should -Be 3
        './try/runs/quickstart.jsonl' | Should -Exist
        (Get-FileHash ./try/config/quickstart.models.jsonl).Hash | Should -Be (Get-FileHash (Join-Path $samples 'config/quickstart.models.jsonl')).Hash
        Push-Location ./try
        try {
            $results = @(Invoke-Eval360Benchmark ./runs/quickstart.jsonl -ModelProfile ./config/quickstart.models.jsonl -LatencyOnly `
                    -ExperimentCount 1 -InvocationsPerScenario 1 -SleepBetweenInvocations 0 -ParallelCalls 8 6>$null)
            $results.Count | Should -Be 18
        }
        finally { Pop-Location }
    }

    It 'leaves a copy alone without -Force, and says so' {
        Set-Content ./try/runs/quickstart.jsonl 'edited'
        Get-Eval360Sample quickstart.jsonl -Destination ./try -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SampleExists,*'
        Get-Content ./try/runs/quickstart.jsonl | Should -Be 'edited'
        Get-Eval360Sample quickstart.jsonl -Destination ./try -Force | Should -Not -BeNullOrEmpty
        Get-Content ./try/runs/quickstart.jsonl | Should -Not -Be 'edited'
    }

    It 'names the samples when asked for one that does not exist' {
        Get-Eval360Sample nope.jsonl -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SampleNotFound,*'
        $problems[0].Exception.Message | Should -Match 'runs/quickstart\.jsonl'
    }
}

Describe 'Invoke-Eval360Benchmark without profiles' {
    It 'says where profiles are expected and how to start, not just that a file is missing' {
        $scenarios = (Get-Eval360Sample quickstart.jsonl).FullName
        $failure = $null
        try { Invoke-Eval360Benchmark $scenarios -OutputDirectory ./none } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ProfilesNotFound,*'
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.Exception.Message | Should -Match 'No model profiles \(-ModelProfile, by default config/models_profiles\.jsonl\) and no judge profiles \(-JudgeProfile, by default config/judge_profiles\.jsonl\)'
        $failure.Exception.Message | Should -Match ([regex]::Escape($empty.FullName))
        $failure.ErrorDetails.RecommendedAction | Should -Match 'Get-Eval360Sample -Destination'
        './none' | Should -Not -Exist
    }

    It 'asks only for the model profiles of a latency-only run, and only for what was not given' {
        $scenarios = (Get-Eval360Sample quickstart.jsonl).FullName
        { Invoke-Eval360Benchmark $scenarios -LatencyOnly } | Should -Throw -ExpectedMessage 'No model profiles (-ModelProfile*: none was given*'
        $models = (Get-Eval360Sample quickstart.models.jsonl).FullName
        $failure = $null
        try { Invoke-Eval360Benchmark $scenarios -ModelProfile $models } catch { $failure = $_ }
        $failure.Exception.Message | Should -Match '^No judge profiles'
        # A file that was named but is missing is the usual configuration error, naming the parameter.
        $failure = $null
        try { Invoke-Eval360Benchmark $scenarios -ModelProfile ./mine.jsonl -LatencyOnly } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration,*'
        $failure.Exception.Message | Should -Match 'mine\.jsonl.*does not exist \(-ModelProfile\)'
    }
}
