using System.Collections;
using System.Management.Automation;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Eval360.PowerShell.Tests;

/// <summary>
/// The worked examples of docs/scale-out.md: the Kubernetes manifests and the GitHub Actions workflow parse as YAML
/// (YamlDotNet), are shaped as their schedulers need, and their scripts - run here with the Eval360 cmdlets replaced by
/// stubs that take the real cmdlets' parameters and record them - map each scheduler's index to the right -Shard, run
/// one and the same plan on every shard, and merge exactly the shards they wrote. The Dockerfile puts the module and
/// every file those scripts name where they look for them.
/// </summary>
public sealed partial class ScaleOutExampleTests : IDisposable
{
    private readonly HostedPowerShell _host = new();

    public void Dispose() => _host.Dispose();

    private static string Example(string relative) => Path.Combine(HostedPowerShell.RepositoryRoot, "docs", "scale-out", relative);

    private static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode))];
    }

    /// <summary>The node at a path of mapping keys and sequence indexes; fails the test when there is none.</summary>
    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => Assert.IsType<YamlMappingNode>(node).Children.TryGetValue(new YamlScalarNode(key), out var child)
                    ? child
                    : throw new Xunit.Sdk.XunitException($"no '{key}' in the YAML at line {node.Start.Line}"),
                int index => Assert.IsType<YamlSequenceNode>(node).Children[index],
                _ => throw new ArgumentException(step.ToString()),
            };
        }

        return node;
    }

    private static string Text(YamlNode node, params object[] path) => Assert.IsType<YamlScalarNode>(At(node, path)).Value!;

    private static Dictionary<string, string> Environment(YamlNode container) =>
        Assert.IsType<YamlSequenceNode>(At(container, "env")).Children
            .Where(e => ((YamlMappingNode)e).Children.ContainsKey(new YamlScalarNode("value")))
            .ToDictionary(e => Text(e, "name"), e => Text(e, "value"));

    /// <summary>
    /// Runs <paramref name="script"/> with the environment given; Invoke-Eval360Benchmark and Merge-Eval360Run are stubs
    /// built from the real cmdlets' parameter metadata (an unknown or misspelt parameter fails as it would for real),
    /// Get-Eval360Run returns <paramref name="runs"/>; the other commands the scripts use do nothing.
    /// </summary>
    private List<(string Command, Hashtable Parameters)> RunWithStubs(string script, IDictionary<string, string> environment, object[]? runs = null)
    {
        var calls = new List<object>();
        var setup = """
            foreach ($name in 'Invoke-Eval360Benchmark', 'Merge-Eval360Run') {
                $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command $name -CommandType Cmdlet))
                $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)
                $parameters = [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)
                $body = "$binding`nparam($parameters)`nprocess { `$global:calls.Add([pscustomobject]@{ Command = '$name'; Parameters = [hashtable]`$PSBoundParameters }) }"
                Set-Item "function:global:$name" ([scriptblock]::Create($body))
            }
            function global:Get-Eval360Run { $global:runs }
            function global:Import-Module { }
            function global:Get-Eval360Summary { }
            """;
        var (_, setupShell) = _host.Run(setup, new Dictionary<string, object?> { ["calls"] = calls, ["runs"] = runs ?? [] });
        Assert.False(setupShell.HadErrors, string.Join("; ", setupShell.Streams.Error));

        var assignments = string.Concat(environment.Select(e => $"$env:{e.Key} = '{e.Value}'\n"));
        var (_, shell) = _host.Run(assignments + script);
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error.Select(e => e.ToString())));
        return [.. calls.Cast<PSObject>().Select(c => ((string)c.Properties["Command"].Value, (Hashtable)c.Properties["Parameters"].Value))];
    }

    private static object Run(string experiment, string shard, string status, string directory) =>
        new PSObject(new { ExperimentName = experiment, Shard = shard, Status = status, Directory = directory });

    [Fact]
    public void The_indexed_job_runs_shard_index_plus_one_of_n_on_every_pod_with_one_plan()
    {
        var documents = Documents(Example("kubernetes/eval360-shards.yaml"));
        var claim = Assert.Single(documents, d => Text(d, "kind") == "PersistentVolumeClaim");
        var job = Assert.Single(documents, d => Text(d, "kind") == "Job");
        Assert.Equal("batch/v1", Text(job, "apiVersion"));
        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        int shards = int.Parse(Text(job, "spec", "completions"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(shards, int.Parse(Text(job, "spec", "parallelism"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Never", Text(job, "spec", "template", "spec", "restartPolicy"));
        var container = At(job, "spec", "template", "spec", "containers", 0);
        var environment = Environment(container);
        Assert.Equal(shards.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["SHARDS"]);
        Assert.Equal("pwsh", Text(container, "command", 0));
        Assert.Equal("-Command", Text(container, "command", 3));
        var mount = Text(container, "volumeMounts", 0, "mountPath");
        Assert.Equal(Text(container, "volumeMounts", 0, "name"), Text(job, "spec", "template", "spec", "volumes", 0, "name"));
        Assert.Equal(Text(claim, "metadata", "name"), Text(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"));
        var script = Text(container, "args", 0);

        var runs = new List<Hashtable>();
        for (int index = 0; index < shards; index++)
        {
            var call = Assert.Single(RunWithStubs(script, new Dictionary<string, string>(environment) { ["JOB_COMPLETION_INDEX"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.Equal("Invoke-Eval360Benchmark", call.Command);
            runs.Add(call.Parameters);
        }

        // Index k (0-based) runs shard k+1 of n: every shard once.
        Assert.Equal(Enumerable.Range(1, shards).Select(i => $"{i}/{shards}"), runs.Select(r => (string)r["Shard"]!));
        // Everything else is the same on every pod: one plan, one experiment, results on the shared volume.
        var others = runs.Select(r => string.Join(" ", r.Keys.Cast<string>().Where(k => k != "Shard").Order(StringComparer.Ordinal).Select(k => $"{k}={Format(r[k])}"))).Distinct().ToList();
        Assert.Single(others);
        Assert.Equal(mount, (string)runs[0]["OutputDirectory"]!);
        Assert.Equal(environment["EXPERIMENT"], (string)runs[0]["ExperimentName"]!);

        // A replacement pod resumes the shard's unfinished run, and does nothing more for a finished one.
        var earlier = Run(environment["EXPERIMENT"], $"2/{shards}", "Cancelled", "/results/earlier");
        var resumed = Assert.Single(RunWithStubs(script, new Dictionary<string, string>(environment) { ["JOB_COMPLETION_INDEX"] = "1" }, [Run("other", $"2/{shards}", "Cancelled", "/results/x"), earlier]));
        Assert.Equal("/results/earlier", (string)resumed.Parameters["Resume"]!);
        Assert.False(resumed.Parameters.ContainsKey("Shard"));
        Assert.Empty(RunWithStubs(script, new Dictionary<string, string>(environment) { ["JOB_COMPLETION_INDEX"] = "1" }, [Run(environment["EXPERIMENT"], $"2/{shards}", "Completed", "/results/done")]));

        CheckImageHolds(runs[0]);
    }

    [Fact]
    public void The_merge_job_merges_exactly_the_shards_of_the_experiment()
    {
        var shardsJob = Documents(Example("kubernetes/eval360-shards.yaml")).Single(d => Text(d, "kind") == "Job");
        var job = Assert.Single(Documents(Example("kubernetes/eval360-merge.yaml")));
        Assert.Equal("Job", Text(job, "kind"));
        var container = At(job, "spec", "template", "spec", "containers", 0);
        var environment = Environment(container);
        Assert.Equal(Environment(At(shardsJob, "spec", "template", "spec", "containers", 0))["EXPERIMENT"], environment["EXPERIMENT"]);
        Assert.Equal(Text(shardsJob, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"), Text(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"));
        Assert.Equal(Text(shardsJob, "spec", "template", "spec", "containers", 0, "image"), Text(container, "image"));

        var experiment = environment["EXPERIMENT"];
        object[] runs =
        [
            .. Enumerable.Range(1, 4).Select(i => Run(experiment, $"{i}/4", "Completed", $"/results/{experiment}-run{i}")),
            Run("last-week", "1/4", "Completed", "/results/last-week-1"),
            Run(experiment, null!, "Completed", "/results/whole"),
        ];
        var calls = RunWithStubs(Text(container, "args", 0), environment, runs);
        Assert.All(calls, c => Assert.Equal("Merge-Eval360Run", c.Command));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => $"/results/{experiment}-run{i}"), calls.SelectMany(c => (string[])c.Parameters["Path"]!));
        Assert.Single(calls.Select(c => (string)c.Parameters["Destination"]!).Distinct(), $"/results/{experiment}-merged");
    }

    [Fact]
    public void The_workflow_matrix_runs_each_shard_once_then_merges_their_artifacts()
    {
        var workflow = Assert.Single(Documents(Example("github-actions/eval360-sharded.yml")));
        int shards = int.Parse(Text(workflow, "env", "SHARDS"), System.Globalization.CultureInfo.InvariantCulture);
        var matrix = Assert.IsType<YamlSequenceNode>(At(workflow, "jobs", "shard", "strategy", "matrix", "shard")).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.Equal(Enumerable.Range(1, shards).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), matrix);

        var steps = Assert.IsType<YamlSequenceNode>(At(workflow, "jobs", "shard", "steps")).Children;
        var runStep = steps.Single(s => ((YamlMappingNode)s).Children.TryGetValue(new YamlScalarNode("run"), out var run) && ((YamlScalarNode)run).Value!.Contains("Invoke-Eval360Benchmark", StringComparison.Ordinal));
        Assert.Equal("pwsh", Text(runStep, "shell"));
        var upload = steps.Single(s => ((YamlMappingNode)s).Children.TryGetValue(new YamlScalarNode("uses"), out var uses) && ((YamlScalarNode)uses).Value!.StartsWith("actions/upload-artifact", StringComparison.Ordinal));

        var runs = new List<Hashtable>();
        foreach (var shard in matrix)
        {
            var script = Expand(Text(runStep, "run"), new Dictionary<string, string> { ["matrix.shard"] = shard, ["github.run_id"] = "4242" });
            var call = Assert.Single(RunWithStubs(script, new Dictionary<string, string> { ["SHARDS"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            runs.Add(call.Parameters);
        }

        Assert.Equal(Enumerable.Range(1, shards).Select(i => $"{i}/{shards}"), runs.Select(r => (string)r["Shard"]!));
        Assert.Single(runs.Select(r => string.Join(" ", r.Keys.Cast<string>().Where(k => k != "Shard").Order(StringComparer.Ordinal).Select(k => $"{k}={Format(r[k])}"))).Distinct());
        var output = ((string)runs[0]["OutputDirectory"]!).TrimStart('.', '/');
        Assert.Equal(output, Text(upload, "with", "path").TrimEnd('/'));

        // The merge job waits for every shard, downloads every shard's artifact into one folder and merges what is there.
        Assert.Equal("shard", Text(workflow, "jobs", "merge", "needs"));
        var mergeSteps = Assert.IsType<YamlSequenceNode>(At(workflow, "jobs", "merge", "steps")).Children;
        var download = mergeSteps.Single(s => ((YamlMappingNode)s).Children.TryGetValue(new YamlScalarNode("uses"), out var uses) && ((YamlScalarNode)uses).Value!.StartsWith("actions/download-artifact", StringComparison.Ordinal));
        foreach (var shard in matrix)
        {
            Assert.Matches("^" + Regex.Escape(Text(download, "with", "pattern")).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
                Expand(Text(upload, "with", "name"), new Dictionary<string, string> { ["matrix.shard"] = shard }));
        }

        Assert.Equal("true", Text(download, "with", "merge-multiple"));
        var mergeStep = mergeSteps.Single(s => ((YamlMappingNode)s).Children.TryGetValue(new YamlScalarNode("run"), out var run) && ((YamlScalarNode)run).Value!.Contains("Merge-Eval360Run", StringComparison.Ordinal));
        var merge = Assert.Single(RunWithStubs(Expand(Text(mergeStep, "run"), new Dictionary<string, string> { ["github.run_id"] = "4242" }), new Dictionary<string, string>()));
        Assert.Equal([$"./{Text(download, "with", "path")}/*"], (string[])merge.Parameters["Path"]!);
    }

    /// <summary>The image has the module where PowerShell finds it, and every file the shard's command names, where it looks.</summary>
    private static void CheckImageHolds(Hashtable run)
    {
        var lines = File.ReadAllLines(Example("kubernetes/Dockerfile")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Build", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/powershell:7.4", StringComparison.Ordinal));
        Assert.Contains("COPY --from=build /src/module/Eval360 /usr/local/share/powershell/Modules/Eval360", lines);
        var workdir = lines.Last(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..];
        var copies = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .Select(l => l.Split(' ')).ToDictionary(p => p[2], p => p[1]);
        foreach (var file in new[] { "InputFile", "ModelProfile", "JudgeProfile" }.Select(k => run[k] is string[] many ? many[0] : (string)run[k]!))
        {
            var inImage = Path.Combine(workdir, file.TrimStart('.', '/')).Replace('\\', '/');
            Assert.True(copies.TryGetValue(inImage, out var source), $"the Dockerfile copies nothing to {inImage}");
            Assert.True(File.Exists(Path.Combine(HostedPowerShell.RepositoryRoot, source)), $"{source} is not in the repository");
        }
    }

    /// <summary>Replaces GitHub's <c>${{ expression }}</c> with the values given; any other expression fails the test.</summary>
    private static string Expand(string text, IReadOnlyDictionary<string, string> values) =>
        Expression().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new Xunit.Sdk.XunitException($"unexpected expression {m.Value}"));

    [GeneratedRegex(@"\$\{\{\s*([^}]+?)\s*\}\}")]
    private static partial Regex Expression();

    private static string Format(object? value) => value switch
    {
        string[] many => string.Join(",", many),
        SwitchParameter flag => flag.IsPresent.ToString(),
        _ => value?.ToString() ?? string.Empty,
    };
}
