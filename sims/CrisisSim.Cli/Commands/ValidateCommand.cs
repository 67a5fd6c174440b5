using System.CommandLine;
using System.Globalization;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim validate SCENARIO...</c>: checks scenario files without running them.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("scenarios") { Description = "Scenario YAML files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check scenario files and print what they describe.") { files };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var ok = true;
            foreach (var file in parse.GetValue(files)!)
            {
                var s = CommonOptions.LoadScenario(file, e);
                if (s is null)
                {
                    ok = false;
                    continue;
                }
                var offered = s.CallTypes.Sum(t => t.CallsPerInterval.Sum());
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: ok — {s.Name}, {s.IntervalCount} x {s.IntervalSeconds} s, {s.CallTypes.Count} call type(s), {s.Groups.Count} group(s), {offered:F0} calls expected"));
            }
            return ok ? 0 : CliApp.BadInput;
        });
        return command;
    }
}
