#Requires -Version 7.4
# How the Test task finds (or provisions) the browser the browser tests drive: tools/TestBrowser.ps1's Resolve-TestBrowser,
# driven here through every branch with fake executables in a temporary folder, a fake PATH, a fake Playwright cache,
# a fake Playwright installer and a fake apt-get. Nothing is downloaded or installed.

BeforeAll {
    . (Join-Path $PSScriptRoot '../../tools/TestBrowser.ps1')

    # A shell script that does $Body, executable (or not).
    function New-FakeExecutable([string] $Path, [string] $Body = 'exit 0', [switch] $NotExecutable) {
        New-Item -ItemType Directory -Force -Path (Split-Path $Path) | Out-Null
        Set-Content -LiteralPath $Path -Value "#!/bin/sh`n$Body`n" -Encoding ascii
        if (-not $NotExecutable) { & chmod +x $Path }
        $Path
    }

    # Everything the decision reads, pointed at empty temporary folders: nothing is found until a test adds it.
    function New-Machine {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $machine = @{
            Root      = $root
            Bin       = New-Item -ItemType Directory -Path (Join-Path $root 'bin')
            OtherBin  = New-Item -ItemType Directory -Path (Join-Path $root 'other-bin')
            Cache     = Join-Path $root 'ms-playwright'
            OsRelease = Join-Path $root 'os-release'
            Log       = Join-Path $root 'calls.log'
        }
        $machine.Arguments = @{
            ChromePath          = ''
            SearchPath          = "$($machine.OtherBin)$([IO.Path]::PathSeparator)$($machine.Bin)"
            KnownLocations      = @()
            PlaywrightCache     = $machine.Cache
            PlaywrightInstaller = ''
            IsRoot              = $false
            OsRelease           = $machine.OsRelease
        }
        $machine
    }

    function Set-Debian($Machine) { Set-Content -LiteralPath $Machine.OsRelease -Value 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"', 'ID=debian' }

    # A Playwright installer that records its arguments and, like the real one, downloads into PLAYWRIGHT_BROWSERS_PATH.
    function New-FakePlaywrightInstaller($Machine, [int] $ExitCode = 0) {
        $installer = Join-Path $Machine.Root 'playwright.ps1'
        Set-Content -LiteralPath $installer -Encoding utf8 -Value @"
Add-Content -LiteralPath '$($Machine.Log)' -Value ("playwright " + (`$args -join ' ') + " -> " + `$env:PLAYWRIGHT_BROWSERS_PATH)
if ($ExitCode -ne 0) { 'Error: getaddrinfo ENOTFOUND cdn.playwright.dev'; exit $ExitCode }
`$chrome = Join-Path `$env:PLAYWRIGHT_BROWSERS_PATH 'chromium-1248/chrome-linux64/chrome'
New-Item -ItemType Directory -Force -Path (Split-Path `$chrome) | Out-Null
Set-Content -LiteralPath `$chrome -Value '#!/bin/sh'
chmod +x `$chrome
"@
        $installer
    }

    # An apt-get that records its arguments and DEBIAN_FRONTEND and, on install, puts chromium on the fake PATH.
    function New-FakeAptGet($Machine, [int] $ExitCode = 0) {
        $chromium = Join-Path $Machine.Bin 'chromium'
        New-FakeExecutable (Join-Path $Machine.Bin 'apt-get') @"
echo "apt-get `$* DEBIAN_FRONTEND=`$DEBIAN_FRONTEND" >> '$($Machine.Log)'
if [ "`$1" = install ] && [ $ExitCode -eq 0 ]; then printf '#!/bin/sh\n' > '$chromium'; chmod +x '$chromium'; fi
exit $ExitCode
"@
    }

    function Get-Calls($Machine) { if (Test-Path $Machine.Log) { @(Get-Content $Machine.Log) } else { @() } }
}

Describe 'Resolve-TestBrowser' {
    It 'takes a browser on PATH, by its usual names, and installs nothing' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.IsRoot = $true
        $machine.Arguments.PlaywrightInstaller = New-FakePlaywrightInstaller $machine
        $chrome = New-FakeExecutable (Join-Path $machine.Bin 'google-chrome')

        $browser = Resolve-TestBrowser @arguments 6>$null

        $browser.Path | Should -Be $chrome
        $browser.Source | Should -Be 'PATH'
        Get-Calls $machine | Should -BeNullOrEmpty
    }

    It 'prefers chromium to the other names, and skips a file that is not executable' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        New-FakeExecutable (Join-Path $machine.OtherBin 'chromium') -NotExecutable | Out-Null
        New-FakeExecutable (Join-Path $machine.OtherBin 'msedge') | Out-Null
        $chromium = New-FakeExecutable (Join-Path $machine.Bin 'chromium')

        (Resolve-TestBrowser @arguments).Path | Should -Be $chromium
    }

    It 'takes CHROME_PATH before PATH' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        New-FakeExecutable (Join-Path $machine.Bin 'chromium') | Out-Null
        $machine.Arguments.ChromePath = New-FakeExecutable (Join-Path $machine.Root 'opt/edge/msedge')

        $browser = Resolve-TestBrowser @arguments

        $browser.Path | Should -Be $machine.Arguments.ChromePath
        $browser.Source | Should -Be 'CHROME_PATH'
    }

    It 'passes over a CHROME_PATH that names nothing, with a warning' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        $chromium = New-FakeExecutable (Join-Path $machine.Bin 'chromium')
        $machine.Arguments.ChromePath = Join-Path $machine.Root 'gone/chrome'

        $browser = Resolve-TestBrowser @arguments -WarningVariable warnings -WarningAction SilentlyContinue

        $browser.Path | Should -Be $chromium
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike "*CHROME_PATH is '$($machine.Arguments.ChromePath)'*"
    }

    It 'takes a browser from the usual install folders when PATH has none' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        $edge = New-FakeExecutable (Join-Path $machine.Root 'Program Files/Microsoft/Edge/Application/msedge')
        $machine.Arguments.KnownLocations = @((Join-Path $machine.Root 'Program Files/Google/Chrome/Application/chrome'), $edge)

        $browser = Resolve-TestBrowser @arguments

        $browser.Path | Should -Be $edge
        $browser.Source | Should -Be 'installed'
    }

    It 'takes the newest Chromium in Playwright''s cache, before installing anything' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.IsRoot = $true
        $machine.Arguments.PlaywrightInstaller = New-FakePlaywrightInstaller $machine
        New-FakeExecutable (Join-Path $machine.Cache 'chromium-1190/chrome-linux/chrome') | Out-Null
        $newest = New-FakeExecutable (Join-Path $machine.Cache 'chromium-1248/chrome-linux64/chrome')
        New-FakeExecutable (Join-Path $machine.Cache 'chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell') | Out-Null

        $browser = Resolve-TestBrowser @arguments 6>$null

        $browser.Path | Should -Be $newest
        $browser.Source | Should -Be 'Playwright cache'
        Get-Calls $machine | Should -BeNullOrEmpty
    }

    It 'takes Playwright''s headless shell when the cache holds no full Chromium' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        $shell = New-FakeExecutable (Join-Path $machine.Cache 'chromium_headless_shell-1248/chrome-headless-shell-linux64/chrome-headless-shell')

        (Resolve-TestBrowser @arguments).Path | Should -Be $shell
    }

    It 'runs Playwright''s installer into the cache when nothing is on the machine' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.IsRoot = $true
        $machine.Arguments.PlaywrightInstaller = New-FakePlaywrightInstaller $machine

        $browser = Resolve-TestBrowser @arguments 6>$null

        $browser.Path | Should -Be (Join-Path $machine.Cache 'chromium-1248/chrome-linux64/chrome')
        $browser.Source | Should -Be 'Playwright installer'
        Get-Calls $machine | Should -Be @("playwright install chromium -> $($machine.Cache)")
    }

    It 'installs the OS package as root on Debian when Playwright''s installer cannot download' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.IsRoot = $true
        $machine.Arguments.PlaywrightInstaller = New-FakePlaywrightInstaller $machine -ExitCode 1

        $browser = Resolve-TestBrowser @arguments 6>$null

        $browser.Path | Should -Be (Join-Path $machine.Bin 'chromium')
        $browser.Source | Should -Be 'OS package'
        Get-Calls $machine | Should -Be @(
            "playwright install chromium -> $($machine.Cache)"
            'apt-get update -qq DEBIAN_FRONTEND=noninteractive'
            'apt-get install -y -qq chromium DEBIAN_FRONTEND=noninteractive'
        )
    }

    It 'recognises Ubuntu and other Debian derivatives by ID_LIKE' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Content -LiteralPath $machine.OsRelease -Value 'ID=linuxmint', 'ID_LIKE="ubuntu debian"'
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.IsRoot = $true

        (Resolve-TestBrowser @arguments 6>$null).Source | Should -Be 'OS package'
    }

    It 'installs no OS package without root, and fails with one line saying what to install' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine | Out-Null
        $machine.Arguments.PlaywrightInstaller = New-FakePlaywrightInstaller $machine -ExitCode 1

        $failure = { Resolve-TestBrowser @arguments 6>$null } | Should -Throw -PassThru

        $message = $failure.Exception.Message
        $message | Should -Be "No Chromium, Chrome or Edge for the browser tests: run 'apt-get install -y chromium' as root, or set CHROME_PATH to a browser executable."
        Get-Calls $machine | Should -Be @("playwright install chromium -> $($machine.Cache)")
    }

    It 'fails with one line when nothing is found and nothing can be installed, and names the package when apt-get fails' {
        $machine = New-Machine
        $arguments = $machine.Arguments
        Set-Debian $machine
        New-FakeAptGet $machine -ExitCode 100 | Out-Null
        $machine.Arguments.IsRoot = $true

        $failure = { Resolve-TestBrowser @arguments 6>$null } | Should -Throw -PassThru

        $failure.Exception.Message | Should -Not -Match '\n'
        $failure.Exception.Message | Should -BeLike '*apt-get install -y chromium*CHROME_PATH*'
        Get-Calls $machine | Should -HaveCount 2
    }

    It 'says which browsers to install on a system it cannot install for' {
        $machine = New-Machine
        $arguments = $machine.Arguments

        $failure = { Resolve-TestBrowser @arguments } | Should -Throw -PassThru

        $failure.Exception.Message | Should -Be "No Chromium, Chrome or Edge for the browser tests: install your distribution's chromium package, or set CHROME_PATH to a browser executable."
    }
}
