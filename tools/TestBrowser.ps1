#Requires -Version 7.4
<#
.SYNOPSIS
    Finds or provisions the Chromium-family browser that the browser tests drive with Playwright.
.DESCRIPTION
    Dot-source this file and call Resolve-TestBrowser. build.ps1 -Task Test does, and hands the chosen executable to the
    tests in the EVAL360_TEST_BROWSER environment variable (tests/Eval360.Core.Tests/Reporting/ReportBrowserTests.cs
    reads it); any other Playwright test (the dashboard's) uses the same variable and nothing else.

    The decision, in order; the first that yields an executable wins:
      1. CHROME_PATH, when it names an executable (an explicit choice; a stale one is reported and passed over).
      2. A Chromium, Chrome or Edge on PATH (chromium, chromium-browser, google-chrome, google-chrome-stable, chrome,
         microsoft-edge, microsoft-edge-stable, msedge), then the usual install folders on Windows and macOS.
      3. A browser Playwright already downloaded into its cache (PLAYWRIGHT_BROWSERS_PATH, else the per-user cache).
      4. Playwright's own installer, `playwright.ps1 install chromium` from the Microsoft.Playwright build output (works
         wherever its download host is reachable), then the cache again.
      5. The OS package, `apt-get install -y chromium`, when running as root on Debian or Ubuntu; then PATH again.
    With none of them, it throws one line saying what to install.

    Every input is a parameter that defaults to the real machine, so tests drive the decision with fake executables in a
    temporary folder and a fake PATH, without installing anything.
#>

# The names a Chromium-family browser goes by on PATH, preferred first.
$script:TestBrowserNames = @('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome',
    'microsoft-edge', 'microsoft-edge-stable', 'msedge')

function Resolve-TestBrowser {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The explicit choice (CHROME_PATH).
        [AllowEmptyString()] [string] $ChromePath = $env:CHROME_PATH,

        # The folders searched for the browser names above, in PATH's syntax.
        [AllowEmptyString()] [string] $SearchPath = $env:PATH,

        # Where browsers are usually installed outside PATH (Windows, macOS).
        [AllowEmptyCollection()] [string[]] $KnownLocations = (Get-TestBrowserKnownLocation),

        # Playwright's browser cache.
        [string] $PlaywrightCache = (Get-PlaywrightCacheFolder),

        # playwright.ps1 from the Microsoft.Playwright package's build output; no installer step when empty or missing.
        [AllowEmptyString()] [string] $PlaywrightInstaller,

        # Whether this process may install OS packages.
        [bool] $IsRoot = (Test-TestBrowserRoot),

        # The os-release file that says which Linux distribution this is.
        [string] $OsRelease = '/etc/os-release'
    )

    if ($ChromePath) {
        if (Test-Executable $ChromePath) { return New-TestBrowser $ChromePath 'CHROME_PATH' }
        Write-Warning "CHROME_PATH is '$ChromePath', which is not an executable file; looking elsewhere."
    }

    $found = Find-BrowserOnPath $SearchPath
    if ($found) { return New-TestBrowser $found 'PATH' }

    $found = $KnownLocations | Where-Object { $_ -and (Test-Executable $_) } | Select-Object -First 1
    if ($found) { return New-TestBrowser $found 'installed' }

    $found = Find-BrowserInPlaywrightCache $PlaywrightCache
    if ($found) { return New-TestBrowser $found 'Playwright cache' }

    if ($PlaywrightInstaller -and (Test-Path -LiteralPath $PlaywrightInstaller -PathType Leaf)) {
        Write-Host "No browser found for the browser tests; trying Playwright's installer ($PlaywrightInstaller install chromium)."
        if (Invoke-PlaywrightInstaller $PlaywrightInstaller $PlaywrightCache) {
            $found = Find-BrowserInPlaywrightCache $PlaywrightCache
            if ($found) { return New-TestBrowser $found 'Playwright installer' }
        }
    }

    $debian = Test-DebianFamily $OsRelease
    $aptGet = Find-Executable 'apt-get' $SearchPath
    if ($debian -and $IsRoot -and $aptGet) {
        Write-Host 'Installing the OS package for the browser tests: apt-get install -y chromium.'
        if (Invoke-AptInstall $aptGet) {
            $found = Find-BrowserOnPath $SearchPath
            if ($found) { return New-TestBrowser $found 'OS package' }
        }
    }

    $install = if ($debian) { "run 'apt-get install -y chromium' as root" }
    elseif ($IsMacOS) { "install Google Chrome or Chromium ('brew install --cask chromium')" }
    elseif ($IsWindows) { 'install Microsoft Edge or Google Chrome' }
    else { "install your distribution's chromium package" }
    throw "No Chromium, Chrome or Edge for the browser tests: $install, or set CHROME_PATH to a browser executable."
}

function New-TestBrowser([string] $Path, [string] $Source) {
    [pscustomobject]@{ Path = [IO.Path]::GetFullPath($Path); Source = $Source }
}

function Test-Executable([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $false }
    if ($IsWindows) { return $true }
    $mode = (Get-Item -LiteralPath $Path).UnixFileMode
    ($mode -band [IO.UnixFileMode]'UserExecute, GroupExecute, OtherExecute') -ne 0
}

function Find-Executable([string] $Name, [string] $SearchPath) {
    $names = if ($IsWindows) { @("$Name.exe") } else { @($Name) }
    foreach ($folder in ($SearchPath -split [IO.Path]::PathSeparator)) {
        if (-not $folder) { continue }
        foreach ($candidate in $names) {
            $path = Join-Path $folder $candidate
            if (Test-Executable $path) { return $path }
        }
    }
}

function Find-BrowserOnPath([string] $SearchPath) {
    foreach ($name in $script:TestBrowserNames) {
        $path = Find-Executable $name $SearchPath
        if ($path) { return $path }
    }
}

function Get-TestBrowserKnownLocation {
    if ($IsWindows) {
        foreach ($base in $env:ProgramFiles, ${env:ProgramFiles(x86)}, $env:LOCALAPPDATA) {
            if (-not $base) { continue }
            Join-Path $base 'Google/Chrome/Application/chrome.exe'
            Join-Path $base 'Chromium/Application/chrome.exe'
            Join-Path $base 'Microsoft/Edge/Application/msedge.exe'
        }
    }
    elseif ($IsMacOS) {
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
        '/Applications/Chromium.app/Contents/MacOS/Chromium'
        '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'
    }
}

# Playwright's own rule: PLAYWRIGHT_BROWSERS_PATH, else a per-user cache folder.
function Get-PlaywrightCacheFolder {
    if ($env:PLAYWRIGHT_BROWSERS_PATH -and $env:PLAYWRIGHT_BROWSERS_PATH -ne '0') { return $env:PLAYWRIGHT_BROWSERS_PATH }
    if ($IsWindows) { return Join-Path $env:LOCALAPPDATA 'ms-playwright' }
    if ($IsMacOS) { return Join-Path $HOME 'Library/Caches/ms-playwright' }
    $cache = if ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { Join-Path $HOME '.cache' }
    Join-Path $cache 'ms-playwright'
}

# The newest full Chromium in the cache (chromium-<revision>/chrome-<platform>/…), else the newest headless shell.
function Find-BrowserInPlaywrightCache([string] $Cache) {
    if (-not $Cache -or -not (Test-Path -LiteralPath $Cache -PathType Container)) { return }
    $layouts = @(
        @{ Folder = 'chromium-*'; Executables = 'chrome', 'chrome.exe', '*.app/Contents/MacOS/*' }
        @{ Folder = 'chromium_headless_shell-*'; Executables = 'chrome-headless-shell', 'chrome-headless-shell.exe', 'headless_shell', 'headless_shell.exe' }
    )
    foreach ($layout in $layouts) {
        $revisions = Get-ChildItem -LiteralPath $Cache -Directory -Filter $layout.Folder |
            Where-Object { $_.Name -match '-(\d+)$' } |
            Sort-Object { [int]($_.Name -replace '^.*-(\d+)$', '$1') } -Descending
        foreach ($revision in $revisions) {
            foreach ($platform in Get-ChildItem -LiteralPath $revision.FullName -Directory -Filter 'chrome-*') {
                foreach ($pattern in $layout.Executables) {
                    $executable = Get-ChildItem -Path (Join-Path $platform.FullName $pattern) -File -ErrorAction Ignore |
                        Where-Object { Test-Executable $_.FullName } | Select-Object -First 1
                    if ($executable) { return $executable.FullName }
                }
            }
        }
    }
}

# Runs `playwright.ps1 install chromium` in a child PowerShell, downloading into $Cache; returns whether it succeeded.
function Invoke-PlaywrightInstaller([string] $Installer, [string] $Cache) {
    $process = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $arguments += "$PSHOME/pwsh.dll" }
    $arguments += '-NoProfile', '-NonInteractive', '-File', $Installer, 'install', 'chromium'
    $saved = $env:PLAYWRIGHT_BROWSERS_PATH
    $env:PLAYWRIGHT_BROWSERS_PATH = $Cache
    try {
        $output = & $process @arguments 2>&1
        $status = $LASTEXITCODE
    }
    finally {
        $env:PLAYWRIGHT_BROWSERS_PATH = $saved
    }
    if ($status -ne 0) {
        $reason = @($output | ForEach-Object { "$_".Trim() } | Where-Object { $_ -match '^Error' }) | Select-Object -First 1
        Write-Host "Playwright's installer failed (exit code $status)$(if ($reason) { ": $reason" })."
    }
    $status -eq 0
}

# `apt-get update` then `apt-get install -y chromium`, quietly; returns whether the install succeeded.
function Invoke-AptInstall([string] $AptGet) {
    $saved = $env:DEBIAN_FRONTEND
    $env:DEBIAN_FRONTEND = 'noninteractive'
    try {
        $output = @(& $AptGet update -qq 2>&1)
        $output += & $AptGet install -y -qq chromium 2>&1
        $status = $LASTEXITCODE
    }
    finally {
        $env:DEBIAN_FRONTEND = $saved
    }
    if ($status -ne 0) {
        $output | Select-Object -Last 5 | ForEach-Object { Write-Host "  $_" }
        Write-Host "apt-get install chromium failed (exit code $status)."
    }
    $status -eq 0
}

function Test-DebianFamily([string] $OsRelease) {
    if (-not $IsLinux -or -not (Test-Path -LiteralPath $OsRelease -PathType Leaf)) { return $false }
    $ids = Get-Content -LiteralPath $OsRelease | Where-Object { $_ -match '^(ID|ID_LIKE)=' } | ForEach-Object { ($_ -split '=', 2)[1].Trim('"', "'") -split '\s+' }
    [bool]($ids | Where-Object { $_ -in 'debian', 'ubuntu' })
}

function Test-TestBrowserRoot {
    if ($IsWindows) { return $false }
    try { (& id -u 2>$null) -eq '0' } catch { $false }
}
