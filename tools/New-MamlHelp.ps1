param([string]$ModulePath,[string]$DocsPath) Write-Host "help generation pending"
