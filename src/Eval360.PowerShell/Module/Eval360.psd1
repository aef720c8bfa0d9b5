@{
    RootModule           = 'Eval360.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0a3c52-8f3e-4f4e-9d0b-3e6c1f9b8a71'
    Author               = 'Eval360 contributors'
    CompanyName          = 'Eval360'
    Copyright            = '(c) Eval360 contributors. MIT License.'
    Description          = 'Benchmarks large language models side by side: latency (TTFT, TTLB, tokens/s), cost, reliability under rate limits, and quality judged by a jury of LLM judges.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Eval360.format.ps1xml')
    CmdletsToExport      = @(
        'Invoke-Eval360Benchmark'
        'Test-Eval360Config'
        'New-Eval360Scenario'
        'Import-Eval360Result'
        'Get-Eval360Summary'
        'Test-Eval360ModelCapability'
        'New-Eval360Report'
        'Invoke-Eval360Jury'
        'Get-Eval360Run'
        'Measure-Eval360Jury'
        'Compare-Eval360Model'
        'Compare-Eval360Run'
        'Optimize-Eval360Prompt'
        'Start-Eval360Dashboard'
        'Stop-Eval360Dashboard'
        'Merge-Eval360Run'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('LLM', 'benchmark', 'evaluation', 'jury', 'latency', 'OpenAI', 'Bedrock')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'First release: benchmark runs with a jury of judges, the built-in simulator, OpenAI-compatible providers.'
        }
    }
}
