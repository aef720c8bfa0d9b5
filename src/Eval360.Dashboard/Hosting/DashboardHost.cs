using System.Globalization;
using System.Net;
using Eval360.Dashboard.Live;
using Eval360.Dashboard.Running;
using Eval360.Dashboard.Runs;
using Eval360.Dashboard.Security;
using Eval360.Dashboard.Setup;
using Eval360.Dashboard.Store;
using Eval360.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Eval360.Dashboard.Hosting;

/// <summary>Builds and runs the dashboard: one data folder, one listening address, one access token, one queue worker.</summary>
public static class DashboardHost
{
    public static async Task<int> RunAsync(DashboardOptions options)
    {
        using var dataLock = DataFolderLock.TryTake(options.DataPath);
        if (dataLock is null)
        {
            var other = DashboardEndpoint.Read(options.DataPath);
            await Console.Error.WriteLineAsync(other is null
                ? $"Another Eval360 dashboard is using the data folder {options.DataPath}; stop it first (Stop-Eval360Dashboard -DataPath '{options.DataPath}'), or give another -DataPath."
                : $"Another Eval360 dashboard (process {other.ProcessId}, {Strip(other.Url)}) is using the data folder {options.DataPath}; open it, stop it first (Stop-Eval360Dashboard -DataPath '{options.DataPath}'), or give another -DataPath.").ConfigureAwait(false);
            return DashboardLauncher.ExitDataFolderInUse;
        }

        if (options.Quiet)
        {
            ProcessSession.Detach();
        }

        var app = Build(options);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync(
                $"The dashboard cannot listen on {Endpoint(options.BindAddress, options.Port)}: {e.Message}. Give another -Port (0 picks a free one), or stop what uses that port.").ConfigureAwait(false);
            return DashboardLauncher.ExitCannotListen;
        }

        var info = Announce(app, options);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        if (DashboardEndpoint.Read(options.DataPath)?.ProcessId == info.ProcessId)
        {
            DashboardEndpoint.Delete(options.DataPath);
        }

        return 0;
    }

    private static WebApplication Build(DashboardOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(DashboardHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            EnvironmentName = Environments.Production,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FileLoggerProvider(options.LogFile));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (!options.Quiet)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        // On loopback, only requests addressed to loopback names are served (a DNS-rebinding page cannot talk to it).
        builder.Configuration["AllowedHosts"] = options.IsLoopback ? $"localhost;127.0.0.1;[::1];{HostText(options.BindAddress)}" : "*";
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1024 * 1024);
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxUploadBytes);

        var token = new AccessToken();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DashboardChanges>();
        builder.Services.AddSingleton(sp => new EvaluationStore(options.Database, sp.GetRequiredService<DashboardChanges>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Datasets>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<EvaluationPlanner>();
        builder.Services.AddSingleton<RunBrowser>();
        builder.Services.AddSingleton<EvaluationRemover>();
        builder.Services.AddSingleton<EvaluationWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EvaluationWorker>());
        builder.Services.AddScoped<LivePanels>();

        // Keys live as long as the process, like the access token: nothing secret is written to disk for them.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddAntiforgery(antiforgery =>
        {
            // Read at the first request, after the port is known (AccessToken.Listening).
            antiforgery.Cookie.Name = token.CookieName + "_antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
        });
        builder.Services.AddRazorPages();
        builder.Services.AddHttpContextAccessor();

        var app = builder.Build();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<AccessTokenMiddleware>();
        app.UseStaticFiles();
        app.UseRouting();
        app.MapRazorPages();
        DashboardEndpoints.Map(app);
        return app;
    }

    /// <summary>Writes dashboard.json and tells the starter where the dashboard listens (one JSON line when quiet).</summary>
    private static DashboardInfo Announce(WebApplication app, DashboardOptions options)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        int port = new Uri(address.Replace("[::]", "[::1]", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        var host = IPAddress.Any.Equals(options.BindAddress) || IPAddress.IPv6Any.Equals(options.BindAddress)
            ? Dns.GetHostName()
            : options.BindAddress.ToString();
        var token = app.Services.GetRequiredService<AccessToken>();
        token.Listening(port);
        var info = new DashboardInfo
        {
            Url = $"http://{Endpoint(host, port)}/?{AccessToken.QueryName}={token.Value}",
            ProcessId = Environment.ProcessId,
            Port = port,
            BindAddress = options.BindAddress.ToString(),
            DataPath = options.DataPath,
            OutputDirectory = options.OutputDirectory,
            StartedAt = DateTimeOffset.UtcNow,
        };
        DashboardEndpoint.Write(options.DataPath, info);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Eval360.Dashboard");
        logger.LogInformation("Listening on {Address}; data in {DataPath}; runs in {Outputs}", Endpoint(options.BindAddress, port), options.DataPath, options.OutputDirectory);
        if (!options.IsLoopback)
        {
            var warning = $"The dashboard listens on {options.BindAddress}, not only this machine: anyone who can reach it and has the URL with its token can run evaluations. Traffic is plain HTTP; use this only on a network you trust.";
            logger.LogWarning("{Warning}", warning);
            Console.Error.WriteLine("WARNING: " + warning);
        }

        if (options.Quiet)
        {
            Console.Out.WriteLine(DashboardEndpoint.ReadyPrefix + DashboardEndpoint.Serialize(info));
            Console.Out.Flush();
        }
        else
        {
            Console.Out.WriteLine($"Eval360 dashboard: {info.Url}");
            Console.Out.WriteLine("Open that URL (it holds the access token). Ctrl+C stops the dashboard.");
        }

        return info;
    }

    private static string Endpoint(object host, int port) => string.Create(CultureInfo.InvariantCulture, $"{HostText(host)}:{port}");

    /// <summary>A host as a URL writes it: IPv6 addresses in brackets.</summary>
    private static string HostText(object host)
    {
        var text = host.ToString()!;
        return text.Contains(':', StringComparison.Ordinal) ? $"[{text}]" : text;
    }

    private static string Strip(string url) => url.Split('?')[0];
}
