#Requires -Version 7.4
# New-Eval360Report -Open: the report goes to the desktop's browser through xdg-open; on a machine without a desktop,
# or when the opener fails, nothing is printed but one warning saying where the report is. Each case runs in a child
# pwsh with a controlled DISPLAY and a fake xdg-open first on PATH, and everything the child printed is checked.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $journal = Join-Path $TestDrive 'run/journal.jsonl'
    New-Item -ItemType Directory -Path (Split-Path $journal) | Out-Null
    Set-Content -LiteralPath $journal -Value '{"RunId":"r1","ExperimentName":"opened","ModelId":"sim/a","Provider":"sim","Status":"Succeeded","Key":"k1","TimeToFirstToken":0.1,"TimeToLastByte":0.5,"OutputTokens":10,"Simulated":true}'
    $fakeBin = Join-Path $TestDrive 'bin'
    New-Item -ItemType Directory -Path $fakeBin | Out-Null
    $opened = Join-Path $TestDrive 'opened.txt'

    # A fake xdg-open: records what it was asked to open, prints noise on both streams, exits with $ExitCode.
    function Set-FakeOpener([int] $ExitCode) {
        $opener = Join-Path $fakeBin 'xdg-open'
        Set-Content -LiteralPath $opener -Value "#!/bin/sh`necho ""`$1"" > '$opened'`necho 'NOISE on stdout'`necho 'xdg-open: NOISE on stderr' >&2`nexit $ExitCode`n"
        & chmod +x $opener
        Remove-Item -LiteralPath $opened -ErrorAction Ignore
    }

    # Runs New-Eval360Report -Open in a child pwsh; returns everything it printed.
    function Invoke-Open([string] $Display, [string] $Path) {
        $report = Join-Path $TestDrive 'report.html'
        Invoke-ChildPwsh @"
`$env:DISPLAY = '$Display'
`$env:WAYLAND_DISPLAY = `$null
`$env:PATH = '$Path'
Import-Module '$ModulePath'
`$file = New-Eval360Report -Path '$journal' -OutputPath '$report' -Open
"returned: `$(`$file.FullName)"
"@
    }
}

Describe 'New-Eval360Report -Open' {
    It 'on a machine without a desktop starts nothing and says where the report is, in one warning' {
        Set-FakeOpener 0
        $output = Invoke-Open -Display '' -Path "$fakeBin$([IO.Path]::PathSeparator)$env:PATH"
        $report = Join-Path $TestDrive 'report.html'
        $output | Should -Match "returned: $([regex]::Escape($report))"
        $output | Should -Match "WARNING: The report was not opened \(no desktop: neither DISPLAY nor WAYLAND_DISPLAY is set\); it is at $([regex]::Escape($report))"
        $opened | Should -Not -Exist
        ($output -split '\r?\n' | Where-Object { $_.Trim() }).Count | Should -Be 2
    }

    It 'hands the report to xdg-open on a desktop, and prints nothing of what it says' {
        Set-FakeOpener 0
        $output = Invoke-Open -Display ':99' -Path "$fakeBin$([IO.Path]::PathSeparator)$env:PATH"
        (Get-Content -LiteralPath $opened) | Should -Be (Join-Path $TestDrive 'report.html')
        $output | Should -Not -Match 'NOISE|WARNING'
    }

    It 'says why and where the report is when xdg-open fails, without its noise' {
        Set-FakeOpener 4
        $output = Invoke-Open -Display ':99' -Path "$fakeBin$([IO.Path]::PathSeparator)$env:PATH"
        $output | Should -Match 'WARNING: The report was not opened \(xdg-open failed with exit code 4: xdg-open: NOISE on stderr\); it is at '
        $output | Should -Not -Match 'NOISE on stdout'
        ($output -split '\r?\n' | Where-Object { $_ -match 'NOISE' }).Count | Should -Be 1 -Because 'only the reason, inside the warning'
    }

    It 'says what to install when there is a desktop but no xdg-open' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-bin') -Force
        $output = Invoke-Open -Display ':99' -Path $empty.FullName
        $output | Should -Match 'WARNING: The report was not opened \(xdg-open is not installed \(Debian and Ubuntu: apt-get install xdg-utils\)\); it is at '
    }
}
