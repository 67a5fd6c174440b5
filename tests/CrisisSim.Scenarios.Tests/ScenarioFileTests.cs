using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

public sealed class ScenarioFileTests
{
    public static TheoryData<string> ScenarioFiles() => new(RelativeScenarioPaths());

    private static IEnumerable<string> RelativeScenarioPaths() =>
        Directory.EnumerateFiles(RepositoryFiles.ScenariosFolder, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepositoryFiles.ScenariosFolder, "*.yml", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(RepositoryFiles.ScenariosFolder, file))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_scenario_file_loads(string relativePath)
    {
        var scenario = ScenarioLoader.LoadFile(RepositoryFiles.Scenario(relativePath));

        Assert.NotEmpty(scenario.CallTypes);
        Assert.All(scenario.CallTypes, c => Assert.True(c.Arrivals is not PoissonArrivalSpec p || p.CallsPerInterval.Count == scenario.IntervalCount));
        Assert.All(scenario.CallTypes, c => Assert.InRange(c.Arrivals.ExpectedCalls(ArrivalGrid.Of(scenario)), 0, ScenarioLimits.MaxExpectedCallsPerReplication));
        Assert.All(scenario.Groups, g => Assert.Equal(scenario.IntervalCount, g.Staffing.Count));
    }

    [Fact]
    public void The_library_holds_the_expected_scenarios()
    {
        var files = RelativeScenarioPaths().ToList();

        Assert.Contains("erlang-c-textbook.yaml", files);
        Assert.Contains("erlang-a-textbook.yaml", files);
        Assert.Contains("covid-hotline.yaml", files);
        Assert.Contains("covid-hotline-journey.yaml", files);
        Assert.Contains("covid-followup.yaml", files);
        Assert.Contains(Path.Combine("bench", "w.yaml"), files);
        Assert.Contains(Path.Combine("bench", "w-small.yaml"), files);
        Assert.Contains(Path.Combine("bench", "w-redials.yaml"), files);
    }

    [Fact]
    public void The_journey_variant_transfers_urgent_symptom_calls_to_the_emergency_line()
    {
        var s = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("covid-hotline-journey.yaml"));
        var symptoms = s.CallTypes[s.CallTypeIndex("symptoms")];
        Assert.Equal([new TransferSpec("emergency", 0.15)], symptoms.Transfers!);
        var emergency = s.CallTypes[s.CallTypeIndex("emergency")];
        Assert.Equal("emergency-15", emergency.Number);
        Assert.NotEqual(symptoms.Number, emergency.Number);
        Assert.Contains(s.Groups, g => g.Serves.SequenceEqual(["emergency"]));
        var w = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("bench/w-redials.yaml"));
        Assert.Equal([0.5, 0.5], w.CallTypes[0].Redials!.Probabilities);
        Assert.Equal(new ExponentialSpec(300), w.CallTypes[0].Redials!.Delay);
    }

    [Fact]
    public void The_followup_variant_adds_outbound_calls_to_the_covid_hotline_day()
    {
        var s = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("covid-followup.yaml"));
        var hotline = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("covid-hotline.yaml"));
        var followup = s.CallTypes[s.CallTypeIndex("followup")];
        Assert.Equal(new OutboundSpec(4 * 3600, 0.75, 40), followup.Outbound);
        Assert.Equal(new LogNormalSpec(420, 180), followup.HandleTime);
        Assert.Contains(s.Groups, g => g.Serves.SequenceEqual(["followup"]));
        // The inbound demand is the covid-hotline day's.
        foreach (var name in new[] { "symptoms", "info" })
        {
            var expected = hotline.CallTypes[hotline.CallTypeIndex(name)];
            var actual = s.CallTypes[s.CallTypeIndex(name)];
            Assert.Equal(((PoissonArrivalSpec)expected.Arrivals).CallsPerInterval, ((PoissonArrivalSpec)actual.Arrivals).CallsPerInterval);
            Assert.Equal(expected, actual with { Arrivals = expected.Arrivals });
        }
    }

    [Fact]
    public void The_readme_example_is_the_covid_hotline_file_as_it_is()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.ScenariosFolder, "README.md"));
        const string Fence = "```yaml\n";
        var start = readme.IndexOf(Fence, StringComparison.Ordinal) + Fence.Length;
        var example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        Assert.Equal(File.ReadAllText(RepositoryFiles.Scenario("covid-hotline.yaml")), example);
        Assert.Equal("covid-hotline", ScenarioLoader.Parse(example, "README.md").Name);
    }

    [Fact]
    public void Erlang_c_textbook_is_mm14_at_10_erlangs_without_abandonment()
    {
        var s = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("erlang-c-textbook.yaml"));

        var calls = Assert.Single(s.CallTypes);
        var agents = Assert.Single(s.Groups);
        Assert.All(calls.CallsPerInterval, n => Assert.Equal(100, n));
        Assert.Equal(new ExponentialSpec(180), calls.HandleTime);
        Assert.Null(calls.Patience);
        Assert.All(agents.Staffing, n => Assert.Equal(14, n));
        Assert.Equal(1800, s.IntervalSeconds);
        Assert.True(s.HorizonSeconds >= 24 * 3600);
        Assert.Equal(3600, s.WarmupSeconds);
        Assert.Equal(new ServiceLevelSpec(20, 0.8), s.ServiceLevel);
        Assert.Equal(RoutingSpec.Fifo, s.Routing);
    }

    [Fact]
    public void Erlang_a_textbook_is_erlang_c_with_exponential_patience_of_5_minutes()
    {
        var c = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("erlang-c-textbook.yaml"));
        var a = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("erlang-a-textbook.yaml"));

        Assert.Equal(new ExponentialSpec(300), a.CallTypes[0].Patience);
        Assert.Equal(c.CallTypes[0].CallsPerInterval, a.CallTypes[0].CallsPerInterval);
        Assert.Equal(c.CallTypes[0].HandleTime, a.CallTypes[0].HandleTime);
        Assert.Equal(c.Groups[0].Staffing, a.Groups[0].Staffing);
        Assert.Equal(c.IntervalSeconds, a.IntervalSeconds);
        Assert.Equal(c.IntervalCount, a.IntervalCount);
        Assert.Equal(c.WarmupSeconds, a.WarmupSeconds);
    }

    [Fact]
    public void Covid_hotline_offers_4800_calls_over_opening_hours_to_a_ramping_staff()
    {
        var s = ScenarioLoader.LoadFile(RepositoryFiles.Scenario("covid-hotline.yaml"));

        Assert.Equal(10 * 3600, s.HorizonSeconds);
        Assert.Equal(4800, s.CallTypes.Sum(c => c.CallsPerInterval.Sum()), 6);
        Assert.Equal(RoutingSpec.Priority, s.Routing);
        Assert.Equal(2, s.CallTypes.Count);
        var onDuty = Enumerable.Range(0, s.IntervalCount).Select(i => s.Groups.Sum(g => g.Staffing[i])).ToList();
        Assert.Equal(15, onDuty[0]);
        Assert.True(onDuty[^1] > 2 * onDuty[0], "backup operators come online during the day");
        Assert.All(s.CallTypes, c => Assert.IsType<LogNormalSpec>(c.Patience));
        Assert.All(s.CallTypes, c => Assert.InRange(c.HandleTime!.Mean, 180, 360));
    }

    [Theory]
    [InlineData("bench/w.yaml", 360_000, 3100, 60, 120)]
    [InlineData("bench/w-small.yaml", 28_800, 190, 180, 300)]
    public void Benchmark_workloads_match_their_definition(string file, double calls, int operators, double handle, double patience)
    {
        var s = ScenarioLoader.LoadFile(RepositoryFiles.Scenario(file));

        var callType = Assert.Single(s.CallTypes);
        Assert.Equal(calls, callType.CallsPerInterval.Sum(), 6);
        Assert.All(Assert.Single(s.Groups).Staffing, n => Assert.Equal(operators, n));
        Assert.Equal(new ExponentialSpec(handle), callType.HandleTime);
        Assert.Equal(new ExponentialSpec(patience), callType.Patience);
        Assert.Equal(RoutingSpec.Fifo, s.Routing);
        Assert.Equal(calls / s.HorizonSeconds, callType.CallsPerInterval[0] / s.IntervalSeconds, 9);
    }
}
