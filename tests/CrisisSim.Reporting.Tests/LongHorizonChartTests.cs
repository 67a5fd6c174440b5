using System.Xml.Linq;

namespace CrisisSim.Reporting.Tests;

/// <summary>A horizon of more intervals than a chart draws points is drawn by hour, day or week.</summary>
public sealed class LongHorizonChartTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Five_thousand_one_minute_intervals_are_drawn_by_hour_in_every_interval_chart()
    {
        var path = Path.Combine(_temp.Path, "long.yaml");
        File.WriteAllText(path, """
            name: long
            interval: 1m
            intervals: 5000
            serviceLevel: { threshold: 20s, target: 0.8 }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 0.5 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 2 }

            """);
        var run = new ReportRun(path, replications: 1);
        Assert.Equal((60, "hour"), RunCharts.PointSpan(run.Run.Scenario));
        foreach (var chart in run.Report().Charts)
        {
            var texts = XDocument.Parse(chart.Svg()).Descendants(Svg + "text").Select(t => t.Value.Trim()).ToArray();
            Assert.Contains(texts, t => t.Contains("by hour: mean of its intervals", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_span_of_a_point_is_the_shortest_of_hour_day_and_week_that_fits()
    {
        static Model.Scenario.ScenarioDefinition Of(double seconds, int intervals) =>
            new() { Name = "s", IntervalSeconds = seconds, IntervalCount = intervals, ServiceLevel = new(20), CallTypes = [], Groups = [] };
        Assert.Equal((1, ""), RunCharts.PointSpan(Of(60, RunCharts.MaxPoints)));
        Assert.Equal((60, "hour"), RunCharts.PointSpan(Of(60, 100_000)));
        Assert.Equal((288, "day"), RunCharts.PointSpan(Of(300, 100_000)));
        Assert.Equal((48, "day"), RunCharts.PointSpan(Of(1800, 17_568)));
    }
}
