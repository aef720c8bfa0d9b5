#Requires -Version 7.4
# Start-Eval360Dashboard and Stop-Eval360Dashboard as a user meets them: the handle, the child process, one dashboard
# per data folder, the message when the ASP.NET Core runtime is missing, the warning for a non-loopback address.
# The dashboard's pages, live updates, restarts and security are tested in a browser by tests/Eval360.Dashboard.Tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Get-Module Eval360 | Remove-Module -Force
    Import-Module $ModulePath -ErrorAction Stop
    # Not under TestDrive: Pester removes what a Describe block created there when the block ends, and the dashboard's
    # data folder must outlive the block that started it.
    $work = Join-Path ([IO.Path]::GetTempPath()) "eval360-dashboard-pester-$([Guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory (Join-Path $work 'config') -Force | Out-Null
    Copy-Item (Join-Path $RepositoryRoot 'config/quickstart.models.jsonl') (Join-Path $work 'config/models_profiles.jsonl')
    Copy-Item (Join-Path $RepositoryRoot 'config/quickstart.judges.jsonl') (Join-Path $work 'config/judge_profiles.jsonl')
    Push-Location $work
    $started = [System.Collections.Generic.List[object]]::new()

    function Get-Token($Dashboard) { $Dashboard.Url.Split('token=')[1] }
    function Get-Origin($Dashboard) { $Dashboard.Url.Split('?')[0] }
}

AfterAll {
    foreach ($dashboard in $started) {
        if (Get-Process -Id $dashboard.ProcessId -ErrorAction Ignore) { $dashboard | Stop-Eval360Dashboard -ErrorAction Ignore }
    }
    Pop-Location
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Start-Eval360Dashboard' {
    It 'starts the dashboard as a child process and returns its URL with the token, its process and port' {
        $dashboard = Start-Eval360Dashboard -Port 0 -NoBrowser
        $started.Add($dashboard)

        $dashboard | Should -BeOfType Eval360.DashboardInfo
        $dashboard.Url | Should -Match '^http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}$'
        $dashboard.Port | Should -BeGreaterThan 0
        $dashboard.Url | Should -Match ":$($dashboard.Port)/"
        $dashboard.BindAddress | Should -Be '127.0.0.1'
        $dashboard.DataPath | Should -Be (Join-Path $work 'dashboard-data')
        $dashboard.OutputDirectory | Should -Be (Join-Path $work 'outputs')
        (Get-Process -Id $dashboard.ProcessId).Id | Should -Be $dashboard.ProcessId
        $dashboard.ProcessId | Should -Not -Be $PID

        # The token opens it (as a bearer header for scripts); without it, 401.
        $rows = Invoke-RestMethod "$(Get-Origin $dashboard)api/evaluations" -Headers @{ Authorization = "Bearer $(Get-Token $dashboard)" }
        @($rows).Count | Should -Be 0
        { Invoke-WebRequest "$(Get-Origin $dashboard)Setup" } | Should -Throw -ExpectedMessage '*401*'
        Test-Path (Join-Path $dashboard.DataPath 'dashboard.json') | Should -BeTrue
        Test-Path (Join-Path $dashboard.DataPath 'dashboard.db') | Should -BeTrue
    }

    It 'shows the handle as a table of process, port and URL, the whole URL even at 80 columns' {
        $text = $started[0] | Format-Table | Out-String -Width 120
        $text | Should -Match 'ProcessId\s+Port\s+Url'
        $text | Should -Match ([regex]::Escape($started[0].Url))
        $narrow = $started[0] | Format-Table | Out-String -Width 80
        ($narrow -split '\r?\n' | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 80
        ($narrow -replace '\s') | Should -Match ([regex]::Escape($started[0].Url))
    }

    It 'refuses a second dashboard on the same data folder, naming the one that uses it' {
        $failure = { Start-Eval360Dashboard -Port 0 -NoBrowser } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'DataPathInUse,*'
        $failure.Exception.Message | Should -BeLike "*process $($started[0].ProcessId)*Stop-Eval360Dashboard*"
    }

    It 'says exactly what to install when the ASP.NET Core runtime is missing' {
        $fakeRoot = Join-Path $TestDrive 'dotnet-without-aspnetcore'
        New-Item -ItemType Directory (Join-Path $fakeRoot 'shared/Microsoft.NETCore.App/10.0.0') -Force | Out-Null
        $executable = Join-Path $fakeRoot ($IsWindows ? 'dotnet.exe' : 'dotnet')
        Set-Content $executable '' 
        $saved = $env:DOTNET_ROOT
        try {
            $env:DOTNET_ROOT = $fakeRoot
            $failure = { Start-Eval360Dashboard -Port 0 -NoBrowser -DataPath (Join-Path $TestDrive 'other-data') } | Should -Throw -PassThru
        }
        finally {
            $env:DOTNET_ROOT = $saved
        }

        $failure.FullyQualifiedErrorId | Should -BeLike 'AspNetCoreRuntimeMissing,*'
        $failure.CategoryInfo.Category | Should -Be 'NotInstalled'
        $message = $failure.Exception.Message
        $message | Should -BeLike "*ASP.NET Core Runtime 8.0 or later*$fakeRoot*Microsoft.NETCore.App 10.0.0*"
        $message | Should -BeLike '*winget install Microsoft.DotNet.AspNetCore.10*'
        $message | Should -BeLike '*sudo apt-get install aspnetcore-runtime-10.0*'
        $message | Should -BeLike '*dotnet-install.sh --runtime aspnetcore*'
        $message | Should -BeLike '*DOTNET_ROOT*'
        Test-Path (Join-Path $TestDrive 'other-data/dashboard.json') | Should -BeFalse
    }

    It 'warns before it listens on an address other than loopback' {
        $warnings = Start-Eval360Dashboard -BindAddress 0.0.0.0 -Port 0 -NoBrowser -DataPath (Join-Path $TestDrive 'lan') -WhatIf 3>&1
        "$warnings" | Should -BeLike '*listen on 0.0.0.0, not only on this machine*plain HTTP*'
        Test-Path (Join-Path $TestDrive 'lan/dashboard.json') | Should -BeFalse
    }

    It 'refuses a bind address that is not an IP address' {
        $failure = { Start-Eval360Dashboard -BindAddress 'example.com' -NoBrowser } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidBindAddress,*'
    }
}

Describe 'Stop-Eval360Dashboard' {
    It 'stops the dashboard piped to it: the process ends and dashboard.json is removed' {
        $dashboard = $started[0]
        $dashboard | Stop-Eval360Dashboard
        Get-Process -Id $dashboard.ProcessId -ErrorAction Ignore | Should -BeNullOrEmpty
        Test-Path (Join-Path $dashboard.DataPath 'dashboard.json') | Should -BeFalse
        Test-Path (Join-Path $dashboard.DataPath 'dashboard.db') | Should -BeTrue
    }

    It 'finds a dashboard by its data folder' {
        $dashboard = Start-Eval360Dashboard -Port 0 -NoBrowser -DataPath ./other-data
        $started.Add($dashboard)
        Stop-Eval360Dashboard -DataPath ./other-data
        Get-Process -Id $dashboard.ProcessId -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'says so when no dashboard runs on a data folder' {
        Stop-Eval360Dashboard -DataPath ./nothing-here -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DashboardNotRunning,*'
        $problems[0].Exception.Message | Should -BeLike '*No Eval360 dashboard is running*nothing-here*'
    }
}
