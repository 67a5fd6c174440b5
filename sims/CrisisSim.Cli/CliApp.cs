using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using CrisisSim.Cli.Commands;
using CrisisSim.Inputs;

namespace CrisisSim.Cli;

/// <summary>The <c>crisissim</c> command line. Exit codes: 0 success, 1 a run failed (its checks, a threshold of
/// <c>load</c>, or writing its results), 2 bad input, 3 a replication stopped as unstable (more calls waiting at once than the scenario limits allow),
/// 4 a routing plug-in failed during a run, 130 interrupted (Ctrl+C or SIGTERM).</summary>
public static class CliApp
{
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Unstable = 3;
    public const int PluginFailed = 4;
    public const int Interrupted = 130;

    private static readonly AsyncLocal<bool> VerboseFlow = new();

    private const string VerboseName = "--verbose";

    /// <summary>Whether the command being run was given <c>--verbose</c>.</summary>
    internal static bool Verbose => VerboseFlow.Value;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("CrisisSim: replays crisis surges of phone calls against a contact center's staffing and routing.");
        // On every command: failures show their stack.
        root.Options.Add(new Option<bool>(VerboseName) { Description = "On a failure, also print where it happened (the stack of the exception).", Recursive = true });
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(LoadCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ErlangCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(StaffCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(SizeCommand.Create());
        root.Subcommands.Add(SchemaCommand.Create());
        root.Subcommands.Add(TraceCommands.Import());
        root.Subcommands.Add(TraceCommands.Fit());
        root.Subcommands.Add(ReplayCommand.Create());
        var help = new Command("help", "Show help for crisissim or one of its commands.");
        var topic = new Argument<string?>("command") { Description = "The command to explain.", Arity = ArgumentArity.ZeroOrOne };
        help.Arguments.Add(topic);
        help.SetAction(parse =>
        {
            var name = parse.GetValue(topic);
            var args = string.IsNullOrEmpty(name) ? new[] { "--help" } : [name, "--help"];
            if (name is not null && !root.Subcommands.Any(c => c.Name == name))
            {
                parse.InvocationConfiguration.Error.WriteLine($"crisissim: no command '{name}'. Try 'crisissim --help'.");
                return BadInput;
            }
            return root.Parse(args).Invoke(parse.InvocationConfiguration);
        });
        root.Subcommands.Add(help);
        return root;
    }

    /// <param name="cancellationToken">Cancelled when the user interrupts (see <c>Program</c>): a run stops, writes
    /// nothing and returns <see cref="Interrupted"/>.</param>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Length; i++)
        {
            if (Printable.HasControl(args[i]))
            {
                // No path, key or value needs one, and echoed in a message it would reach the terminal raw.
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"crisissim: argument {i + 1} ('{Printable.Escape(args[i].Length <= 80 ? args[i] : args[i][..77] + "...")}') holds a control character; arguments may not."));
                return BadInput;
            }
        }
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
        VerboseFlow.Value = parse.GetValue<bool>(VerboseName);
        // Signals are handled by the caller, who owns the process (see Program): no handler of System.CommandLine's.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
