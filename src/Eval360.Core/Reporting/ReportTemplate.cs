using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Eval360.Reporting;

/// <summary>The page template (an embedded Scriban file), parsed once and rendered with every value HTML-escaped.</summary>
internal static class ReportTemplate
{
    private const string ResourceName = "Eval360.Reporting.Report.html.scriban";

    private static readonly Lazy<Template> Parsed = new(Load);

    public static void Render(ReportPage page, TextWriter writer)
    {
        var globals = new ScriptObject { ["page"] = page };
        var context = new EscapingTemplateContext
        {
            // The defaults guard against runaway user templates; this one is ours, and large runs have long tables.
            LoopLimit = 0,
            LimitToString = 0,
            OutputLimit = 0,
            RecursiveLimit = 0,
            StrictVariables = true,
        };
        context.PushGlobal(globals);
        context.PushOutput(new TextWriterOutput(writer));
        Parsed.Value.Render(context);
    }

    private static Template Load()
    {
        using var stream = typeof(ReportTemplate).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the report template {ResourceName} is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var template = Template.Parse(reader.ReadToEnd(), "Report.html.scriban");
        if (template.HasErrors)
        {
            throw new InvalidOperationException("the report template does not parse: " + string.Join("; ", template.Messages));
        }

        return template;
    }

    /// <summary>
    /// Escapes every value a template expression writes, so no string from results (prompts, answers, model ids,
    /// error messages) can become markup; only <see cref="RawHtml"/> — charts built with their text escaped — passes
    /// as it is. The template's own literal text is written through other overloads and is not touched.
    /// </summary>
    private sealed class EscapingTemplateContext : TemplateContext
    {
        public override TemplateContext Write(SourceSpan span, object? textAsObject)
        {
            switch (textAsObject)
            {
                case null:
                    return this;
                case RawHtml raw:
                    return Write(raw.Html);
                default:
                    return Write(Html.Escape(ObjectToString(textAsObject)));
            }
        }
    }
}
