@{
    RootModule           = 'Eval360.psm1'
    ModuleVersion        = '0.2.0'
    GUID                 = '6f0a3c52-8f3e-4f4e-9d0b-3e6c1f9b8a71'
    Author               = 'Eval360 contributors'
    CompanyName          = 'Eval360'
    Copyright            = '(c) 2026 Eval360 contributors. MIT License.'
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
        'Get-Eval360Sample'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # The version is ModuleVersion plus this label (0.2.0-preview1); empty for a release. CHANGELOG.md has a
            # section for it, and Directory.Build.props the same version (a test checks all three agree).
            Prerelease   = 'preview1'
            Tags         = @('LLM', 'benchmark', 'evaluation', 'jury', 'latency', 'AI', 'OpenAI', 'Bedrock', 'Anthropic', 'Azure', 'Gemini', 'Ollama', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/eval360/Eval360'
            LicenseUri   = 'https://github.com/eval360/Eval360/blob/main/LICENSE'
            # Filled by build.ps1 -Task Package with this version's section of CHANGELOG.md.
            ReleaseNotes = 'See CHANGELOG.md in the project.'
        }
    }
}
