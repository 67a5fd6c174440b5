using System.Runtime;
using CrisisSim.Inputs;

namespace CrisisSim.Cli;

/// <summary>Start-up of the command: most of it is the first compilation of the methods it runs (the embedded silo alone
/// compiles about 7,000: Orleans and the generic code it instantiates). .NET's multi-core JIT records, in a small file
/// per kind of command, which methods a run compiled and in what order; the next run of the same kind compiles them again
/// on another core ahead of their first call, while this one reads its input and starts the silo. It changes when code
/// is compiled, never what a run computes.
///
/// The files live in <c>$CRISISSIM_JIT_PROFILES</c> when it is set (<c>off</c> turns the recording off), else in
/// <c>$XDG_CACHE_HOME/crisissim/jit</c> or <c>~/.cache/crisissim/jit</c>. A file is a hint: the runtime skips what no
/// longer matches the assemblies (after a rebuild or an update); a folder that cannot be written, or a profile that is
/// not a regular file of at most 16 MiB, leaves the command as it was, without one.</summary>
internal static class StartupJit
{
    public const string FolderVariable = "CRISISSIM_JIT_PROFILES";

    public static void Start(string[] args)
    {
        try
        {
            if (Folder(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) is not { } folder)
            {
                return;
            }
            var name = ProfileName(args, AppContext.BaseDirectory);
            if (!Usable(Path.Combine(folder, name)))
            {
                return;
            }
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // No cache folder: the command starts as it would without one.
        }
    }

    /// <summary>The largest profile read (a run of the embedded silo writes about 200 KB).</summary>
    public const long MaxProfileBytes = 16 << 20;

    /// <summary>Whether the runtime may read and write the profile at <paramref name="path"/>: none yet, or a regular file
    /// within <see cref="MaxProfileBytes"/> (the guard every file read goes through: a FIFO put there would block the
    /// start). Anything else leaves the profile out of this run.</summary>
    public static bool Usable(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return true;
        }
        try
        {
            InputFile.Check(path, MaxProfileBytes, "a start-up profile");
            return true;
        }
        catch (InputFileException)
        {
            return false;
        }
    }

    /// <summary>The folder of the profiles, or null when they are turned off or no home is known.</summary>
    public static string? Folder(Func<string, string?> variable, string? home)
    {
        var chosen = variable(FolderVariable);
        if (chosen is not null)
        {
            return chosen.Trim() is "" or "off" ? null : chosen;
        }
        var cache = variable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
        {
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }
            cache = Path.Combine(home, ".cache");
        }
        return Path.Combine(cache, "crisissim", "jit");
    }

    /// <summary>One profile per installed copy of the command (a short hash of its folder: the installed tool and a
    /// checkout's build do not overwrite each other's), command (its first two words) and kind of host, since each
    /// compiles different code: <c>run-silo-1a2b3c4d.jitprofile</c>, <c>planning-staff-threads-1a2b3c4d.jitprofile</c>,
    /// <c>load-cluster-1a2b3c4d.jitprofile</c>.</summary>
    public static string ProfileName(string[] args, string appFolder)
    {
        var words = args.TakeWhile(a => a.Length is > 0 and <= 20 && a.All(char.IsAsciiLetterLower)).Take(2).ToList();
        var host = "silo";
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], i + 1 < args.Length ? args[i + 1] : "");
            if (name == "--cluster")
            {
                host = "cluster";
                break;
            }
            if (name == "--host" && value is "threads" or "process")
            {
                host = "threads";
            }
        }
        return string.Join('-', [.. words.DefaultIfEmpty("none"), host, CopyTag(appFolder)]) + ".jitprofile";
    }

    /// <summary>Eight hex digits naming a copy of the command by its folder (FNV-1a over the path's characters: cheap at
    /// start, unlike a cryptographic hash, whose library would load first).</summary>
    public static string CopyTag(string appFolder)
    {
        var hash = 2166136261u;
        foreach (var c in appFolder)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
