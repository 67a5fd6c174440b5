using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>playbook.csv</c>: one row per firing of a playbook rule, replication after replication, each
/// replication's firings in the order they happened.</summary>
/// <remarks>Columns: <c>replication</c>, <c>rule</c> (its name), <c>firing</c> (1 for the rule's first firing in the
/// replication), <c>time</c> (when its condition was met, seconds from the start of the run), <c>effect_time</c> (when
/// its actions take effect; after the horizon, never) and <c>clock</c> (the clock time of <c>time</c>, as the interval
/// files label intervals). Rows are written as replications are folded in: the file grows with the firings, memory
/// does not.</remarks>
public sealed class PlaybookCsv
{
    public const string FileName = "playbook.csv";

    public static IReadOnlyList<string> Columns { get; } = ["replication", "rule", "firing", "time", "effect_time", "clock"];

    private readonly TextWriter _writer;
    private readonly PlaybookSpec _playbook;
    private readonly double _clockStart;
    private readonly bool _days;

    /// <summary>Writes the header at once: a run whose rules never fire has the header alone.</summary>
    public PlaybookCsv(ScenarioDefinition scenario, TextWriter writer)
    {
        _playbook = scenario.Playbook ?? throw new ArgumentException($"The scenario {scenario.Name} has no playbook", nameof(scenario));
        _writer = writer;
        _clockStart = scenario.ClockStartSeconds;
        _days = ConsoleReport.SpansDays(scenario);
        Csv.Row(writer, Columns);
    }

    public void Add(ReplicationKpis replication)
    {
        foreach (var f in replication.PlaybookFirings ?? [])
        {
            var rule = (uint)f.Rule < (uint)_playbook.Rules.Count
                ? _playbook.Rules[f.Rule].Name
                : throw new ArgumentException($"Replication {replication.Replication} has a firing of rule {f.Rule}; the playbook has {_playbook.Rules.Count} rule(s)", nameof(replication));
            Csv.Row(_writer, [Csv.Int(replication.Replication), Csv.Field(rule), Csv.Int(f.Firing), Csv.Number(f.Time), Csv.Number(f.EffectTime),
                ConsoleReport.Clock(_clockStart + f.Time, _days)]);
        }
    }
}
