# The module as a PowerShell Gallery package, made by PSResourceGet from the built module folder: used by
# `build.ps1 -Task Package` and by the test that installs the package (tests/pester/Package.Tests.ps1).

# The version a manifest declares: ModuleVersion, plus "-<label>" when PrivateData.PSData.Prerelease has one.
function Get-ModuleVersionText([string] $ManifestPath) {
    $manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $label = $manifest.PrivateData.PSData['Prerelease']
    if ($label) { "$($manifest.ModuleVersion)-$label" } else { "$($manifest.ModuleVersion)" }
}

# The text of "## <version>" in a CHANGELOG.md (the heading may go on, as in "## 0.1.0 - 2026-11-27"), without the heading.
function Get-ChangelogSection([string] $Path, [string] $Version) {
    $section = $null
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^## (?<version>\S+)') {
            if ($null -ne $section) { break }
            if ($Matches.version -eq $Version) { $section = [Collections.Generic.List[string]]::new() }
            continue
        }

        if ($null -ne $section) { $section.Add($line) }
    }

    if ($null -eq $section) { throw "$Path has no section '## $Version': add what changed in $Version before packaging it." }
    ($section -join "`n").Trim()
}

<#
.SYNOPSIS
    Packages a built module folder as <Name>.<version>.nupkg (PSResourceGet's Publish-PSResource to a local file
    repository, no hand-made nuspec) and as <Name>-<version>.zip, both in -Destination.
.DESCRIPTION
    The package holds exactly what the module folder holds (whatever the Build task put there), with one change: the
    manifest's ReleaseNotes become this version's section of the changelog. The manifest must pass Test-ModuleManifest.
    The local repository is registered under a unique name for the publish only, and unregistered afterwards.
    Returns the zip's and the package's paths.
#>
function New-ModulePackage {
    param(
        [Parameter(Mandatory)] [string] $ModuleDir,
        [Parameter(Mandatory)] [string] $Changelog,
        [Parameter(Mandatory)] [string] $Destination
    )

    $name = Split-Path $ModuleDir -Leaf
    $version = Get-ModuleVersionText (Join-Path $ModuleDir "$name.psd1")
    $notes = Get-ChangelogSection $Changelog $version
    $projectUri = (Import-PowerShellDataFile -LiteralPath (Join-Path $ModuleDir "$name.psd1")).PrivateData.PSData['ProjectUri']
    if ($projectUri) { $notes += "`n`nEvery version: $projectUri/blob/main/CHANGELOG.md" }

    # Staged: a copy of the whole built folder, whose manifest gets the release notes.
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    $work = Join-Path $Destination 'package'
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
    $stage = Join-Path $work $name
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    Copy-Item -LiteralPath $ModuleDir -Destination $stage -Recurse
    $manifestPath = Join-Path $stage "$name.psd1"
    $text = Get-Content -LiteralPath $manifestPath -Raw
    $pattern = "(?m)^(\s*ReleaseNotes\s*=\s*)'(?:[^']|'')*'"
    if ($text -notmatch $pattern) { throw "$manifestPath has no ReleaseNotes = '…' line to fill from $Changelog." }
    $text = [regex]::Replace($text, $pattern, { param($m) $m.Groups[1].Value + "'" + $notes.Replace("'", "''") + "'" })
    Set-Content -LiteralPath $manifestPath -Value $text -Encoding utf8NoBOM -NoNewline
    $null = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop

    $feed = New-Item -ItemType Directory -Path (Join-Path $work 'feed') -Force
    $repository = "Eval360Package$([Guid]::NewGuid().ToString('N'))"
    Register-PSResourceRepository -Name $repository -Uri $feed.FullName -Trusted
    try {
        Publish-PSResource -Path $stage -Repository $repository -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }

    $built = Get-ChildItem $feed -Filter "$name.*.nupkg" | Select-Object -First 1
    if (-not $built) { throw "Publish-PSResource wrote no $name package into $feed." }
    $nupkg = Join-Path $Destination $built.Name
    Move-Item -LiteralPath $built.FullName -Destination $nupkg -Force
    $zip = Join-Path $Destination "$name-$version.zip"
    Compress-Archive -Path $stage -DestinationPath $zip -Force
    Remove-Item $work -Recurse -Force
    $zip, $nupkg
}
