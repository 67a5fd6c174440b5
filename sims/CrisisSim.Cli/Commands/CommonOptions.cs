using System.CommandLine;
using CrisisSim.Inputs;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

internal static class CommonOptions
{
    public static Argument<string> ScenarioArgument() => new("scenario") { Description = "Path of the scenario YAML file." };

    /// <summary><c>--allow-plugin PATH</c>, repeatable: a routing plug-in assembly outside the scenario file's folder that
    /// the command may load and run.</summary>
    public static Option<string[]> AllowPluginOption(string description) =>
        new("--allow-plugin") { Description = description, AllowMultipleArgumentsPerToken = false };

    /// <summary><c>--allow-routing-host HOST</c>, repeatable: a host other than this machine that a routing service
    /// (<c>routing: { service: URL }</c>) may be asked on.</summary>
    public static Option<string[]> AllowRoutingHostOption() =>
        new("--allow-routing-host")
        {
            Description = "A host other than this machine that the scenario's routing service may be on (repeat for several); the simulation's states and the routing settings are sent to it. Without it a routing service must be on localhost, 127.0.0.1 or ::1.",
            AllowMultipleArgumentsPerToken = false,
        };

    public const string RunAllowDescription =
        "A routing plug-in assembly this command may load and run although it is outside the scenario file's folder (repeat for several); plug-ins elsewhere are refused.";

    /// <summary>The plug-ins a command that simulates may run: those under the scenario file's folder and those of
    /// <c>--allow-plugin</c>, said once each on <paramref name="error"/>; null after writing why the option is wrong.</summary>
    public static PluginTrust? RunTrust(ParseResult parse, Option<string[]> allow, Option<string[]> allowHost, TextWriter error) =>
        Trust(parse, allow, error, paths => PluginTrust.ForRuns(paths, Announcer(error)), allowHost);

    /// <summary>Says on standard error which plug-in assembly a command is about to load.</summary>
    public static Action<string, string> Announcer(TextWriter error) =>
        (path, type) => error.WriteLine($"note: loading routing plug-in {type} from {path}");

    public static PluginTrust? Trust(ParseResult parse, Option<string[]> allow, TextWriter error, Func<string[], PluginTrust> create, Option<string[]>? allowHost = null)
    {
        var hosts = allowHost is null ? [] : parse.GetValue(allowHost) ?? [];
        foreach (var host in hosts)
        {
            if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
            {
                error.WriteLine(Printable.Escape($"error: --allow-routing-host: '{host}' is not a host name or an IP address (give the host alone, such as routing.example.com, without scheme, port or path)."));
                return null;
            }
        }
        try
        {
            return create(parse.GetValue(allow) ?? []).AllowingServiceHosts(hosts);
        }
        catch (RoutingPluginException ex)
        {
            error.WriteLine($"error: --allow-plugin: {ex.Message}.");
            return null;
        }
    }

    /// <summary>Loads a scenario, or writes its problems (file:line:column: key: reason) and returns null.</summary>
    public static ScenarioDefinition? LoadScenario(string path, TextWriter error)
    {
        try
        {
            return ScenarioLoader.LoadFile(path);
        }
        catch (ScenarioException ex)
        {
            foreach (var e in ex.Errors)
            {
                error.WriteLine($"error: {e}");
            }
            return null;
        }
    }

    /// <summary>Creates a run's result folder under <paramref name="outputRoot"/> (see <see cref="ResultFolder"/>), or writes
    /// why it cannot (exit 1: the results could not be written) and returns null.</summary>
    public static ResultFolder? CreateResultFolder(string outputRoot, string scenarioName, string runName, TextWriter error)
    {
        try
        {
            return ResultFolder.Create(outputRoot, scenarioName, runName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine(Printable.Escape($"error: cannot write results under --out '{outputRoot}': {OutputProblem(outputRoot, ex)}"));
            return null;
        }
    }

    /// <summary>Why an output file cannot be written at <paramref name="path"/> before it is opened, or null: a FIFO
    /// would block the command until a reader comes, a device would swallow the file.</summary>
    public static string? OutputFileProblem(string path) =>
        Directory.Exists(path) ? "it is a folder; give the path of the file to write"
        : File.Exists(path) && FileKind.NotRegular(path) is { } kind ? $"it is {kind}, not a regular file"
        : null;

    /// <summary>Why a folder cannot be created at <paramref name="path"/>, in words: the system's message for a path
    /// whose part is a file ("Could not find a part of the path") or a folder without permission ("Access denied")
    /// does not say which part is wrong.</summary>
    public static string OutputProblem(string path, Exception ex)
    {
        try
        {
            string? below = null;
            for (var part = Path.GetFullPath(path); !string.IsNullOrEmpty(part); below = part, part = Path.GetDirectoryName(part))
            {
                if (File.Exists(part))
                {
                    return below is null ? "it is a file; give a folder (it is created when missing)" : $"'{part}' is a file, not a folder";
                }
                if (Directory.Exists(part))
                {
                    return ex is UnauthorizedAccessException ? $"no permission to write in '{part}'"
                        : ex is DirectoryNotFoundException && below is not null && below != Path.GetFullPath(path) ? $"the folder '{below}' does not exist"
                        : ex.Message;
                }
            }
        }
        catch (Exception inner) when (inner is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The path itself is malformed: the system's message says so.
        }
        return ex.Message;
    }
}
