using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>replications.csv</c>: one row per replication with its overall KPIs (after the warm-up), in
/// replication order, so that two runs with the same seed can be compared replication by replication.</summary>
/// <remarks>Columns: <c>replication</c>, then each KPI of <see cref="KpiValues.Names"/>, then <c>occupancy_GROUP</c>,
/// <c>operator_hours_GROUP</c> and <c>cost_GROUP</c> per group, then <c>operator_hours_total</c> and <c>cost_total</c>
/// (the layout of <see cref="KpiValues.WriteTo"/>). An empty cell is a KPI undefined in that replication. Rows are written as replications are folded in: the
/// file grows with the replications, memory does not.</remarks>
public sealed class ReplicationsCsv(ScenarioDefinition scenario, TextWriter writer)
{
    private bool _headerWritten;

    public const string FileName = "replications.csv";

    public static IEnumerable<string> Columns(ScenarioDefinition scenario) =>
        ["replication", .. KpiValues.Names, .. scenario.Groups.Select(g => "occupancy_" + g.Name),
            .. scenario.Groups.Select(g => "operator_hours_" + g.Name), .. scenario.Groups.Select(g => "cost_" + g.Name),
            "operator_hours_total", "cost_total"];

    public void Add(ReplicationKpis replication)
    {
        if (!_headerWritten)
        {
            writer.WriteLine(string.Join(',', Columns(scenario).Select(Csv.Field)));
            _headerWritten = true;
        }
        writer.Write(replication.Replication.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var value in replication.Overall)
        {
            writer.Write(',');
            writer.Write(Csv.Number(value));
        }
        writer.WriteLine();
    }
}
