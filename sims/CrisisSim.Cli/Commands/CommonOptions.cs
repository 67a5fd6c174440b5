using System.CommandLine;
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

    public const string RunAllowDescription =
        "A routing plug-in assembly this command may load and run although it is outside the scenario file's folder (repeat for several); plug-ins elsewhere are refused.";

    /// <summary>The plug-ins a command that simulates may run: those under the scenario file's folder and those of
    /// <c>--allow-plugin</c>, said once each on <paramref name="error"/>; null after writing why the option is wrong.</summary>
    public static PluginTrust? RunTrust(ParseResult parse, Option<string[]> allow, TextWriter error) =>
        Trust(parse, allow, error, paths => PluginTrust.ForRuns(paths, Announcer(error)));

    /// <summary>Says on standard error which plug-in assembly a command is about to load.</summary>
    public static Action<string, string> Announcer(TextWriter error) =>
        (path, type) => error.WriteLine($"note: loading routing plug-in {type} from {path}");

    public static PluginTrust? Trust(ParseResult parse, Option<string[]> allow, TextWriter error, Func<string[], PluginTrust> create)
    {
        try
        {
            return create(parse.GetValue(allow) ?? []);
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
}
