#Requires -Version 7.4
# How build.ps1 -Task Test counts (tools/TestResults.ps1): dotnet test's exit code overrides counters that look fine,
# Pester's help/metadata cases are counted apart from its behaviour cases, and the last line is exactly
# "N passed, N failed".

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $RepositoryRoot 'tools/TestResults.ps1')

    function New-Trx([hashtable] $Counters) {
        $attributes = ($Counters.GetEnumerator() | ForEach-Object { "$($_.Key)=""$($_.Value)""" }) -join ' '
        $path = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).trx"
        Set-Content -LiteralPath $path -Value @"
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="Completed"><Counters $attributes /></ResultSummary>
</TestRun>
"@
        $path
    }
}

Describe 'Read-XunitCount' {
    It 'reads passed and failed (with errors, timeouts and aborts) from the .trx counters' {
        $trx = New-Trx @{ total = 15; executed = 15; passed = 10; failed = 2; error = 1; timeout = 1; aborted = 1 }
        $count = Read-XunitCount 'engine' $trx 1 6>$null
        $count.Passed | Should -Be 10
        $count.Failed | Should -Be 5
    }

    It 'counts a failure when dotnet test failed although the counters show none (a crashed test host)' {
        $trx = New-Trx @{ total = 10; executed = 10; passed = 10; failed = 0; error = 0 }
        $count = Read-XunitCount 'engine' $trx 3 6>$null
        $count.Passed | Should -Be 10
        $count.Failed | Should -Be 1
    }

    It 'counts a failure when dotnet test left no results' {
        $count = Read-XunitCount 'engine' (Join-Path $TestDrive 'missing.trx') 1 6>$null
        $count.Passed | Should -Be 0
        $count.Failed | Should -Be 1
    }

    It 'trusts the counters when dotnet test succeeded' {
        $count = Read-XunitCount 'engine' (New-Trx @{ passed = 7; failed = 0 }) 0
        $count.Passed | Should -Be 7
        $count.Failed | Should -Be 0
    }
}

Describe 'Measure-PesterResult' {
    It 'counts the cases under a block tagged Metadata apart from behaviour, and each failure once' {
        $tests = Join-Path $TestDrive 'counted.Tests.ps1'
        Set-Content -LiteralPath $tests -Value @'
Describe 'help' -Tag Metadata {
    Context 'of a cmdlet' {
        It 'has a synopsis' { 1 | Should -Be 1 }
        It 'has an example' { 1 | Should -Be 2 }
    }
    It 'has a description' -Tag Other { $true | Should -BeTrue }
}
Describe 'manifest' -Tag Metadata {
    BeforeAll { throw 'broken setup' }
    It 'is never run' { }
}
Describe 'behaviour' {
    AfterAll { throw 'broken teardown' }
    It 'works' { 1 | Should -Be 1 }
    It 'works too' { 1 | Should -Be 1 }
    It 'fails' { 1 | Should -Be 0 }
}
'@
        $pester = Get-ChildItem (Get-NuGetPackageFolder 'Pester' '6.2.0') -Recurse -Filter Pester.psd1 | Select-Object -First 1
        $output = Invoke-ChildPwsh @"
Import-Module '$($pester.FullName)'
. '$RepositoryRoot/tools/TestResults.ps1'
`$config = New-PesterConfiguration
`$config.Run.Path = '$tests'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'None'
'COUNTS ' + (Measure-PesterResult (Invoke-Pester -Configuration `$config) | ConvertTo-Json -Compress)
"@
        $counts = ($output -split '\r?\n' | Where-Object { $_ -like 'COUNTS *' }).Substring(7) | ConvertFrom-Json
        $counts.Metadata.Passed | Should -Be 2
        $counts.Metadata.Failed | Should -Be 2 -Because 'a failed test, and a test its failed BeforeAll failed (the block is not counted again)'
        $counts.Behaviour.Passed | Should -Be 2
        $counts.Behaviour.Failed | Should -Be 2 -Because 'a failed test, and a failed AfterAll whose tests passed'
    }
}

Describe 'Format-TestTotal' {
    It 'writes the breakdown, then exactly "N passed, N failed"' {
        $suites = [ordered]@{
            'xunit engine'         = [pscustomobject]@{ Passed = 600; Failed = 1 }
            'xunit hosted cmdlets' = [pscustomobject]@{ Passed = 40; Failed = 0 }
            'Pester behaviour'     = [pscustomobject]@{ Passed = 120; Failed = 2 }
            'Pester help/metadata' = [pscustomobject]@{ Passed = 300; Failed = 0 }
        }
        $breakdown, $total = Format-TestTotal $suites
        $breakdown | Should -Be 'xunit engine 600 passed, 1 failed; xunit hosted cmdlets 40 passed, 0 failed; Pester behaviour 120 passed, 2 failed; Pester help/metadata 300 passed, 0 failed'
        $total | Should -Be '1060 passed, 3 failed'
    }
}
