# Eval360's cmdlets, engine and dependencies live in deps/ and are loaded into their own AssemblyLoadContext, so the
# libraries they need never clash with PowerShell's own or another module's. Only Eval360.Contracts.dll (the types
# users see, and the load context itself) is loaded into PowerShell's default context.

# deps/net<major>.0, when the build made one, holds the same engine and contracts ReadyToRun-compiled for this runtime
# (a runtime ignores precompiled code made for another major version of .NET): PowerShell 7.6 on .NET 10 loads
# deps/net10.0; PowerShell 7.4 loads deps/ and the contracts beside this file.
$deps = [IO.Path]::Combine($PSScriptRoot, 'deps')
$forRuntime = [IO.Path]::Combine($deps, "net$([Environment]::Version.Major).0")
if ([IO.Directory]::Exists($forRuntime)) { $deps = $forRuntime }
if (-not ('Eval360.LoadContext.DependencyLoadContext' -as [type])) {
    $contracts = [IO.Path]::Combine($deps, 'Eval360.Contracts.dll')
    if (-not [IO.File]::Exists($contracts)) { $contracts = [IO.Path]::Combine($PSScriptRoot, 'Eval360.Contracts.dll') }
    Add-Type -Path $contracts
}
$commands = [Eval360.LoadContext.DependencyLoadContext]::LoadCommands($deps)

# On `Import-Module Eval360 -Force` the cmdlet assembly is already loaded (assemblies never unload); drop its old
# module so importing it again re-registers the cmdlets instead of adding nothing.
Get-Module -All | Where-Object { $_.ModuleType -eq 'Binary' -and $_.Path -eq $commands.Location } | Remove-Module -Force
$cmdlets = Import-Module -Assembly $commands -PassThru

# Tab completion (Eval360.PowerShell.Completers.ArgumentCompletion): registered by parameter name for every Eval360
# cmdlet, so a cmdlet that has (or gains) one of these parameters completes it. Offline, and never failing.
$completion = $commands.GetType('Eval360.PowerShell.Completers.ArgumentCompletion', $true)
foreach ($completer in @(
        @{ Parameter = 'Resume'; Method = 'Runs' }
        @{ Parameter = 'ModelId'; Method = 'ModelIds' }
        @{ Parameter = 'Region'; Method = 'Regions' }
        @{ Parameter = 'ServiceTier'; Method = 'ServiceTiers' }
    )) {
    $method = $completer.Method
    Register-ArgumentCompleter -CommandName @($cmdlets.ExportedCmdlets.Keys) -ParameterName $completer.Parameter -ScriptBlock {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        $completion::$method($wordToComplete, $fakeBoundParameters, (Get-Location -PSProvider FileSystem).ProviderPath)
    }.GetNewClosure()
}
