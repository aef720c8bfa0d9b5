#Requires -Version 7.4
# Every malformed file in tests/corpus/bad-inputs (indexed by its cases.json) stops Invoke-Eval360Benchmark before it
# does anything: one terminating InvalidConfiguration error (category InvalidData) naming the file, the line and the
# field, no stack trace, and no run directory. Test-Eval360Config reports the same finding for every case.
#
# $env:EVAL360_MODULE points the tests at another build of the module (a path to Eval360.psd1); by default they test
# the repository's module/Eval360/Eval360.psd1.

BeforeDiscovery {
    $corpus = Join-Path $PSScriptRoot '../corpus/bad-inputs'
    $cases = @(Get-Content -LiteralPath (Join-Path $corpus 'cases.json') -Raw | ConvertFrom-Json | ForEach-Object {
            @{ File = $_.file; Role = $_.role; Kind = $_.kind; Line = [int] $_.line; Field = $_.field; Message = $_.message }
        })
}

BeforeAll {
    $modulePath = if ($env:EVAL360_MODULE) { $env:EVAL360_MODULE } else { Join-Path $PSScriptRoot '../../module/Eval360/Eval360.psd1' }
    # Remove, then import (not Import-Module -Force, which leaves an already loaded Eval360 without cmdlets).
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $modulePath -ErrorAction Stop

    $corpus = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../corpus/bad-inputs')).ProviderPath
    $good = @{
        InputFile    = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../runs/quickstart.jsonl')).ProviderPath
        ModelProfile = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../config/quickstart.models.jsonl')).ProviderPath
        JudgeProfile = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../config/quickstart.judges.jsonl')).ProviderPath
    }

    # Runs the benchmark with $BadFile in $Role and the good quickstart files in the other roles; returns the error
    # record it threw (or $null when it did not throw).
    function Invoke-WithBadFile([string] $Role, [string] $BadFile, [string] $OutputDirectory) {
        $files = $good.Clone()
        $files[$Role] = $BadFile
        $arguments = @{
            InputFile               = $files.InputFile
            ModelProfile            = $files.ModelProfile
            JudgeProfile            = $files.JudgeProfile
            OutputDirectory         = $OutputDirectory
            SleepBetweenInvocations = 0
            ExperimentCount         = 1
            InvocationsPerScenario  = 1
            NoReport                = $true
            ErrorAction             = 'Stop'
            WarningAction           = 'SilentlyContinue'
            InformationAction       = 'SilentlyContinue'
        }
        try {
            $null = Invoke-Eval360Benchmark @arguments
            $null
        }
        catch {
            $_
        }
    }

    # Checks everything the user sees of a configuration error: kind, category, location, no stack trace, no output.
    function Assert-ConfigurationError($ErrorRecord, [string] $Path, [int] $Line, [string] $Field, [string] $Message, [string] $OutputDirectory) {
        $ErrorRecord | Should -Not -BeNullOrEmpty -Because 'a bad file must stop the run'
        $ErrorRecord.FullyQualifiedErrorId | Should -BeLike 'InvalidConfiguration*'
        $ErrorRecord.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)

        $text = $ErrorRecord.Exception.Message
        $location = if ($Line -gt 0) { "${Path}:${Line}" } else { $Path }
        $text | Should -BeLike "*$([WildcardPattern]::Escape($location))*"
        if ($Line -gt 0) {
            # Exactly that line: "path:3:" or "path:3 ", never "path:30".
            $text | Should -Match "$([regex]::Escape("${Path}:${Line}"))(:|\s|$)"
        }
        if ($Field) {
            $text | Should -BeLike "*$([WildcardPattern]::Escape("${Field}:"))*"
        }
        $text | Should -BeLike "*$([WildcardPattern]::Escape($Message))*"

        # No stack trace and no exception type names, in the message or in what PowerShell shows.
        foreach ($shown in $text, "$ErrorRecord", $ErrorRecord.ErrorDetails.Message) {
            if (-not $shown) { continue }
            ($shown -split '\r?\n') | Where-Object { $_ -match '^\s+at ' } | Should -BeNullOrEmpty
            $shown | Should -Not -Match '\bSystem\.[A-Za-z.]*Exception\b'
            $shown | Should -Not -Match '\b[A-Za-z]+Exception:'
        }

        # Nothing was written: no run directory (or an empty output folder at most).
        if (Test-Path -LiteralPath $OutputDirectory) {
            @(Get-ChildItem -LiteralPath $OutputDirectory -Force -Recurse) | Should -BeNullOrEmpty
        }
    }
}

Describe 'Invoke-Eval360Benchmark with a bad <Role> file: <File>' -ForEach $cases {
    It 'stops with InvalidConfiguration naming line <Line> and field ''<Field>'', and writes no run directory' {
        $path = [IO.Path]::GetFullPath((Join-Path $corpus $File))
        $output = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))

        $record = Invoke-WithBadFile -Role $Role -BadFile $path -OutputDirectory $output

        Assert-ConfigurationError $record -Path $path -Line $Line -Field $Field -Message $Message -OutputDirectory $output
    }
}

Describe 'A line of more than 50 MB' {
    BeforeAll {
        # Generated here rather than committed: one scenario line of 50 MiB of text, then a good line.
        $huge = Join-Path $TestDrive 'fifty-megabyte-line.jsonl'
        $stream = [IO.File]::Create($huge)
        try {
            $utf8 = [Text.UTF8Encoding]::new($false)
            $head = $utf8.GetBytes('{"text_prompt": "')
            $stream.Write($head, 0, $head.Length)
            $block = [byte[]]::new(1MB)
            [Array]::Fill($block, [byte][char]'a')
            for ($i = 0; $i -lt 50; $i++) { $stream.Write($block, 0, $block.Length) }
            $tail = $utf8.GetBytes("`", `"task`": {`"task_type`": `"QA`", `"task_criteria`": `"Correct`"}}`n" + (Get-Content -LiteralPath $good.InputFile -TotalCount 1) + "`n")
            $stream.Write($tail, 0, $tail.Length)
        }
        finally {
            $stream.Dispose()
        }
    }

    It 'stops the benchmark with an error on line 1 about the MiB limit, and writes no run directory' {
        (Get-Item -LiteralPath $huge).Length | Should -BeGreaterThan 50MB
        $output = Join-Path $TestDrive 'out-huge'

        $record = Invoke-WithBadFile -Role InputFile -BadFile $huge -OutputDirectory $output

        Assert-ConfigurationError $record -Path $huge -Line 1 -Field '' -Message 'MiB limit for one line' -OutputDirectory $output
    }

    It 'is reported by Test-Eval360Config as an error on line 1' {
        $findings = @(Test-Eval360Config -Path $huge -Kind Scenario | Where-Object Severity -EQ 'Error')
        $findings.Count | Should -Be 1
        $findings[0].Line | Should -Be 1
        $findings[0].Message | Should -BeLike '*MiB limit*'
    }
}

Describe 'A CSV row of more than 50 MB' {
    It 'stops the benchmark with an error on its line about the MiB limit, not an exception' {
        $huge = Join-Path $TestDrive 'fifty-megabyte-row.csv'
        $stream = [IO.File]::Create($huge)
        try {
            $utf8 = [Text.UTF8Encoding]::new($false)
            $head = $utf8.GetBytes("prompt,golden_answer,task_type,task_criteria`nWhat is 2+2?,4,QA,Correct`n")
            $stream.Write($head, 0, $head.Length)
            $block = [byte[]]::new(1MB)
            [Array]::Fill($block, [byte][char]'a')
            for ($i = 0; $i -lt 50; $i++) { $stream.Write($block, 0, $block.Length) }
            $tail = $utf8.GetBytes(",4,QA,Correct`n")
            $stream.Write($tail, 0, $tail.Length)
        }
        finally {
            $stream.Dispose()
        }
        $output = Join-Path $TestDrive 'out-huge-csv'

        $record = Invoke-WithBadFile -Role InputFile -BadFile $huge -OutputDirectory $output

        Assert-ConfigurationError $record -Path $huge -Line 3 -Field '' -Message 'MiB limit for one row' -OutputDirectory $output
    }
}

Describe 'Test-Eval360Config over the whole corpus' {
    BeforeAll {
        $cases = @(Get-Content -LiteralPath (Join-Path $corpus 'cases.json') -Raw | ConvertFrom-Json)
        # A folder stands for its .jsonl files; CSV files are given one by one. Each kind is validated as that kind, so
        # each case's own error is found (Config.Tests.ps1 checks that -Kind Auto finds something in every file too).
        $findings = @(
            Test-Eval360Config -Path (Join-Path $corpus 'runs') -Kind Scenario
            Test-Eval360Config -Path (Join-Path $corpus 'models') -Kind Model
            Test-Eval360Config -Path (Join-Path $corpus 'judges') -Kind Judge
            Get-ChildItem -LiteralPath (Join-Path $corpus 'csv') -Filter *.csv | Test-Eval360Config -Kind Scenario
        )
    }

    It 'reports every case''s error with its file, line, field and message' {
        $missing = foreach ($case in $cases) {
            $path = [IO.Path]::GetFullPath((Join-Path $corpus $case.file))
            $found = $findings | Where-Object {
                $_.Severity -eq 'Error' -and $_.Path -eq $path -and $_.Line -eq $case.line -and $_.Field -eq $case.field -and $_.Message.Contains($case.message)
            }
            if (-not $found) { "$($case.file): line $($case.line) '$($case.field)' ""$($case.message)""" }
        }
        $missing | Should -BeNullOrEmpty
    }

    It 'reports no file without an error' {
        $withErrors = $findings | Where-Object Severity -EQ 'Error' | Select-Object -ExpandProperty Path -Unique
        $cases | ForEach-Object { [IO.Path]::GetFullPath((Join-Path $corpus $_.file)) } | Where-Object { $_ -notin $withErrors } | Should -BeNullOrEmpty
    }

    It 'answers $false with -Quiet' {
        Test-Eval360Config -Path (Join-Path $corpus 'runs') -Kind Scenario -Quiet | Should -BeFalse
    }
}
