using System.Reflection;
using System.Runtime.Loader;

namespace Eval360.LoadContext;

/// <summary>
/// Loads Eval360's cmdlets, engine and every library they depend on from the module's <c>deps</c> folder into a
/// context of their own, so they never clash with what PowerShell or another module has loaded: the engine needs a
/// newer System.Text.Json and Microsoft.Extensions.* than PowerShell 7.4 carries, for one. PowerShell's own
/// assemblies and the framework are not in <c>deps</c>, so they come from the default context and are shared.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;

    private readonly string _directory;

    /// <summary>
    /// The module's folder, where its manifest is. This assembly lives there, or (compiled for the running .NET) in
    /// <c>deps/net10.0/</c> below it; hosted without a manifest, its own folder.
    /// </summary>
    public static string ModuleDirectory { get; } = FindModuleDirectory();

    private DependencyLoadContext(string directory)
        : base("Eval360", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>Loads (once per process) the assembly holding the cmdlets, for <c>Import-Module -Assembly</c>.</summary>
    public static Assembly LoadCommands(string directory)
    {
        lock (Gate)
        {
            _instance ??= new DependencyLoadContext(Path.GetFullPath(directory));
            return _instance.LoadFromAssemblyName(new AssemblyName("Eval360.PowerShell"));
        }
    }

    private static string FindModuleDirectory()
    {
        var own = Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!;
        var directory = own;
        for (var level = 0; level <= 2 && directory is not null; level++, directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Eval360.psd1")))
            {
                return directory;
            }
        }

        return own;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // This assembly holds the types users see; there must be exactly one copy of them, the default context's.
        if (assemblyName.Name == typeof(DependencyLoadContext).Assembly.GetName().Name)
        {
            return typeof(DependencyLoadContext).Assembly;
        }

        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
