using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrisisSim.Analytics;

namespace CrisisSim.Cli.Commands;

/// <summary>
/// <c>erlang</c>: analytic queueing metrics for one interval of traffic (Erlang B, Erlang C, or
/// Erlang A when a mean patience is given) and the minimum staffing that meets a service-level target.
/// </summary>
public static class ErlangCommand
{
    private const int Success = 0;
    private const int UsageError = 2;
    private const int ComputationError = 1;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Creates the <c>erlang</c> command.</summary>
    public static Command Create()
    {
        Option<double> calls = NumberOption("--calls", "Mean number of calls offered per interval (> 0).");
        calls.Required = true;
        Option<double> interval = NumberOption("--interval", "Interval length in seconds (> 0).");
        interval.DefaultValueFactory = _ => 1800.0;
        Option<double> handle = NumberOption("--aht", "Mean handle time in seconds (> 0).");
        handle.Required = true;
        Option<int?> agents = new("--agents")
        {
            Description = "Number of agents (>= 1). Omit to get only the minimum staffing.",
        };
        Option<double> threshold = NumberOption("--threshold", "Service-level threshold in seconds (>= 0).");
        threshold.DefaultValueFactory = _ => 20.0;
        Option<double?> patience = OptionalNumberOption(
            "--patience",
            "Mean caller patience in seconds (> 0). When given, the Erlang A model with abandonment is used; otherwise Erlang C.");
        Option<double> target = NumberOption("--target", "Service-level target: fraction of calls answered within the threshold, strictly between 0 and 1.");
        target.DefaultValueFactory = _ => 0.8;
        Option<bool> json = new("--json")
        {
            Description = "Write machine-readable JSON instead of text.",
        };

        var command = new Command("erlang", "Erlang B/C/A queueing metrics and minimum staffing for one interval of traffic.");
        command.Options.Add(calls);
        command.Options.Add(interval);
        command.Options.Add(handle);
        command.Options.Add(agents);
        command.Options.Add(threshold);
        command.Options.Add(patience);
        command.Options.Add(target);
        command.Options.Add(json);

        command.SetAction(parseResult =>
        {
            var request = new Request(
                CallsPerInterval: parseResult.GetValue(calls),
                IntervalSeconds: parseResult.GetValue(interval),
                MeanHandleSeconds: parseResult.GetValue(handle),
                Agents: parseResult.GetValue(agents),
                ThresholdSeconds: parseResult.GetValue(threshold),
                MeanPatienceSeconds: parseResult.GetValue(patience),
                ServiceLevelTarget: parseResult.GetValue(target),
                Json: parseResult.GetValue(json));
            return Run(request, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(Request request, TextWriter output, TextWriter error)
    {
        if (Validate(request) is { } message)
        {
            error.WriteLine($"error: {message}");
            return UsageError;
        }

        Report report;
        try
        {
            report = Compute(request);
        }
        catch (ArgumentOutOfRangeException exception) when (exception.ParamName == "meanPatienceSeconds")
        {
            error.WriteLine(string.Create(
                Invariant,
                $"error: --patience {request.MeanPatienceSeconds:R} s is too long relative to --aht for the exact Erlang A evaluation at this load; omit --patience to use Erlang C."));
            return UsageError;
        }
        catch (InvalidOperationException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return ComputationError;
        }

        output.Write(request.Json ? FormatJson(request, report) : FormatText(request, report));
        return Success;
    }

    private static string? Validate(Request request)
    {
        if (!IsPositive(request.CallsPerInterval))
        {
            return Invalid("--calls", "must be a number greater than 0", request.CallsPerInterval);
        }

        if (!IsPositive(request.IntervalSeconds))
        {
            return Invalid("--interval", "must be a number of seconds greater than 0", request.IntervalSeconds);
        }

        if (!IsPositive(request.MeanHandleSeconds))
        {
            return Invalid("--aht", "must be a number of seconds greater than 0", request.MeanHandleSeconds);
        }

        if (request.Agents is { } agents && (agents < 1 || agents > Staffing.MaximumAgents))
        {
            return string.Create(Invariant, $"--agents must be between 1 and {Staffing.MaximumAgents} (got {agents}).");
        }

        if (!double.IsFinite(request.ThresholdSeconds) || request.ThresholdSeconds < 0.0)
        {
            return Invalid("--threshold", "must be a number of seconds not below 0", request.ThresholdSeconds);
        }

        if (request.MeanPatienceSeconds is { } patience && !IsPositive(patience))
        {
            return Invalid("--patience", "must be a number of seconds greater than 0", patience);
        }

        if (!(request.ServiceLevelTarget > 0.0 && request.ServiceLevelTarget < 1.0))
        {
            return Invalid("--target", "must lie strictly between 0 and 1 (e.g. 0.8 for 80 %)", request.ServiceLevelTarget);
        }

        if (request.CallsPerInterval / request.IntervalSeconds * request.MeanHandleSeconds >= Staffing.MaximumAgents)
        {
            return string.Create(Invariant, $"--calls, --interval and --aht give an offered load beyond the supported {Staffing.MaximumAgents} Erlangs.");
        }

        return null;
    }

    private static Report Compute(Request request)
    {
        double arrivalRate = request.CallsPerInterval / request.IntervalSeconds;
        var staffingTarget = new StaffingTarget(request.ServiceLevelTarget, request.ThresholdSeconds);
        double load = arrivalRate * request.MeanHandleSeconds;
        Metrics? metrics = null;
        if (request.Agents is { } agents)
        {
            var queue = new QueueParameters(arrivalRate, request.MeanHandleSeconds, agents);
            metrics = request.MeanPatienceSeconds is { } patience
                ? Metrics.From(ErlangA.Compute(queue, patience, request.ThresholdSeconds))
                : Metrics.From(ErlangC.Compute(queue, request.ThresholdSeconds));
        }

        int minimumAgents = request.MeanPatienceSeconds is { } meanPatience
            ? Staffing.MinimumAgents(arrivalRate, request.MeanHandleSeconds, meanPatience, staffingTarget)
            : Staffing.MinimumAgents(arrivalRate, request.MeanHandleSeconds, staffingTarget);
        return new Report(arrivalRate, load, metrics, minimumAgents);
    }

    private static string FormatText(Request request, Report report)
    {
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(Invariant, $"  {label,-32}{value}\n");

        bool erlangA = request.MeanPatienceSeconds is not null;
        text.Append(erlangA
            ? "Erlang A (M/M/n+M: exponential handle times and patience, abandonment)\n"
            : "Erlang C (M/M/n: exponential handle times, no abandonment)\n");
        Line("Calls per interval", $"{Number(request.CallsPerInterval)} per {Number(request.IntervalSeconds)} s ({Number(report.ArrivalRatePerSecond)} calls/s)");
        Line("Mean handle time", Seconds(request.MeanHandleSeconds));
        if (request.MeanPatienceSeconds is { } patience)
        {
            Line("Mean patience", Seconds(patience));
        }

        Line("Offered load", $"{Number(report.OfferedLoad)} Erlangs");
        if (report.Metrics is { } metrics)
        {
            Line("Agents", metrics.Agents.ToString(Invariant));
            Line("Erlang B blocking", $"{Probability(metrics.BlockingProbability)} (agents as lines, no queue)");
            if (!metrics.IsStable)
            {
                Line("Stability", "UNSTABLE: offered load >= agents, the queue grows without bound");
            }

            Line("P(wait)", Probability(metrics.ProbabilityOfWait));
            Line($"Service level ({Number(request.ThresholdSeconds)} s)", erlangA
                ? $"{Probability(metrics.ServiceLevel)} of offered calls answered within threshold"
                : $"{Probability(metrics.ServiceLevel)} answered within threshold");
            if (erlangA)
            {
                Line("Service level of answered calls", Probability(metrics.ServiceLevelOfAnsweredCalls));
                Line("Abandonment", Probability(metrics.ProbabilityOfAbandonment));
            }

            Line("ASA (answered calls)", Seconds(metrics.AverageSpeedOfAnswerSeconds));
            Line(erlangA ? "Mean wait (all calls)" : "Mean wait", Seconds(metrics.MeanWaitSeconds));
            Line("90th percentile wait", Seconds(metrics.WaitPercentile90Seconds));
            Line("Mean queue length", Number(metrics.MeanQueueLength));
            Line("Occupancy", Probability(metrics.Occupancy));
        }

        Line(
            "Minimum agents for target",
            $"{report.MinimumAgents.ToString(Invariant)} (service level >= {Number(request.ServiceLevelTarget)} within {Number(request.ThresholdSeconds)} s)");
        return text.ToString();
    }

    private static string FormatJson(Request request, Report report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", request.MeanPatienceSeconds is null ? "erlang-c" : "erlang-a");
            WriteNumber(writer, "callsPerInterval", request.CallsPerInterval);
            WriteNumber(writer, "intervalSeconds", request.IntervalSeconds);
            WriteNumber(writer, "arrivalRatePerSecond", report.ArrivalRatePerSecond);
            WriteNumber(writer, "meanHandleSeconds", request.MeanHandleSeconds);
            WriteNumber(writer, "meanPatienceSeconds", request.MeanPatienceSeconds);
            WriteNumber(writer, "thresholdSeconds", request.ThresholdSeconds);
            WriteNumber(writer, "serviceLevelTarget", request.ServiceLevelTarget);
            WriteNumber(writer, "offeredLoad", report.OfferedLoad);
            if (report.Metrics is { } metrics)
            {
                writer.WriteNumber("agents", metrics.Agents);
                writer.WriteStartObject("metrics");
                writer.WriteBoolean("stable", metrics.IsStable);
                WriteNumber(writer, "erlangBBlocking", metrics.BlockingProbability);
                WriteNumber(writer, "probabilityOfWait", metrics.ProbabilityOfWait);
                WriteNumber(writer, "serviceLevel", metrics.ServiceLevel);
                WriteNumber(writer, "serviceLevelOfAnsweredCalls", metrics.ServiceLevelOfAnsweredCalls);
                WriteNumber(writer, "probabilityWaitExceedsThreshold", metrics.ProbabilityWaitExceedsThreshold);
                WriteNumber(writer, "probabilityOfAbandonment", metrics.ProbabilityOfAbandonment);
                WriteNumber(writer, "averageSpeedOfAnswerSeconds", metrics.AverageSpeedOfAnswerSeconds);
                WriteNumber(writer, "meanWaitSeconds", metrics.MeanWaitSeconds);
                WriteNumber(writer, "waitPercentile90Seconds", metrics.WaitPercentile90Seconds);
                WriteNumber(writer, "meanQueueLength", metrics.MeanQueueLength);
                WriteNumber(writer, "occupancy", metrics.Occupancy);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("agents");
                writer.WriteNull("metrics");
            }

            writer.WriteNumber("minimumAgents", report.MinimumAgents);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes a number, or null when absent or not finite (JSON has no infinity).</summary>
    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static Option<double> NumberOption(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseInvariant(result, name) ?? 0.0,
        };

    private static Option<double?> OptionalNumberOption(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseInvariant(result, name),
        };

    /// <summary>Parses a number with the invariant culture ("1800", "0.8", "1e3"), whatever the user's locale.</summary>
    private static double? ParseInvariant(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} requires a number.");
            return null;
        }

        string token = result.Tokens[^1].Value;
        if (double.TryParse(token, NumberStyles.Float, Invariant, out double value))
        {
            return value;
        }

        result.AddError($"{name}: '{token}' is not a number (use '.' as the decimal separator).");
        return null;
    }

    private static bool IsPositive(double value) => double.IsFinite(value) && value > 0.0;

    private static string Invalid(string option, string requirement, double value) =>
        $"{option} {requirement} (got {value.ToString("R", Invariant)}).";

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.######", Invariant) : "infinite";

    private static string Probability(double value) =>
        value is > 0.0 and < 1e-4 ? value.ToString("0.###E+0", Invariant) : value.ToString("0.0000", Invariant);

    private static string Seconds(double value) =>
        double.IsFinite(value) ? value.ToString(value < 1.0 ? "0.00##" : "0.00", Invariant) + " s" : "infinite";

    private sealed record Request(
        double CallsPerInterval,
        double IntervalSeconds,
        double MeanHandleSeconds,
        int? Agents,
        double ThresholdSeconds,
        double? MeanPatienceSeconds,
        double ServiceLevelTarget,
        bool Json);

    private sealed record Report(double ArrivalRatePerSecond, double OfferedLoad, Metrics? Metrics, int MinimumAgents);

    /// <summary>The metrics common to both models; abandonment is 0 for Erlang C.</summary>
    private sealed record Metrics(
        int Agents,
        bool IsStable,
        double BlockingProbability,
        double ProbabilityOfWait,
        double ServiceLevel,
        double ServiceLevelOfAnsweredCalls,
        double ProbabilityWaitExceedsThreshold,
        double ProbabilityOfAbandonment,
        double AverageSpeedOfAnswerSeconds,
        double MeanWaitSeconds,
        double WaitPercentile90Seconds,
        double MeanQueueLength,
        double Occupancy)
    {
        public static Metrics From(ErlangCResult result) => new(
            result.Agents,
            result.IsStable,
            result.BlockingProbability,
            result.ProbabilityOfWait,
            result.ServiceLevel,
            result.ServiceLevel,
            result.ProbabilityWaitExceedsThreshold,
            0.0,
            result.AverageSpeedOfAnswerSeconds,
            result.MeanWaitSeconds,
            result.WaitPercentile90Seconds,
            result.MeanQueueLength,
            result.Occupancy);

        public static Metrics From(ErlangAResult result) => new(
            result.Agents,
            true,
            result.BlockingProbability,
            result.ProbabilityOfWait,
            result.ServiceLevel,
            result.ServiceLevelOfAnsweredCalls,
            result.ProbabilityWaitExceedsThreshold,
            result.ProbabilityOfAbandonment,
            result.AverageSpeedOfAnswerSeconds,
            result.MeanWaitSeconds,
            result.WaitPercentile90Seconds,
            result.MeanQueueLength,
            result.Occupancy);
    }
}
