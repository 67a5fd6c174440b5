using System.CommandLine;
using System.Text;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim schema [--out FILE]</c>: the JSON Schema of scenario files, for editors (see
/// <c>scenarios/README.md</c>, section Editors).</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out", "-o") { Description = "Write the schema to this file instead of printing it." };
        var command = new Command("schema", "Print the JSON Schema (draft 2020-12) of scenario files, for editors.");
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var text = ScenarioSchema.Text();
            if (parse.GetValue(output) is not { } path)
            {
                parse.InvocationConfiguration.Output.Write(text);
                return 0;
            }
            if (CommonOptions.OutputFileProblem(path) is { } problem)
            {
                parse.InvocationConfiguration.Error.WriteLine(CrisisSim.Inputs.Printable.Escape($"error: --out '{path}': cannot write the schema: {problem}"));
                return CliApp.Failed;
            }
            try
            {
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                var reason = Directory.Exists(path) ? "it is a folder; give the path of the file to write"
                    : File.Exists(path) ? ex.Message
                    : CommonOptions.OutputProblem(path, ex);
                parse.InvocationConfiguration.Error.WriteLine(CrisisSim.Inputs.Printable.Escape($"error: --out '{path}': cannot write the schema: {reason}"));
                return CliApp.Failed;
            }
        });
        return command;
    }
}
