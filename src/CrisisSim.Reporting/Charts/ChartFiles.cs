namespace CrisisSim.Reporting;

/// <summary>Writes the run's charts (<see cref="RunCharts"/>) as <c>charts/NAME.png</c> and <c>charts/NAME.svg</c>.</summary>
public sealed class ChartFiles : IExporter
{
    public const string Folder = "charts";

    public string Name => "charts";

    public string Description => $"{Folder}/NAME.png and {Folder}/NAME.svg for the charts {string.Join(", ", RunCharts.Names)} (and {RunCharts.PlaybookName} when the scenario has a playbook)";

    public bool DrawsCharts => true;

    public void Export(RunReport report, ExportTarget target)
    {
        Chart.Draw(report.Charts, png: true, svg: true);
        foreach (var chart in report.Charts)
        {
            Write(chart, target);
        }
    }

    /// <summary>Writes one chart as PNG and SVG under <c>charts/</c> (a sweep's chart too).</summary>
    public static void Write(Chart chart, ExportTarget target)
    {
        target.WriteAllBytes($"{Folder}/{chart.Name}.png", chart.Png());
        target.WriteAllBytes($"{Folder}/{chart.Name}.svg", System.Text.Encoding.UTF8.GetBytes(chart.Svg()));
    }
}
