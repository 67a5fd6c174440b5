using System.CommandLine;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Planning;
using CrisisSim.Scenarios;
using Microsoft.Extensions.Hosting;

namespace CrisisSim.Cli.Commands;

/// <summary>What the planning commands (staff, sweep, size) read from the options every one of them has.</summary>
internal sealed record PlanningSettings(long Seed, int Replications, string Output, HostChoice Host);

/// <summary>What a planning command's action is handed: its settings, its host (started when the work starts), and the
/// writers of the invocation.</summary>
internal sealed record PlanningContext(PlanningSettings Settings, PreparedHost Host, TextWriter Out, TextWriter Error);

/// <summary>Seed, replications, output folder and host of the planning commands, declared once.</summary>
internal sealed class PlanningOptions
{
    private readonly Option<long> _seed = new("--seed", "-s") { Description = "Root seed; every point and iteration uses the same replications of it (common random numbers).", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _replications;
    private readonly Option<string> _output = new("--out", "-o") { Description = "Folder for result files: OUT/<scenario>/<run-id>/.", DefaultValueFactory = _ => "results" };
    private readonly HostOptions _host = new("Replications in flight at once (default: as for run).");
    private readonly Option<string[]> _allowPlugin = CommonOptions.AllowPluginOption(CommonOptions.RunAllowDescription);

    public PlanningOptions(int defaultReplications)
    {
        _replications = new Option<int>("--replications", "-r") { Description = "Replications per simulated scenario (at least 2, for confidence intervals).", DefaultValueFactory = _ => defaultReplications };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_seed);
        command.Options.Add(_replications);
        command.Options.Add(_output);
        command.Options.Add(_allowPlugin);
        _host.AddTo(command);
    }

    /// <summary>Sets the command's action: the options are read (bad ones exit with 2), the plug-ins it may run are set,
    /// the chosen host is prepared, then <paramref name="action"/> runs.</summary>
    public void SetAction(Command command, Func<ParseResult, PlanningContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellation) =>
        {
            var e = parse.InvocationConfiguration.Error;
            if (Read(parse, e) is not { } settings)
            {
                return CliApp.BadInput;
            }
            if (CommonOptions.RunTrust(parse, _allowPlugin, e) is not { } trust)
            {
                return CliApp.BadInput;
            }
            // Every scenario the command reads (each point of a sweep or an ensemble) loads plug-ins under this trust.
            using var plugins = Plugins.PluginTrust.Use(trust);
            await using var host = new PreparedHost(settings.Host, e);
            return await action(parse, new PlanningContext(settings, host, parse.InvocationConfiguration.Output, e), cancellation);
        });

    /// <summary>The options, or null after writing what is wrong with them.</summary>
    public PlanningSettings? Read(ParseResult parse, TextWriter e)
    {
        var reps = parse.GetValue(_replications);
        if (reps is < 2 or > RunLimits.MaxReplications)
        {
            e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --replications must be from 2 to {RunLimits.MaxReplications:N0} (got {reps})."));
            return null;
        }
        var output = parse.GetValue(_output)!;
        if (string.IsNullOrWhiteSpace(output))
        {
            e.WriteLine("error: --out must name a folder (got an empty value).");
            return null;
        }
        return _host.Read(parse, e) is { } host ? new PlanningSettings(parse.GetValue(_seed), reps, output, host) : null;
    }
}

/// <summary>The service targets of <c>staff</c> and <c>run --check</c>: <c>--target-sl</c>, <c>--max-abandon</c>,
/// <c>--max-asa</c>; the service-level threshold is the scenario's.</summary>
internal sealed class TargetOptions
{
    private readonly Option<double?> _serviceLevel = InvariantNumber.Option("--target-sl", "Service level to reach in every interval, a fraction in (0, 1] (default: the scenario's serviceLevel.target).");
    private readonly Option<double?> _abandonment = InvariantNumber.Option("--max-abandon", "Highest abandonment rate allowed in an interval, a fraction from 0 to 1 (default: none).");
    private readonly Option<string?> _asa = new("--max-asa") { Description = "Highest average speed of answer allowed in an interval, a duration such as 30s (default: none)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_serviceLevel);
        command.Options.Add(_abandonment);
        command.Options.Add(_asa);
    }

    public bool Given(ParseResult parse) =>
        parse.GetValue(_serviceLevel) is not null || parse.GetValue(_abandonment) is not null || parse.GetValue(_asa) is not null;

    /// <summary>The targets for <paramref name="scenario"/>, or null after writing what is wrong.</summary>
    public ServiceTargets? Read(ParseResult parse, ScenarioDefinition scenario, TextWriter e)
    {
        var targets = ServiceTargets.Of(scenario);
        if (parse.GetValue(_serviceLevel) is { } sl)
        {
            if (!(sl > 0 && sl <= 1))
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --target-sl must be a fraction above 0 and at most 1, such as 0.8 (got {sl})."));
                return null;
            }
            targets = targets with { ServiceLevel = sl };
        }
        if (parse.GetValue(_abandonment) is { } ab)
        {
            if (!(ab >= 0 && ab <= 1))
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --max-abandon must be a fraction from 0 to 1, such as 0.05 (got {ab})."));
                return null;
            }
            targets = targets with { MaxAbandonment = ab };
        }
        if (parse.GetValue(_asa) is { } asaText)
        {
            if (!ScenarioSettings.TryParseDuration(asaText, out var asa) || asa > ScenarioLimits.MaxDurationSeconds)
            {
                e.WriteLine($"error: --max-asa must be a duration from 0 to 30 days, such as 30s or 2m (got '{asaText}').");
                return null;
            }
            targets = targets with { MaxAsaSeconds = asa };
        }
        return targets;
    }
}

/// <summary>Number options read with the invariant culture ("0.8", "1e3", "12.5"), whatever the user's locale.</summary>
internal static class InvariantNumber
{
    public static Option<double?> Option(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                {
                    return value;
                }
                result.AddError($"{name}: '{token}' is not a number (use '.' as the decimal separator).");
                return null;
            },
        };
}

/// <summary>Reports synchronously on the thread that reports (System.Progress would post to a synchronization
/// context).</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
