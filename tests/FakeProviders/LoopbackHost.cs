using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval360.FakeProviders;

/// <summary>
/// The Kestrel host every fake provider runs in: a loopback port, HTTP/1.1, no logging, no console lifetime and no
/// server limit that a benchmark's load could run into.
/// </summary>
internal static class LoopbackHost
{
    public static WebApplication Build(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackHost).Assembly.GetName().Name,
        });

        // No logging at all: not even a provider-less factory that formats nothing but still allocates scopes.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(NullLoggerFactory.Instance));
        builder.Services.Replace(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(NullLogger<>)));

        // The host must not catch Ctrl+C/SIGTERM: the owner (a test, or Program) decides when it stops.
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, OwnerControlledLifetime>());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(1);
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/>; returns its root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri($"http://127.0.0.1:{new Uri(address).Port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>Stops <paramref name="app"/> (after the caller has cancelled its running replies) and disposes it.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await app.StopAsync(grace.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>An <see cref="IHostLifetime"/> that hooks no console signal.</summary>
    private sealed class OwnerControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
