using System.Globalization;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

public sealed class MappingTests
{
    private const string Full = """
        name: full-1.0_test
        description: every key set
        interval: 15m
        intervals: 4
        warmup: 0.5h
        drain: 2d
        serviceLevel:
          threshold: 30
          target: 0.9
        routing: priority
        callTypes:
          - name: info
            priority: 2
            arrivals:
              callsPerHour: 40
            patience: { dist: lognormal, mean: 2m, sd: 90s }
            handleTime: { dist: exponential, mean: 180s }
          - name: urgent
            priority: -1
            arrivals:
              callsPerInterval: [1, 2.5, 0, 4]
            patience: none
            handleTime:
              dist: gamma
              mean: 1.5h
              sd: 0.25h
          - name: empirical
            arrivals:
              callsPerHour: [4, 8, 12, 16]
            patience: { dist: deterministic, value: 1d }
            handleTime: { dist: empirical, values: [0, 60, 2m, 0.05h] }
        groups:
          - name: agents
            serves: [info, urgent]
            staffing: 3
          - name: experts
            serves: [empirical, urgent]
            staffing: [0, 1, 2, 3]
            handleTime: { dist: lognormal, mean: 4m, sd: 2m }
        """;

    private const string Minimal = """
        name: minimal
        interval: 30m
        intervals: 2
        serviceLevel:
          threshold: 20s
        callTypes:
          - name: calls
            arrivals:
              callsPerInterval: 10
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [calls]
            staffing: 2
        """;

    [Fact]
    public void Top_level_keys_map_to_the_definition_in_seconds()
    {
        var s = ScenarioLoader.Parse(Full, "full.yaml");

        Assert.Equal("full-1.0_test", s.Name);
        Assert.Equal("every key set", s.Description);
        Assert.Equal(900, s.IntervalSeconds);
        Assert.Equal(4, s.IntervalCount);
        Assert.Equal(3600, s.HorizonSeconds);
        Assert.Equal(1800, s.WarmupSeconds);
        Assert.Equal(2 * 86400, s.DrainSeconds);
        Assert.Equal(new ServiceLevelSpec(30, 0.9), s.ServiceLevel);
        Assert.Equal(RoutingSpec.Priority, s.Routing);
        Assert.Equal(["info", "urgent", "empirical"], s.CallTypes.Select(c => c.Name));
        Assert.Equal(["agents", "experts"], s.Groups.Select(g => g.Name));
    }

    [Fact]
    public void Call_types_map_priority_arrivals_patience_and_handle_time()
    {
        var s = ScenarioLoader.Parse(Full, "full.yaml");
        var info = s.CallTypes[0];
        var urgent = s.CallTypes[1];
        var empirical = s.CallTypes[2];

        Assert.Equal(2, info.Priority);
        Assert.Equal(-1, urgent.Priority);
        Assert.Equal(0, empirical.Priority);
        Assert.Equal(new LogNormalSpec(120, 90), info.Patience);
        Assert.Null(urgent.Patience);
        Assert.Equal(new DeterministicSpec(86400), empirical.Patience);
        Assert.Equal(new ExponentialSpec(180), info.HandleTime);
        Assert.Equal(new GammaSpec(5400, 900), urgent.HandleTime);
        var values = Assert.IsType<EmpiricalSpec>(empirical.HandleTime).ValuesSeconds;
        Assert.Equal([0, 60, 120, 180], values);
    }

    [Fact]
    public void Calls_per_hour_are_converted_to_calls_per_interval()
    {
        var s = ScenarioLoader.Parse(Full, "full.yaml");

        // 15-minute intervals: a quarter of the hourly rate.
        Assert.Equal([10, 10, 10, 10], s.CallTypes[0].CallsPerInterval);
        Assert.Equal([1, 2, 3, 4], s.CallTypes[2].CallsPerInterval);
    }

    [Fact]
    public void A_scalar_is_repeated_for_every_interval_and_a_list_is_kept_as_is()
    {
        var s = ScenarioLoader.Parse(Full, "full.yaml");

        Assert.Equal([1, 2.5, 0, 4], s.CallTypes[1].CallsPerInterval);
        Assert.Equal([3, 3, 3, 3], s.Groups[0].Staffing);
        Assert.Equal([0, 1, 2, 3], s.Groups[1].Staffing);
    }

    [Fact]
    public void Groups_map_serves_staffing_and_handle_time_override()
    {
        var s = ScenarioLoader.Parse(Full, "full.yaml");

        Assert.Equal(["info", "urgent"], s.Groups[0].Serves);
        Assert.Null(s.Groups[0].HandleTime);
        Assert.Equal(["empirical", "urgent"], s.Groups[1].Serves);
        Assert.Equal(new LogNormalSpec(240, 120), s.Groups[1].HandleTime);
    }

    [Fact]
    public void Optional_keys_take_their_defaults()
    {
        var s = ScenarioLoader.Parse(Minimal, "minimal.yaml");

        Assert.Equal("", s.Description);
        Assert.Equal(0, s.WarmupSeconds);
        Assert.Equal(4 * 3600, s.DrainSeconds);
        Assert.Equal(0.8, s.ServiceLevel.Target);
        Assert.Equal(RoutingSpec.Fifo, s.Routing);
        Assert.Equal(0, s.CallTypes[0].Priority);
        Assert.Null(s.CallTypes[0].Patience);
        Assert.Null(s.Groups[0].HandleTime);
        Assert.Equal([10, 10], s.CallTypes[0].CallsPerInterval);
        Assert.Equal([2, 2], s.Groups[0].Staffing);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("2.5", 2.5)]
    [InlineData("1e2", 100)]
    [InlineData("90s", 90)]
    [InlineData("3m", 180)]
    [InlineData("1.5h", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("0.5m", 30)]
    [InlineData(".5h", 1800)]
    [InlineData("90 s", 90)]
    [InlineData("'3m'", 180)]
    [InlineData("\"1.5h\"", 5400)]
    public void Durations_are_read_in_every_unit(string written, double seconds)
    {
        var s = ScenarioLoader.Parse(Minimal.Replace("threshold: 20s", "threshold: " + written), "d.yaml");

        Assert.Equal(seconds, s.ServiceLevel.ThresholdSeconds, 9);
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("de-DE")]
    [InlineData("sv-SE")]
    [InlineData("ar-SA")]
    public void Numbers_and_durations_read_the_same_under_any_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            var s = ScenarioLoader.Parse(Full, "full.yaml");

            Assert.Equal(1800, s.WarmupSeconds);
            Assert.Equal(0.9, s.ServiceLevel.Target);
            Assert.Equal([1, 2.5, 0, 4], s.CallTypes[1].CallsPerInterval);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Explicit_empty_description_and_null_patience_are_accepted()
    {
        var yaml = Minimal.Replace("interval: 30m", "description:\ninterval: 30m")
            .Replace("    handleTime:", "    patience: ~\n    handleTime:");
        Assert.Contains("patience: ~", yaml);

        var s = ScenarioLoader.Parse(yaml, "m.yaml");

        Assert.Equal("", s.Description);
        Assert.Null(s.CallTypes[0].Patience);
    }

    [Fact]
    public void A_call_type_without_handle_time_uses_the_groups_own()
    {
        var yaml = Minimal.Replace("    handleTime: { dist: exponential, mean: 3m }\n", "")
            .Replace("    staffing: 2", "    staffing: 2\n    handleTime: { dist: deterministic, value: 45 }");

        var s = ScenarioLoader.Parse(yaml, "m.yaml");

        Assert.Null(s.CallTypes[0].HandleTime);
        Assert.Equal(new DeterministicSpec(45), s.Groups[0].HandleTime);
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_accepted()
    {
        var s = ScenarioLoader.Parse("\uFEFF" + Minimal.ReplaceLineEndings("\r\n"), "crlf.yaml");

        Assert.Equal("minimal", s.Name);
    }

    [Fact]
    public void LoadFile_reads_the_file_it_is_given()
    {
        var path = Path.Combine(Path.GetTempPath(), "crisissim-mapping-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, Minimal);
        try
        {
            Assert.Equal("minimal", ScenarioLoader.LoadFile(path).Name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
