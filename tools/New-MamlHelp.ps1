#Requires -Version 7.4
<#
.SYNOPSIS
    Generates the MAML help of a binary module's cmdlets from their metadata and platyPS-style markdown.
.DESCRIPTION
    Imports the module (run this script in a child process: the module's assemblies stay loaded until it exits), and
    for every exported cmdlet combines what Get-Command knows - parameter sets, syntax, each parameter's type, whether
    it is mandatory, its position, pipeline input, aliases, wildcard support, accepted values, output types - with the
    prose of <DocsPath>/<Cmdlet-Name>.md, in the layout platyPS uses:

        # Cmdlet-Name
        ## SYNOPSIS             one paragraph (required)
        ## SYNTAX               optional; ignored, the syntax comes from the metadata
        ## DESCRIPTION          required
        ## EXAMPLES             at least one "### Example 1: title" with a ```powershell block, then remarks
        ## PARAMETERS           "### -Name" and its description for every parameter except the common ones; a
                                 paragraph "Default: value" becomes the default value; a ```yaml block is ignored
        ## INPUTS / ## OUTPUTS  "### Type name" and a description (the cmdlet's OutputType when OUTPUTS is absent)
        ## NOTES
        ## RELATED LINKS        "- [text](https://…)" or "- [Other-Cmdlet](Other-Cmdlet.md)" lines

    The help file is written where Get-Help looks for the help of a cmdlet whose assembly a script module imports with
    Import-Module -Assembly: <ModuleBase>/<culture>/<assembly file name>-Help.xml, i.e.
    module/Eval360/en-US/Eval360.PowerShell.dll-Help.xml. Get-Help searches the module base (the folder of the
    manifest, not deps/) under the UI culture's folders, then the folder itself, then en-US and en - so en-US serves
    every culture, the invariant one (LANG=C.UTF-8) included. After writing, the script asks Get-Help for every cmdlet
    and fails unless it returns the synopsis just written.

    Fails (throws; exit code 1 under -File) naming everything that is missing: a markdown file, its SYNOPSIS, its
    DESCRIPTION, an example with code, a parameter's description, or metadata the cmdlet's attributes make unreadable.
.EXAMPLE
    pwsh -NoProfile -File tools/New-MamlHelp.ps1 -ModulePath module/Eval360/Eval360.psd1 -DocsPath docs/en-US
#>
[CmdletBinding()]
param(
    # The module manifest (or module file) to document.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The folder holding <Cmdlet-Name>.md for every exported cmdlet.
    [Parameter(Mandatory)]
    [string] $DocsPath,

    # The culture folder to write into; by default the docs folder's name when it is a culture (docs/en-US), else en-US.
    [string] $Culture
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# Common parameters are documented once by PowerShell (about_CommonParameters), never per cmdlet. WhatIf and Confirm
# still appear in the syntax and the parameter list, with the standard text below unless the markdown gives its own.
$commonParameters = [System.Collections.Generic.HashSet[string]]::new(
    [string[]]([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters),
    [StringComparer]::OrdinalIgnoreCase)
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown

# Splits markdown into blocks: heading (Level, Text), code (Language, Text), list (Items), paragraph (Text).
function ConvertFrom-MarkdownBlock([string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $list = $null
    $fence = $null
    $code = $null

    $flush = {
        if ($paragraph.Count -gt 0) {
            $blocks.Add([pscustomobject]@{ Kind = 'paragraph'; Text = ($paragraph -join ' ') })
            $paragraph.Clear()
        }
        if ($null -ne $list) {
            $blocks.Add([pscustomobject]@{ Kind = 'list'; Items = $list.ToArray() })
            $list = $null
        }
    }

    $inComment = $false
    foreach ($raw in $Lines) {
        $line = $raw.TrimEnd()
        # HTML comments (notes for maintainers) are not help text.
        if ($inComment) {
            if ($line.Contains('-->')) { $inComment = $false }
            continue
        }
        if ($null -eq $fence -and $line.TrimStart().StartsWith('<!--')) {
            if (-not $line.Contains('-->')) { $inComment = $true }
            continue
        }

        if ($null -ne $fence) {
            if ($line.Trim() -eq $fence) {
                $blocks.Add([pscustomobject]@{ Kind = 'code'; Language = $code.Language; Text = ($code.Lines -join "`n") })
                $fence = $null
                $code = $null
            }
            else {
                $code.Lines.Add($raw.TrimEnd("`r"))
            }
            continue
        }

        if ($line -match '^\s*(```+|~~~+)\s*([\w+-]*)') {
            . $flush
            $fence = $Matches[1]
            $code = @{ Language = $Matches[2].ToLowerInvariant(); Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }

        if ($line -match '^(#{1,6})\s+(.*?)\s*#*$') {
            . $flush
            $blocks.Add([pscustomobject]@{ Kind = 'heading'; Level = $Matches[1].Length; Text = $Matches[2].Trim() })
            continue
        }

        if ($line.Trim().Length -eq 0) {
            . $flush
            continue
        }

        if ($line -match '^\s{0,3}([-*+]|\d+[.)])\s+(.*)$') {
            if ($paragraph.Count -gt 0) { . $flush }
            if ($null -eq $list) { $list = [System.Collections.Generic.List[string]]::new() }
            $marker = if ($Matches[1] -match '^\d') { $Matches[1] } else { '-' }
            $list.Add("$marker $($Matches[2].Trim())")
            continue
        }

        if ($null -ne $list -and $line -match '^\s{2,}\S') {
            # A list item continued on the next line.
            $list[$list.Count - 1] += ' ' + $line.Trim()
            continue
        }

        if ($null -ne $list) { . $flush }
        $paragraph.Add($line.Trim())
    }

    if ($null -ne $fence) {
        throw "an unclosed $fence code block"
    }
    . $flush
    , $blocks.ToArray()
}

# Markdown inline syntax that reads badly in a console: links become their text (with the URL when it is absolute),
# bold and italic markers and backslash escapes go; code spans keep their backticks, as platyPS keeps them.
function ConvertTo-PlainText([string] $Text) {
    $Text = [regex]::Replace($Text, '!?\[([^\]]+)\]\(([^)\s]+)\)', {
            param($m)
            if ($m.Groups[2].Value -match '^https?://') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value }
        })
    $Text = [regex]::Replace($Text, '(?<![\w`])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w`])', '$2')
    $Text = [regex]::Replace($Text, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
    $Text
}

# Turns blocks into MAML paragraphs: one per paragraph; a list as one paragraph of lines; a code block as one paragraph
# with its lines as they are; a sub-heading as a paragraph of its own.
function ConvertTo-Paragraph([object[]] $Blocks) {
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'paragraph' { ConvertTo-PlainText $block.Text }
            'list' { ($block.Items | ForEach-Object { ConvertTo-PlainText $_ }) -join "`n" }
            'code' { $block.Text }
            'heading' { ConvertTo-PlainText $block.Text }
        }
    }
}

# Splits blocks at headings of the given level: an ordered list of @{ Title; Blocks }. Blocks before the first
# heading go under the title ''.
function Split-Section([object[]] $Blocks, [int] $Level) {
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = ''; Blocks = [System.Collections.Generic.List[object]]::new() }
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'heading' -and $block.Level -eq $Level) {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $block.Text; Blocks = [System.Collections.Generic.List[object]]::new() }
        }
        else {
            $current.Blocks.Add($block)
        }
    }
    $sections.Add($current)
    , $sections.ToArray()
}

function Read-CommandMarkdown([string] $Path) {
    $lines = [IO.File]::ReadAllLines($Path)
    $onlineVersion = $null
    # platyPS front matter: --- / key: value / ---; "online version" becomes the first related link.
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        $end = [Array]::FindIndex($lines, 1, [Predicate[string]] { param($l) $l.Trim() -eq '---' })
        if ($end -gt 0) {
            foreach ($line in $lines[1..($end - 1)]) {
                if ($line -match '^\s*online version\s*:\s*(\S+)') { $onlineVersion = $Matches[1] }
            }
            $lines = @(if ($end + 1 -lt $lines.Count) { $lines[($end + 1)..($lines.Count - 1)] })
        }
    }

    $blocks = ConvertFrom-MarkdownBlock $lines
    $title = ($blocks | Where-Object { $_.Kind -eq 'heading' -and $_.Level -eq 1 } | Select-Object -First 1)
    $sections = @{}
    foreach ($section in (Split-Section $blocks 2)) {
        if ($section.Title) { $sections[$section.Title.ToUpperInvariant()] = $section.Blocks.ToArray() }
    }

    $doc = [ordered]@{
        Name          = $title ? $title.Text : $null
        OnlineVersion = $onlineVersion
        Synopsis      = @()
        Description   = @()
        Examples      = [System.Collections.Generic.List[object]]::new()
        Parameters    = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase)
        Inputs        = $null
        Outputs       = $null
        Notes         = @()
        Links         = [System.Collections.Generic.List[object]]::new()
    }

    if ($sections.ContainsKey('SYNOPSIS')) { $doc.Synopsis = @(ConvertTo-Paragraph $sections['SYNOPSIS']) }
    if ($sections.ContainsKey('DESCRIPTION')) { $doc.Description = @(ConvertTo-Paragraph $sections['DESCRIPTION']) }
    if ($sections.ContainsKey('NOTES')) { $doc.Notes = @(ConvertTo-Paragraph $sections['NOTES']) }

    if ($sections.ContainsKey('EXAMPLES')) {
        foreach ($example in (Split-Section $sections['EXAMPLES'] 3) | Where-Object Title) {
            $code = [System.Collections.Generic.List[string]]::new()
            $remarks = [System.Collections.Generic.List[object]]::new()
            foreach ($block in $example.Blocks) {
                if ($block.Kind -eq 'code' -and $block.Language -in '', 'powershell', 'pwsh', 'ps', 'ps1', 'posh') { $code.Add($block.Text) }
                else { $remarks.Add($block) }
            }
            $doc.Examples.Add([pscustomobject]@{
                    Title   = ConvertTo-PlainText $example.Title
                    Code    = ($code -join "`n`n")
                    Remarks = @(ConvertTo-Paragraph $remarks)
                })
        }
    }

    if ($sections.ContainsKey('PARAMETERS')) {
        foreach ($parameter in (Split-Section $sections['PARAMETERS'] 3) | Where-Object Title) {
            $name = $parameter.Title.Trim().TrimStart('-').Trim()
            $default = $null
            $kept = foreach ($block in $parameter.Blocks) {
                if ($block.Kind -eq 'code' -and $block.Language -in 'yaml', 'yml') { continue }
                if ($block.Kind -eq 'paragraph' -and $block.Text -match '^Default(?: value)?:\s*(.+)$') {
                    $default = ($Matches[1].Trim() -replace '^`([^`]*)`(.*)$', '$1$2').Trim().TrimEnd('.')
                    continue
                }
                $block
            }
            $doc.Parameters[$name] = [pscustomobject]@{ Paragraphs = @(ConvertTo-Paragraph @($kept)); Default = $default }
        }
    }

    foreach ($kind in 'INPUTS', 'OUTPUTS') {
        if (-not $sections.ContainsKey($kind)) { continue }
        $types = foreach ($type in (Split-Section $sections[$kind] 3) | Where-Object Title) {
            [pscustomobject]@{ Name = ($type.Title -replace '`', '').Trim(); Paragraphs = @(ConvertTo-Paragraph $type.Blocks.ToArray()) }
        }
        $doc[$kind.Substring(0, 1) + $kind.Substring(1).ToLowerInvariant()] = @($types)
    }

    if ($sections.ContainsKey('RELATED LINKS')) {
        $items = foreach ($block in $sections['RELATED LINKS']) {
            switch ($block.Kind) { 'list' { $block.Items -replace '^\S+\s+', '' } 'paragraph' { $block.Text } }
        }
        foreach ($item in $items) {
            if ($item -match '^\[([^\]]+)\]\(([^)\s]*)\)') {
                $uri = $Matches[2] -match '^https?://' ? $Matches[2] : ''
                $doc.Links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $uri })
            }
            elseif ($item -match '^(https?://\S+)$') { $doc.Links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[1] }) }
            else { $doc.Links.Add([pscustomobject]@{ Text = (ConvertTo-PlainText $item); Uri = '' }) }
        }
    }

    [pscustomobject]$doc
}

#endregion

#region Metadata

# Short type names for syntax (String[], Nullable unwrapped), full names for dev:type.
function Get-ShortTypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return Get-ShortTypeName $underlying }
    if ($Type.IsGenericType) {
        $name = $Type.Name.Substring(0, $Type.Name.IndexOf('`'))
        return "$name[$((($Type.GetGenericArguments() | ForEach-Object { Get-ShortTypeName $_ }) -join ','))]"
    }
    $Type.Name
}

function Get-FullTypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-FullTypeName $Type.GetElementType()) + '[]' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return "System.Nullable``1[$(Get-FullTypeName $underlying)]" }
    if ($Type.IsGenericType) {
        $name = $Type.GetGenericTypeDefinition().FullName
        return "$name[$((($Type.GetGenericArguments() | ForEach-Object { Get-FullTypeName $_ }) -join ','))]"
    }
    $Type.FullName
}

# Values a parameter accepts: an enum's names or a ValidateSet's values.
function Get-AcceptedValue([System.Management.Automation.ParameterMetadata] $Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $type = [Nullable]::GetUnderlyingType($type) ?? $type
    if ($type.IsEnum) { return [Enum]::GetNames($type) }
    @()
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    $kinds = @(if ($ByPropertyName) { 'ByPropertyName' }; if ($ByValue) { 'ByValue' })
    $kinds.Count -gt 0 ? "True ($($kinds -join ', '))" : 'False'
}

# The parameters of a set in the order Get-Command's syntax shows them: positional by position, then mandatory, then
# optional, each in declaration order; common parameters left out except WhatIf and Confirm, which come last.
function Get-SyntaxParameter([System.Management.Automation.CommandParameterSetInfo] $Set) {
    $index = 0
    $ordered = foreach ($p in $Set.Parameters) {
        $index++
        if ($commonParameters.Contains($p.Name) -and $p.Name -notin 'WhatIf', 'Confirm') { continue }
        $group = if ($p.Name -in 'WhatIf', 'Confirm') { 3 } elseif ($p.Position -ge 0) { 0 } elseif ($p.IsMandatory) { 1 } else { 2 }
        [pscustomobject]@{ Parameter = $p; Group = $group; Position = ($p.Position -ge 0 ? $p.Position : [int]::MaxValue); Index = $index }
    }
    $ordered | Sort-Object Group, Position, Index | ForEach-Object Parameter
}

#endregion

#region MAML

function Write-Para([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $any = $false
    foreach ($text in $Paragraphs) {
        if ([string]::IsNullOrWhiteSpace($text)) { continue }
        $Writer.WriteElementString('maml', 'para', $ns.maml, $text)
        $any = $true
    }
    if (-not $any) {
        $Writer.WriteStartElement('maml', 'para', $ns.maml)
        $Writer.WriteEndElement()
    }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    Write-Para $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter] $Writer, [string] $Name) {
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Name)
    $Writer.WriteStartElement('maml', 'uri', $ns.maml)
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

# One command:parameter, for a syntax item (per set) or the parameter list (all sets merged).
function Write-Parameter([System.Xml.XmlWriter] $Writer, [hashtable] $P, [switch] $InSyntax) {
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $P.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $P.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $P.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $P.PipelineInput)
    $Writer.WriteAttributeString('position', $P.Position)
    $Writer.WriteAttributeString('aliases', ($P.Aliases.Count -gt 0 ? ($P.Aliases -join ', ') : 'none'))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $P.Name)
    Write-Description $Writer $P.Paragraphs
    if ($InSyntax -and $P.AcceptedValues.Count -gt 0) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in $P.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not ($InSyntax -and $P.IsSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', (-not $P.IsSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $P.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($P.ShortType)
        $Writer.WriteEndElement()
    }
    Write-DevType $Writer $P.FullType
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $P.Default)
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, [object[]] $Types) {
    $Writer.WriteStartElement('command', $ListName, $ns.command)
    foreach ($type in $Types) {
        $Writer.WriteStartElement('command', $ItemName, $ns.command)
        Write-DevType $Writer $type.Name
        Write-Description $Writer $type.Paragraphs
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

#endregion

#region Per-command model

# Everything one command:command needs, or the list of what is missing.
function Get-CommandHelpModel([System.Management.Automation.CmdletInfo] $Command, [string] $DocsFolder, [System.Collections.Generic.List[string]] $Problems) {
    $name = $Command.Name
    $docFile = Join-Path $DocsFolder "$name.md"

    # Metadata first: attribute mistakes (an alias equal to a parameter name, say) leave Parameters and ParameterSets
    # empty without an error; resolving a parameter surfaces the real message.
    try {
        $null = $Command.ResolveParameter('Verbose')
    }
    catch {
        $Problems.Add("${name}: its parameter metadata is invalid, so PowerShell can neither run it nor show its help: $($_.Exception.GetBaseException().Message)")
        return $null
    }
    if ($null -eq $Command.ParameterSets -or @($Command.ParameterSets).Count -eq 0) {
        $Problems.Add("${name}: Get-Command reports no parameter sets")
        return $null
    }

    if (-not (Test-Path -LiteralPath $docFile -PathType Leaf)) {
        $Problems.Add("${name}: no markdown file $docFile")
        return $null
    }

    try {
        $doc = Read-CommandMarkdown $docFile
    }
    catch {
        $Problems.Add("${name}: $docFile cannot be read: $($_.Exception.Message)")
        return $null
    }

    $before = $Problems.Count
    if ($doc.Name -ne $name) { $Problems.Add("${name}: $docFile must start with '# $name' (found '$($doc.Name)')") }
    if (-not ($doc.Synopsis -join '').Trim()) { $Problems.Add("${name}: $docFile has no SYNOPSIS text") }
    if (-not ($doc.Description -join '').Trim()) { $Problems.Add("${name}: $docFile has no DESCRIPTION text") }
    $withCode = @($doc.Examples | Where-Object { $_.Code.Trim() })
    if ($withCode.Count -eq 0) { $Problems.Add("${name}: $docFile has no EXAMPLE with a ``````powershell code block (### Example 1: title)") }
    foreach ($example in $doc.Examples | Where-Object { -not $_.Code.Trim() }) {
        $Problems.Add("${name}: $docFile example '$($example.Title)' has no ``````powershell code block")
    }

    # Parameters: the union over parameter sets, in the order of the default set's syntax, then the others'.
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    $order = [System.Collections.Generic.List[string]]::new()
    foreach ($set in $sets) {
        foreach ($p in Get-SyntaxParameter $set) { if (-not $order.Contains($p.Name)) { $order.Add($p.Name) } }
    }

    $parameters = [ordered]@{}
    foreach ($parameterName in $order) {
        $metadata = $Command.Parameters[$parameterName]
        $inSets = @(foreach ($set in $sets) { $set.Parameters | Where-Object Name -EQ $parameterName })
        $isCommon = $commonParameters.Contains($parameterName)
        $documented = $doc.Parameters.ContainsKey($parameterName) ? $doc.Parameters[$parameterName] : $null
        $paragraphs = @(if ($documented) { $documented.Paragraphs | Where-Object { $_.Trim() } })
        if ($paragraphs.Count -eq 0) {
            if ($isCommon) { $paragraphs = @($shouldProcessText[$parameterName]) }
            else { $Problems.Add("${name}: $docFile has no description for parameter -$parameterName (### -$parameterName under ## PARAMETERS)") }
        }

        $isSwitch = $metadata.SwitchParameter
        $positions = @($inSets | Where-Object Position -GE 0 | ForEach-Object Position | Select-Object -Unique)
        $default = if ($documented -and $documented.Default) { $documented.Default } elseif ($isSwitch) { 'False' } else { 'None' }
        $parameters[$parameterName] = @{
            Name           = $parameterName
            Type           = $metadata.ParameterType
            ShortType      = $isSwitch ? 'SwitchParameter' : (Get-ShortTypeName $metadata.ParameterType)
            FullType       = Get-FullTypeName $metadata.ParameterType
            IsSwitch       = $isSwitch
            Aliases        = @($metadata.Aliases)
            Globbing       = [bool]($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            AcceptedValues = @(Get-AcceptedValue $metadata)
            Paragraphs     = $paragraphs
            Default        = $default
            # Merged over the sets: required when mandatory in every set it belongs to.
            Required       = @($inSets | Where-Object { -not $_.IsMandatory }).Count -eq 0
            Position       = $positions.Count -gt 0 ? [string]$positions[0] : 'named'
            PipelineInput  = Format-PipelineInput ([bool]($inSets | Where-Object ValueFromPipeline)) ([bool]($inSets | Where-Object ValueFromPipelineByPropertyName))
            Sets           = $inSets
        }
    }

    foreach ($documentedName in $doc.Parameters.Keys) {
        if (-not $parameters.Contains($documentedName)) {
            Write-Warning "${name}: $docFile documents -$documentedName, which the cmdlet does not have"
        }
    }

    if ($Problems.Count -gt $before) { return $null }

    # Syntax items, the default set first.
    $syntax = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $sets) {
        $items = foreach ($p in Get-SyntaxParameter $set) {
            $merged = $parameters[$p.Name]
            $item = $merged.Clone()
            $item.Required = $p.IsMandatory
            $item.Position = $p.Position -ge 0 ? [string]$p.Position : 'named'
            $item.PipelineInput = Format-PipelineInput $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName
            $item
        }
        $syntax.Add(@($items))
    }

    # Outputs: the markdown's, else the OutputType attributes.
    $outputs = $doc.Outputs
    $declared = @($Command.OutputType | ForEach-Object { $_.Type ? $_.Type.FullName : $_.Name } | Select-Object -Unique)
    if (-not $outputs) {
        $outputs = @($declared | ForEach-Object { [pscustomobject]@{ Name = $_; Paragraphs = @() } })
    }
    else {
        foreach ($type in $declared) {
            if (-not ($outputs | Where-Object { $_.Name -eq $type -or $_.Name -like "*.$type" -or $type -like "*.$($_.Name)" })) {
                Write-Warning "${name}: $docFile OUTPUTS does not mention $type, which the cmdlet declares with [OutputType]"
            }
        }
    }

    # Inputs: the markdown's, else the types taken from the pipeline.
    $inputs = $doc.Inputs
    if (-not $inputs) {
        $inputs = @($parameters.Values | Where-Object { $_.PipelineInput -ne 'False' } | ForEach-Object {
                [pscustomobject]@{ Name = $_.FullType; Paragraphs = @("-$($_.Name) accepts it from the pipeline ($($_.PipelineInput -replace '^True ', ''))") }
            })
        if ($inputs.Count -eq 0) { $inputs = @([pscustomobject]@{ Name = 'None'; Paragraphs = @('You cannot pipe objects to this cmdlet.') }) }
    }

    $links = [System.Collections.Generic.List[object]]::new()
    if ($doc.OnlineVersion) { $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $doc.OnlineVersion }) }
    foreach ($link in $doc.Links) { $links.Add($link) }

    [pscustomobject]@{
        Name        = $name
        Verb        = $Command.Verb
        Noun        = $Command.Noun
        Synopsis    = @($doc.Synopsis)
        Description = @($doc.Description)
        Syntax      = $syntax.ToArray()
        Parameters  = @($parameters.Values)
        Inputs      = @($inputs)
        Outputs     = @($outputs)
        Notes       = @($doc.Notes)
        Examples    = @($doc.Examples)
        Links       = $links.ToArray()
    }
}

function Write-CommandHelp([System.Xml.XmlWriter] $Writer, [object] $Model) {
    $Writer.WriteStartElement('command', 'command', $ns.command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, $ns.MSHelp)

    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $Model.Name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $Model.Verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $Model.Noun)
    Write-Description $Writer $Model.Synopsis
    $Writer.WriteEndElement()

    Write-Description $Writer $Model.Description

    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($item in $Model.Syntax) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $Model.Name)
        foreach ($p in $item) { Write-Parameter $Writer $p -InSyntax }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $Model.Parameters) { Write-Parameter $Writer $p }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' $Model.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Model.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $ns.maml)
    Write-Para $Writer $Model.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in $Model.Examples) {
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-Para $Writer $example.Remarks
        # An empty paragraph last, so Get-Help leaves a blank line before the next example, as PowerShell's own help does.
        $Writer.WriteStartElement('maml', 'para', $ns.maml)
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $Model.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

#endregion

#region Main

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$DocsPath = (Resolve-Path -LiteralPath $DocsPath).ProviderPath
if (-not $Culture) {
    $leaf = Split-Path $DocsPath -Leaf
    $Culture = try { [cultureinfo]::GetCultureInfo($leaf, $true).Name } catch { 'en-US' }
    if (-not $Culture) { $Culture = 'en-US' }
}

# Remove, then import: Import-Module -Force on an already loaded Eval360 leaves it without cmdlets.
Get-Module -Name ([IO.Path]::GetFileNameWithoutExtension($ModulePath)) | Remove-Module -Force
$module = Import-Module -Name $ModulePath -PassThru -DisableNameChecking
$cmdlets = @($module.ExportedCmdlets.Values | Sort-Object Name)
if ($cmdlets.Count -eq 0) { throw "$ModulePath exports no cmdlets" }

$problems = [System.Collections.Generic.List[string]]::new()
$models = foreach ($cmdlet in $cmdlets) { Get-CommandHelpModel $cmdlet $DocsPath $problems }

$known = $cmdlets.Name
foreach ($file in Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' -File) {
    if ($file.BaseName -notin $known -and $file.BaseName -match '^\w+-\w+$') {
        Write-Warning "$($file.FullName) documents $($file.BaseName), which $($module.Name) does not export"
    }
}

if ($problems.Count -gt 0) {
    throw "Help for $($module.Name) is incomplete ($($problems.Count) problem(s)):`n  " + ($problems -join "`n  ")
}

# One file per help file name the cmdlets declare (Eval360.PowerShell.dll-Help.xml: the implementing assembly's name).
$written = foreach ($group in $cmdlets | Group-Object { [IO.Path]::GetFileName($_.HelpFile) }) {
    if (-not $group.Name) { throw "cmdlets $($group.Group.Name -join ', ') declare no help file name" }
    $folder = Join-Path $module.ModuleBase $Culture
    $null = New-Item -ItemType Directory -Path $folder -Force
    $target = Join-Path $folder $group.Name

    $settings = [System.Xml.XmlWriterSettings]@{
        Indent          = $true
        IndentChars     = '  '
        Encoding        = [System.Text.UTF8Encoding]::new($false)
        NewLineHandling = [System.Xml.NewLineHandling]::Entitize
        NewLineChars    = "`n"
    }
    $buffer = [IO.MemoryStream]::new()
    $writer = [System.Xml.XmlWriter]::Create($buffer, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $ns.msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($model in $models | Where-Object Name -In $group.Group.Name) { Write-CommandHelp $writer $model }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }

    # Written under a random name, checked, then moved into place: Get-Help never sees half a file.
    $temporary = Join-Path $folder ([IO.Path]::GetRandomFileName())
    [IO.File]::WriteAllBytes($temporary, $buffer.ToArray())
    [xml](Get-Content -LiteralPath $temporary -Raw) | Out-Null
    Move-Item -LiteralPath $temporary -Destination $target -Force
    $target
}

# Prove Get-Help reads what was written (location, culture fallback and well-formed MAML all in one check).
foreach ($model in $models) {
    $help = Get-Help -Name $model.Name -Full
    $expected = ($model.Synopsis -join ' ') -replace '\s+', ' '
    $actual = ([string]$help.Synopsis) -replace '\s+', ' '
    if ($actual.Trim() -ne $expected.Trim()) {
        throw "Get-Help $($model.Name) does not show the generated help (synopsis '$($actual.Trim())'); it looked for $($written -join ', ')"
    }
}

foreach ($file in $written) { Write-Host "Help: $file ($($models.Count) cmdlets)" }

#endregion
