using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>What the exporters of a run are given: its results, the facts of its execution, the scenario file it
/// read, and (when a staffing computation gave one) the staffing needed.</summary>
public sealed class RunReport
{
    private IReadOnlyList<Chart>? _charts;

    public RunReport(RunResult run, RunFacts facts, ScenarioFile? scenarioFile = null, StaffingPlan? staffingNeeded = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(facts);
        if (staffingNeeded is not null)
        {
            staffingNeeded.Check(run.Scenario);
        }
        Run = run;
        Facts = facts;
        ScenarioFile = scenarioFile;
        StaffingNeeded = staffingNeeded;
    }

    public RunResult Run { get; }

    public RunFacts Facts { get; }

    /// <summary>The scenario file as the run read it; null when the scenario was built in code.</summary>
    public ScenarioFile? ScenarioFile { get; }

    /// <summary>Operators needed per interval to meet the service-level target; null when no staffing was computed.</summary>
    public StaffingPlan? StaffingNeeded { get; }

    /// <summary>For a live run (<c>crisissim load</c>), its latencies: the report then shows them with the latency and lag
    /// charts; null for a simulation.</summary>
    public LatencyReport? Latency { get; init; }

    /// <summary>The run's charts (<see cref="RunCharts.Of"/>), made once and shared by the formats that draw them.</summary>
    public IReadOnlyList<Chart> Charts => _charts ??= RunCharts.Of(this);
}

/// <summary>Facts about a run's execution, kept out of <c>summary.json</c> (which depends only on the scenario and
/// seed).</summary>
/// <param name="Host">Where the model ran: <c>threads</c>, <c>silo/replication-grains</c>, <c>silo/component-grains</c>.</param>
/// <param name="Elapsed">Time spent simulating (without the silo's start).</param>
/// <param name="Version">The version of CrisisSim that ran.</param>
/// <param name="Machine">The machine's name.</param>
/// <param name="FinishedUtc">When the run ended.</param>
public sealed record RunFacts(string Host, TimeSpan Elapsed, int Processors, string Version, string Machine, DateTimeOffset FinishedUtc)
{
    /// <summary>The facts of a run that just ended on this machine, with the version of the given assembly.</summary>
    public static RunFacts Now(string host, TimeSpan elapsed, Assembly? versionOf = null) =>
        new(host, elapsed, Environment.ProcessorCount, VersionOf(versionOf ?? typeof(RunFacts).Assembly), Environment.MachineName,
            DateTimeOffset.UtcNow);

    /// <summary>An assembly's informational version (with the source revision when the build knew it).</summary>
    public static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}

/// <summary>A scenario file as a run read it.</summary>
public sealed record ScenarioFile(string Path, byte[] Content)
{
    /// <summary>Reads the file through the input guard, with the scenario loader's size limit.</summary>
    /// <exception cref="CrisisSim.Inputs.InputFileException">The path names no regular file, or one over the limit.</exception>
    public static ScenarioFile Read(string path) =>
        new(path, CrisisSim.Inputs.InputFile.ReadBytes(path, CrisisSim.Model.Scenario.ScenarioLimits.MaxFileBytes, "a scenario file"));

    /// <summary>SHA-256 of the file, lower-case hex.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    public string Text => System.Text.Encoding.UTF8.GetString(Content);

    /// <summary>The comment block at the top of the file (the scenario's sources and assumptions), without the
    /// <c>#</c> marks: the lines before the first line that is neither a comment nor blank, less the editors'
    /// <c># yaml-language-server: ...</c> line.</summary>
    public string Assumptions
    {
        get
        {
            var lines = new List<string>();
            foreach (var raw in Text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith('#'))
                {
                    var body = trimmed[1..];
                    if (!body.TrimStart().StartsWith("yaml-language-server:", StringComparison.Ordinal))
                    {
                        lines.Add(body.StartsWith(' ') ? body[1..] : body);
                    }
                }
                else if (trimmed.Length == 0)
                {
                    lines.Add("");
                }
                else
                {
                    break;
                }
            }
            return string.Join('\n', lines).Trim('\n');
        }
    }
}

/// <summary>Operators needed in each interval to meet the service-level target, per group or for the whole contact
/// center, as a staffing computation gives them: drawn against the operators on duty and listed in the report.</summary>
/// <param name="Method">How it was computed, one line (for example "Erlang A, service level 80 % in 60 s").</param>
public sealed record StaffingPlan(string Method, IReadOnlyList<StaffingNeed> Needs)
{
    internal void Check(CrisisSim.Model.Scenario.ScenarioDefinition scenario)
    {
        foreach (var need in Needs)
        {
            if (need.OperatorsPerInterval.Count != scenario.IntervalCount)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The staffing needed for {need.Group ?? "the center"} has {need.OperatorsPerInterval.Count} values for {scenario.IntervalCount} intervals"));
            }
            if (need.Group is not null && !scenario.Groups.Any(g => g.Name == need.Group))
            {
                throw new ArgumentException($"The staffing needed names group '{need.Group}', which the scenario does not have");
            }
        }
    }
}

/// <param name="Group">A group's name, or null for the whole contact center.</param>
/// <param name="OperatorsPerInterval">One value per interval of the scenario.</param>
public sealed record StaffingNeed(string? Group, IReadOnlyList<int> OperatorsPerInterval);
