using System.CommandLine;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

internal static class CommonOptions
{
    public static Argument<string> ScenarioArgument() => new("scenario") { Description = "Path of the scenario YAML file." };

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
