# Shared by the Pester tests: the module path, child PowerShell processes, and the fake provider as its own process.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ModulePath = if ($env:EVAL360_MODULE) { $env:EVAL360_MODULE } else { Join-Path $RepositoryRoot 'module/Eval360/Eval360.psd1' }

function Get-NuGetPackageFolder([string] $Id, [string] $Version) {
    $root = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    Join-Path $root "$($Id.ToLowerInvariant())/$Version"
}

# Arguments that start this same PowerShell again (under `dotnet pwsh` the process is dotnet, so name pwsh.dll).
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, "$PSHOME/pwsh.dll") } else { , @($process) }
}

# Starts a child pwsh running $Script (a file is written for it); returns the Process. Output goes to $LogPath.
function Start-ChildPwsh([string] $Script, [string] $LogPath) {
    $file = Join-Path ([IO.Path]::GetTempPath()) "eval360-child-$([Guid]::NewGuid().ToString('N')).ps1"
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    $command = Get-PwshCommand
    $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)
    Start-Process -FilePath $command[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput $LogPath -RedirectStandardError "$LogPath.err"
}

# Runs a child pwsh to completion; returns its output as one string and throws when it fails.
function Invoke-ChildPwsh([string] $Script) {
    $log = Join-Path ([IO.Path]::GetTempPath()) "eval360-child-$([Guid]::NewGuid().ToString('N')).log"
    $child = Start-ChildPwsh $Script $log
    $child.WaitForExit()
    $output = (Get-Content -LiteralPath $log -Raw) + (Get-Content -LiteralPath "$log.err" -Raw)
    if ($child.ExitCode -ne 0) { throw "child pwsh exited with $($child.ExitCode): $output" }
    $output
}

# Starts tests/FakeProviders as its own process with the given behaviours; returns @{ Process; BaseUrl; Origin }.
# -NoSpin trades about 1 ms of the server's timing precision for far less CPU (the server's timing thread otherwise
# spins the last millisecond before every token): use it when the client shares the machine's cores under load.
function Start-FakeProvider([hashtable] $Behaviors, [string] $ApiKey, [switch] $NoRecord, [switch] $NoSpin) {
    $dll = Get-ChildItem (Join-Path $RepositoryRoot 'tests/FakeProviders/bin') -Recurse -Filter FakeProviders.dll -ErrorAction Ignore |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) {
        & dotnet build (Join-Path $RepositoryRoot 'tests/FakeProviders/FakeProviders.csproj') -c Release --nologo -v quiet | Out-Null
        $dll = Get-ChildItem (Join-Path $RepositoryRoot 'tests/FakeProviders/bin') -Recurse -Filter FakeProviders.dll | Select-Object -First 1
    }

    $config = Join-Path ([IO.Path]::GetTempPath()) "eval360-fake-$([Guid]::NewGuid().ToString('N')).json"
    $Behaviors | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $config -Encoding utf8
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll.FullName, '--port', '0', '--config', $config, '--ignore-stdin')) { $start.ArgumentList.Add($argument) }
    if ($ApiKey) { $start.ArgumentList.Add('--api-key'); $start.ArgumentList.Add($ApiKey) }
    if ($NoRecord) { $start.ArgumentList.Add('--no-record') }
    if ($NoSpin) { $start.ArgumentList.Add('--spin-threshold-ms'); $start.ArgumentList.Add('0') }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch '^LISTENING (?<url>\S+)$') { throw "the fake provider did not start: $line" }
    $baseUrl = $Matches.url
    @{ Process = $process; BaseUrl = $baseUrl; Origin = $baseUrl -replace 'v1/$', '' }
}

function Stop-FakeProvider($Fake) {
    if ($Fake -and -not $Fake.Process.HasExited) { $Fake.Process.Kill(); $Fake.Process.WaitForExit() }
}

function Get-FakeProviderStats($Fake) {
    Invoke-RestMethod -Uri "$($Fake.Origin)_fake/stats"
}

# A model profile file whose models all point at the fake provider.
function New-FakeModelFile([string] $Path, $Fake, [string[]] $Models, [string] $Extra = '') {
    $lines = foreach ($model in $Models) {
        '{"model_id": "openai-compatible/' + $model + '", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "' + $Fake.BaseUrl + '"' + $Extra + '}'
    }
    Set-Content -LiteralPath $Path -Value $lines -Encoding utf8
}
