using System.Diagnostics;
using System.Runtime.InteropServices;
using CrisisSim.Plugins;

namespace CrisisSim.Cli;

/// <summary>What a command knows while its run is under way, for the ways a run can end without returning: the process
/// ended by code it ran (a routing plug-in calling <c>Environment.Exit</c> through reflection, which inspection does not
/// see), a plug-in decision that never ends (<see cref="DecisionWatchdog"/>), or the hard exit after a signal. Each
/// removes the run's staging folder; the first two say why on standard error and end the process with
/// <see cref="CliApp.PluginFailed"/>.</summary>
internal static class RunWatch
{
    private static readonly Lock Gate = new();
    private static readonly List<(ResultFolder Folder, TextWriter Error)> Running = [];
    private static int _endingOnPurpose;
    private static bool _hooked;

    /// <summary>Set by the program that owns the process: a stuck decision ends the process (a test host is never
    /// ended).</summary>
    public static bool MayEndProcess { get; set; }

    /// <summary>Marks a run under way until disposed.</summary>
    public static IDisposable Begin(ResultFolder folder, TextWriter error)
    {
        lock (Gate)
        {
            if (!_hooked)
            {
                _hooked = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => OnProcessExit();
                DecisionWatchdog.Stuck += OnStuck;
            }
            Running.Add((folder, error));
        }
        return new End(folder);
    }

    /// <summary>The process is about to end on the program's own decision (the hard exit after a signal): the staging
    /// folders are removed without a message.</summary>
    public static void EndingOnPurpose() => Interlocked.Exchange(ref _endingOnPurpose, 1);

    private static List<(ResultFolder Folder, TextWriter Error)> Take()
    {
        lock (Gate)
        {
            var running = Running.ToList();
            Running.Clear();
            return running;
        }
    }

    private static void OnProcessExit()
    {
        var running = Take();
        if (running.Count == 0)
        {
            return;
        }
        var onPurpose = Volatile.Read(ref _endingOnPurpose) == 1;
        var culprit = onPurpose ? null : Culprit();
        foreach (var (folder, error) in running)
        {
            folder.Dispose();
            if (!onPurpose)
            {
                TryWrite(error, $"error: the process was ended during the run by {culprit} (Environment.Exit); no result was written.");
            }
        }
        if (!onPurpose && MayEndProcess && !OperatingSystem.IsWindows())
        {
            // The code that ended the process chose its exit code (often 0): a run that wrote nothing must not say success.
            Exit(CliApp.PluginFailed);
        }
    }

    private static void OnStuck(string message)
    {
        var running = Take();
        foreach (var (folder, error) in running)
        {
            folder.Dispose();
            TryWrite(error, $"error: {message}; no result was written.");
        }
        if (running.Count > 0 && MayEndProcess)
        {
            // The decision's thread cannot be stopped from outside: ending the process is the only way to stop it.
            EndingOnPurpose();
            Environment.Exit(CliApp.PluginFailed);
        }
    }

    /// <summary>The plug-in decision under way, else a plug-in method on the stack, else the plug-ins loaded, else "code
    /// it ran".</summary>
    private static string Culprit()
    {
        if (DecisionWatchdog.UnderWay() is [var decision, ..])
        {
            return "the routing plug-in " + decision;
        }
        var plugins = RoutingPlugins.LoadedPaths;
        foreach (var frame in new StackTrace(false).GetFrames())
        {
            if (frame.GetMethod() is { DeclaringType: { } type } method && plugins.Contains(type.Assembly.Location))
            {
                return $"the routing plug-in {type.FullName}.{method.Name} (from {type.Assembly.Location})";
            }
        }
        return plugins.Count > 0 ? "code it ran (routing plug-in assemblies loaded: " + string.Join(", ", plugins) + ")" : "code it ran";
    }

    private static void TryWrite(TextWriter error, string line)
    {
        try
        {
            error.WriteLine(line);
            error.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Standard error is gone: the folder is removed all the same.
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int code);

    private sealed class End(ResultFolder folder) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                Running.RemoveAll(r => ReferenceEquals(r.Folder, folder));
            }
        }
    }
}
