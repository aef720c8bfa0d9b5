#Requires -Version 7.4
# The module as a gallery package: made by PSResourceGet from the built module folder (tools/ModulePackage.ps1, the code
# build.ps1 -Task Package runs), installed from a local repository into an empty module path by a fresh pwsh whose
# location is outside the repository, imported by name, and run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $RepositoryRoot 'tools/ModulePackage.ps1')
    $moduleDir = Split-Path $ModulePath
    $manifest = Import-PowerShellDataFile $ModulePath
}

Describe 'The package' {
    BeforeAll {
        $feed = Join-Path $TestDrive 'feed'
        $zip, $nupkg = New-ModulePackage -ModuleDir $moduleDir -Changelog (Join-Path $RepositoryRoot 'CHANGELOG.md') -Destination $feed
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = @($archive.Entries.FullName)
            $reader = [IO.StreamReader]::new($archive.GetEntry('Eval360.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $archive.Dispose() }
    }

    It 'is named for the manifest''s version, prerelease label included, beside the zip' {
        $version = $manifest.ModuleVersion + ($manifest.PrivateData.PSData.Prerelease ? "-$($manifest.PrivateData.PSData.Prerelease)" : '')
        Split-Path $nupkg -Leaf | Should -Be "Eval360.$version.nupkg"
        Split-Path $zip -Leaf | Should -Be "Eval360-$version.zip"
        $zip | Should -Exist
        $nuspec.package.metadata.version | Should -Be $version
    }

    It 'holds what the Build task put in the module folder, and no test or build file' {
        $built = Get-ChildItem $moduleDir -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($moduleDir, $_.FullName).Replace('\', '/') }
        foreach ($file in $built) { $entries | Should -Contain $file }
        $entries | Should -Contain 'Samples/runs/quickstart.jsonl'
        $entries | Should -Contain 'en-US/Eval360.PowerShell.dll-Help.xml'
        # Besides the module's files, only what every NuGet package carries.
        $packaging = $entries | Where-Object { $_ -notin $built }
        $packaging | Where-Object { $_ -notmatch '^(Eval360\.nuspec|\[Content_Types\]\.xml|_rels/\.rels|package/services/metadata/core-properties/[0-9a-f]+\.psmdcp)$' } |
            Should -BeNullOrEmpty
        $entries | Where-Object { $_ -match '(?i)(^|/)(tests?|bin|obj|artifacts|\.ci|tools|bench)/|\.Tests\.ps1$|build\.ps1$|\.(cs|csproj|sln|props|trx)$|Pester|xunit|FakeProviders|Playwright' } |
            Should -BeNullOrEmpty
    }

    It 'carries what a gallery shows: description, authors, links, tags and this version''s release notes' {
        $metadata = $nuspec.package.metadata
        $metadata.description | Should -Be $manifest.Description
        $metadata.authors | Should -Be $manifest.Author
        $metadata.projectUrl | Should -Be $manifest.PrivateData.PSData.ProjectUri
        $metadata.licenseUrl | Should -Be $manifest.PrivateData.PSData.LicenseUri
        $metadata.tags | Should -Match '\bLLM\b'
        $metadata.releaseNotes | Should -Match 'A gallery package'
        $metadata.releaseNotes | Should -Not -Match '## 0\.1\.0' -Because 'the notes are this version''s section only'
    }

    # Isolated through HOME and XDG_* (where PowerShell and PSResourceGet keep a user's modules and repositories on Linux
    # and macOS); Windows keeps them under Documents and LOCALAPPDATA, which this test does not redirect.
    It 'installs from a local repository into an empty module path, imports by name outside the repository, and runs' -Skip:$IsWindows {
        $userHome = New-Item -ItemType Directory (Join-Path $TestDrive 'home')
        $work = New-Item -ItemType Directory (Join-Path $TestDrive 'elsewhere')
        $feedFolder = Split-Path $nupkg
        $script = @"
`$ErrorActionPreference = 'Stop'
Set-Location '$work'
'modules-before:' + @(Get-Module -ListAvailable Eval360).Count
Register-PSResourceRepository -Name Eval360Local -Uri '$feedFolder' -Trusted
Install-PSResource -Name Eval360 -Repository Eval360Local -Prerelease -Scope CurrentUser -TrustRepository -Quiet
`$installed = Get-Module -ListAvailable Eval360
'installed:' + `$installed.ModuleBase
`$null = Test-ModuleManifest (Join-Path `$installed.ModuleBase 'Eval360.psd1')
'manifest:ok'
Import-Module Eval360
'loaded:' + (Get-Module Eval360).ModuleBase
Get-Eval360Sample -Destination . | Out-Null
`$results = Invoke-Eval360Benchmark ./runs/quickstart.jsonl -ModelProfile ./config/quickstart.models.jsonl -JudgeProfile ./config/quickstart.judges.jsonl ``
    -ExperimentCount 1 -InvocationsPerScenario 1 -SleepBetweenInvocations 0 -ParallelCalls 8 6>`$null
'results:' + `$results.Count
'simulated:' + @(`$results | Where-Object { `$_.ModelId -like 'sim/*' }).Count
'summary:' + @(`$results | Get-Eval360Summary).Count
'runlog:' + (Test-Path (Join-Path (Get-Eval360Run | Select-Object -First 1).Directory 'run.log'))
"@
        $file = Join-Path $TestDrive 'install.ps1'
        Set-Content -LiteralPath $file -Value $script -Encoding utf8
        # A fresh pwsh with a home of its own: its user module path and PSResourceGet's repository list start empty,
        # and PSModulePath is worked out afresh (nothing inherited from this session or the repository).
        $command = Get-PwshCommand
        $start = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $start.ArgumentList.Add($argument) }
        $start.WorkingDirectory = $work
        $start.Environment['HOME'] = $userHome.FullName
        $start.Environment['XDG_DATA_HOME'] = Join-Path $userHome '.local/share'
        $start.Environment['XDG_CONFIG_HOME'] = Join-Path $userHome '.config'
        $start.Environment['XDG_CACHE_HOME'] = Join-Path $userHome '.cache'
        # .NET names a user folder only once it exists; PSResourceGet would otherwise keep its list in the current folder.
        foreach ($folder in '.local/share', '.config', '.cache') { New-Item -ItemType Directory (Join-Path $userHome $folder) -Force | Out-Null }
        $null = $start.Environment.Remove('PSModulePath')
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $transcript = $output + $errors.Result
        $process.ExitCode | Should -Be 0 -Because $transcript

        $transcript | Should -Match '(?m)^modules-before:0\s*$'
        $transcript -match '(?m)^installed:(?<base>.+?)\s*$' | Should -BeTrue -Because $transcript
        $base = $Matches.base
        $base | Should -BeLike "$($userHome.FullName)*" -Because 'it is installed in the empty user module path'
        $transcript | Should -Match '(?m)^manifest:ok'
        $transcript | Should -Match "(?m)^loaded:$([regex]::Escape($base))\s*$"
        $transcript | Should -Match '(?m)^results:18\s*$'
        $transcript | Should -Match '(?m)^simulated:18\s*$'
        $transcript | Should -Match '(?m)^summary:3\s*$'
        $transcript | Should -Match '(?m)^runlog:True\s*$'
        Join-Path $userHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist -Because 'the repository was registered in the fresh home, not in the user''s own list'
        $work.FullName | Should -Not -BeLike "$RepositoryRoot*"
    }
}

Describe 'The manifest' -Tag Metadata {
    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest $ModulePath -ErrorAction Stop
        $tested.Name | Should -Be 'Eval360'
    }

    It 'carries what a gallery shows and checks' {
        foreach ($field in 'Description', 'Author', 'CompanyName', 'Copyright') { $manifest[$field] | Should -Not -BeNullOrEmpty -Because $field }
        foreach ($field in 'ProjectUri', 'LicenseUri', 'Tags', 'ReleaseNotes') { $manifest.PrivateData.PSData[$field] | Should -Not -BeNullOrEmpty -Because $field }
        [uri]::IsWellFormedUriString($manifest.PrivateData.PSData.ProjectUri, 'Absolute') | Should -BeTrue
        $manifest.PrivateData.PSData.Prerelease | Should -Match '^[A-Za-z0-9]*$' -Because 'a gallery takes only letters and digits in a prerelease label'
    }

    It 'has one version: the manifest''s, the assemblies'' and the changelog''s newest section agree' {
        $version = Get-ModuleVersionText $ModulePath
        [xml]$props = Get-Content (Join-Path $RepositoryRoot 'Directory.Build.props') -Raw
        $props.Project.PropertyGroup.Version | Should -Be $version
        $newest = Select-String -Path (Join-Path $RepositoryRoot 'CHANGELOG.md') -Pattern '^## (\S+)' | Select-Object -First 1
        $newest.Matches[0].Groups[1].Value | Should -Be $version
        Get-ChangelogSection (Join-Path $RepositoryRoot 'CHANGELOG.md') $version | Should -Not -BeNullOrEmpty
    }

    It 'ships the quick start''s samples' {
        foreach ($sample in 'runs/quickstart.jsonl', 'config/quickstart.models.jsonl', 'config/quickstart.judges.jsonl') {
            Join-Path $moduleDir "Samples/$sample" | Should -Exist
            (Get-FileHash (Join-Path $moduleDir "Samples/$sample")).Hash | Should -Be (Get-FileHash (Join-Path $RepositoryRoot $sample)).Hash
        }
    }
}
