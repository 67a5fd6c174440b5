using System.CommandLine;
using CrisisSim.Cli.Commands;

namespace CrisisSim.Cli;

/// <summary>The <c>crisissim</c> command line. Exit codes: 0 success, 1 a run failed its checks, 2 bad input.</summary>
public static class CliApp
{
    public const int BadInput = 2;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("CrisisSim: replays crisis surges of phone calls against a contact center's staffing and routing.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ErlangCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"crisissim: {e.Message}");
            }
            await error.WriteLineAsync("Try 'crisissim --help'.");
            return BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
