# Eval360's cmdlets, engine and dependencies live in deps/ and are loaded into their own AssemblyLoadContext, so the
# libraries they need never clash with PowerShell's own or another module's. Only Eval360.Contracts.dll (the types
# users see, and the load context itself) is loaded into PowerShell's default context.
if (-not ('Eval360.LoadContext.DependencyLoadContext' -as [type])) {
    Add-Type -Path ([IO.Path]::Combine($PSScriptRoot, 'Eval360.Contracts.dll'))
}

$commands = [Eval360.LoadContext.DependencyLoadContext]::LoadCommands([IO.Path]::Combine($PSScriptRoot, 'deps'))
Import-Module -Assembly $commands
