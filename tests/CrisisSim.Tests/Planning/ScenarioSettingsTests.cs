using CrisisSim.Model.Scenario;
using CrisisSim.Planning;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Tests.Planning;

public sealed class ScenarioSettingsTests
{
    private static readonly string Hotline = File.ReadAllText(Repo.Scenario("covid-hotline.yaml"));

    private static ScenarioDefinition Load(string text, params string[] settings) =>
        ScenarioSettings.Parse(text, "plan.yaml", [.. settings.Select(s => new ScenarioSetting(s[..s.IndexOf('=')], s[(s.IndexOf('=') + 1)..]))]);

    [Fact]
    public void A_setting_replaces_a_value_found_by_item_name_or_index()
    {
        var s = Load(Hotline, "groups.backup.staffing=12", "callTypes.0.priority=5", "serviceLevel.threshold=30s", "intervals=10",
            "callTypes.info.arrivals.callsPerInterval=100", "callTypes.symptoms.arrivals.callsPerInterval=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
            "groups.teleadvisors.handleTime={ dist: exponential, mean: 3m }");
        Assert.Equal(10, s.IntervalCount);
        Assert.All(s.Groups[1].Staffing, n => Assert.Equal(12, n));
        Assert.Equal(5, s.CallTypes[0].Priority);
        Assert.Equal(30, s.ServiceLevel.ThresholdSeconds);
        Assert.Equal(Enumerable.Repeat(100.0, 10), ((PoissonArrivalSpec)s.CallTypes[1].Arrivals).CallsPerInterval);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (double)i), ((PoissonArrivalSpec)s.CallTypes[0].Arrivals).CallsPerInterval);
        Assert.Equal(new ExponentialSpec(180), s.Groups[0].HandleTime);
        // The same text without settings is the same scenario as the loader's.
        Assert.Equal(ScenarioLoader.Parse(Hotline, "plan.yaml").Groups[1].Staffing, Load(Hotline).Groups[1].Staffing);
    }

    [Fact]
    public void A_new_key_goes_to_the_reader_which_names_the_key_the_position_and_the_setting()
    {
        var ex = Assert.Throws<ScenarioException>(() => Load(Hotline, "groups.backup.staffingg=12"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("groups[1].staffingg", error.Key);
        Assert.Contains("unknown key", error.Reason);
        Assert.Contains("(value set by groups.backup.staffingg=12)", error.Reason);
        Assert.Equal(50, error.Line); // the map of group backup

        var bad = Assert.Single(Assert.Throws<ScenarioException>(() => Load(Hotline, "groups.backup.staffing=-3")).Errors);
        Assert.Equal("groups[1].staffing", bad.Key);
        Assert.Equal(53, bad.Line); // where the staffing was written
        Assert.Contains("value set by groups.backup.staffing=-3", bad.Reason);

        // A map created on the way is reported at the map it was added to.
        var created = Assert.Single(Assert.Throws<ScenarioException>(() => Load(Hotline, "callTypes.info.arrivals.surges.0.multiplier=2")).Errors);
        Assert.Equal("callTypes[1].arrivals.surges", created.Key);
        Assert.Equal(43, created.Line);
    }

    [Fact]
    public void A_path_that_leads_nowhere_is_refused_with_the_names_there_are()
    {
        var ex = Assert.Throws<ScenarioException>(() => Load(Hotline, "groups.nobody.staffing=3"));
        Assert.Contains("no item named 'nobody'", ex.Message);
        Assert.Contains("teleadvisors, backup", ex.Message);
        Assert.Contains("the list has 2 item(s)", Assert.Throws<ScenarioException>(() => Load(Hotline, "groups.7.staffing=3")).Message);
        Assert.Contains("is a value", Assert.Throws<ScenarioException>(() => Load(Hotline, "routing.policy=fifo")).Message);
        Assert.Contains("not a key path", ScenarioSettings.Check(new ScenarioSetting("groups..staffing", "3")));
        Assert.Contains("not valid YAML", ScenarioSettings.Check(new ScenarioSetting("groups.backup.staffing", "[1, 2")));
        Assert.Null(ScenarioSettings.Check(new ScenarioSetting("groups.backup.staffing", "[1, 2]")));
    }

    [Fact]
    public void Staffing_written_into_the_text_keeps_everything_else()
    {
        var text = ScenarioText.WithStaffing(Hotline, "plan.yaml", new Dictionary<string, IReadOnlyList<int>>
        {
            ["backup"] = [.. Enumerable.Range(1, 20)],
        });
        var s = ScenarioLoader.Parse(text, "plan.yaml");
        Assert.Equal(Enumerable.Range(1, 20), s.Groups[1].Staffing);
        Assert.Equal(ScenarioLoader.Parse(Hotline, "x").Groups[0].Staffing, s.Groups[0].Staffing);
        var before = Hotline.Split('\n');
        var after = text.Split('\n');
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Contains("    staffing: [1, 2, 3,", text);

        // A block list, a scalar and a comment after the value.
        const string block = "name: b\ninterval: 1h\nintervals: 3\nserviceLevel: { threshold: 20s }\ncallTypes:\n  - name: c\n    arrivals: { callsPerInterval: 5 }\n    handleTime: { dist: exponential, mean: 1m }\ngroups:\n  - name: g\n    serves: [c]\n    staffing:\n      - 1\n      - 2\n      - 3   # last\n  - name: h\n    serves: [c]\n    staffing: 4 # four\n";
        var edited = ScenarioText.WithStaffing(block, "b.yaml", new Dictionary<string, IReadOnlyList<int>> { ["g"] = [7, 8, 9], ["h"] = [1, 1, 1] });
        var e = ScenarioLoader.Parse(edited, "b.yaml");
        Assert.Equal([7, 8, 9], e.Groups[0].Staffing);
        Assert.Equal([1, 1, 1], e.Groups[1].Staffing);
        Assert.Contains("# last", edited);
        Assert.Contains("staffing: [1, 1, 1] # four", edited);
    }

    [Theory]
    [InlineData("groups.agents.staffing=50..300:25", 11, "50", "300")]
    [InlineData("x=1..3", 3, "1", "3")]
    [InlineData("x=0.1..0.3:0.1", 3, "0.1", "0.3")]
    [InlineData("groups.p.activation.delay=30m..2h:30m", 4, "30m", "2h")]
    [InlineData("a.delay=1h,2h,4h", 3, "1h", "4h")]
    [InlineData("a.staffing=[1, 2],[3, 4],5", 3, "[1, 2]", "5")]
    [InlineData("a.shape={ shape: step, at: 1h, multiplier: 2 },{ shape: step, at: 2h, multiplier: 3 }", 2, "{ shape: step, at: 1h, multiplier: 2 }", "{ shape: step, at: 2h, multiplier: 3 }")]
    [InlineData("a=1..2:1,7", 3, "1", "7")]
    public void Sweep_values_are_ranges_or_lists(string text, int count, string first, string last)
    {
        var axis = SweepAxis.Parse(text, "--set");
        Assert.Equal(count, axis.Values.Count);
        Assert.Equal(first, axis.Values[0]);
        Assert.Equal(last, axis.Values[^1]);
    }

    [Theory]
    [InlineData("nokey", "expected KEY=VALUES")]
    [InlineData("=3", "expected KEY=VALUES")]
    [InlineData("a=", "no value")]
    [InlineData("a=1,,2", "empty value")]
    [InlineData("a=5..1", "B >= A")]
    [InlineData("a=1..5:0", "above 0")]
    [InlineData("a=0..100000", "the limit is 10,000")]
    [InlineData("a=0..1:0.00000000001", "the limit is 10,000")]
    [InlineData("a=1..99999999999999999999999999999999", "too large")]
    [InlineData("a b=1", "not a key path")]
    public void Bad_sweep_values_are_refused_before_anything_runs(string text, string message)
    {
        Assert.Contains(message, Assert.Throws<PlanningException>(() => SweepAxis.Parse(text, "--set")).Message);
    }

    [Fact]
    public void A_grid_is_every_combination_the_first_key_varying_slowest_and_is_bounded()
    {
        var grid = new SweepGrid([SweepAxis.Parse("a=1,2", "--set"), SweepAxis.Parse("b=x,y,z", "--set")]);
        Assert.Equal(6, grid.Count);
        Assert.Equal(["a=1", "b=x"], grid.Point(0).Select(s => s.ToString()));
        Assert.Equal(["a=1", "b=z"], grid.Point(2).Select(s => s.ToString()));
        Assert.Equal(["a=2", "b=x"], grid.Point(3).Select(s => s.ToString()));
        Assert.Contains("100 x 100 x 2 = 20,000", Assert.Throws<PlanningException>(() =>
            new SweepGrid([SweepAxis.Parse("a=1..100", "--set"), SweepAxis.Parse("b=1..100", "--set"), SweepAxis.Parse("c=1,2", "--set")])).Message);
        Assert.Contains("set twice", Assert.Throws<PlanningException>(() => new SweepGrid([SweepAxis.Parse("a=1", "--set"), SweepAxis.Parse("a=2", "--set")])).Message);
    }
}
