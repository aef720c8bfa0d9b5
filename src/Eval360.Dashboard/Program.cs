using Eval360.Dashboard.Hosting;

// dotnet Eval360.Dashboard.dll [options]: see DashboardOptions.Usage. Start-Eval360Dashboard runs it the same way.
if (args is ["--help"] or ["-h"] or ["-?"])
{
    Console.WriteLine(DashboardOptions.Usage);
    return 0;
}

DashboardOptions options;
try
{
    options = DashboardOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{DashboardOptions.Usage}");
    return 2;
}

return await DashboardHost.RunAsync(options);
