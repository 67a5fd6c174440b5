using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The arrival keys beyond callsPerInterval: profile, surges, busyness, hawkes and csv, each mapped to its model
/// type, and each mistake reported at its file, line, column and key.</summary>
public sealed class ArrivalReaderTests : IDisposable
{
    // Line numbers below refer to this text: the arrivals are on lines 11-12.
    private const string Valid = """
        name: test
        interval: 1h
        intervals: 48
        start: "06:00"
        serviceLevel:
          threshold: 20s
        busyness: { alpha: 10, per: day }
        callTypes:
          - name: info
            arrivals:
              callsPerHour: 100
              surges: [{ shape: step, at: 2h, multiplier: 2 }]
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [info]
            staffing: 2

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-arrivals-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Arrivals(string lines) =>
        LimitTests.Edit("      callsPerHour: 100\n      surges: [{ shape: step, at: 2h, multiplier: 2 }]\n", lines, Valid);

    private static ArrivalSpec Load(string yaml) => Assert.Single(ScenarioLoader.Parse(yaml, "t.yaml").CallTypes).Arrivals;

    [Fact]
    public void Calls_per_hour_with_surges_of_every_shape_map_to_a_surge_spec_in_seconds()
    {
        var spec = Load(Arrivals("""
                  callsPerHour: 100
                  surges:
                    - { shape: step, at: 2h, multiplier: 2, until: 10h }
                    - { shape: ramp, at: 1d, over: 6h, multiplier: 3 }
                    - { shape: decay, at: 30m, multiplier: 5, halfLife: 12h }
                    - { shape: gamma, at: 1.5d, multiplier: 8, timeToPeak: 1d, decay: 2h }

            """));

        var surge = Assert.IsType<SurgeArrivalSpec>(spec);
        Assert.Equal([100.0], Assert.IsType<PerIntervalBaseline>(surge.Baseline).CallsPerInterval.Distinct());
        Assert.Equal(new StepSurge(7200, 2, 36000), surge.Surges[0]);
        Assert.Equal(new RampSurge(86400, 3, 21600, double.PositiveInfinity), surge.Surges[1]);
        Assert.Equal(new DecaySurge(1800, 5, 43200), surge.Surges[2]);
        Assert.Equal(new GammaBumpSurge(129600, 8, 86400, 7200), surge.Surges[3]);
    }

    [Fact]
    public void Calls_per_interval_alone_stays_the_poisson_spec()
    {
        Assert.IsType<PoissonArrivalSpec>(Load(Arrivals("      callsPerInterval: 10\n")));
    }

    [Fact]
    public void A_profile_with_day_factors_busyness_and_hawkes_nest_in_that_order()
    {
        var spec = Load(Arrivals($$"""
                  profile:
                    callsPerHour: [{{string.Join(", ", Enumerable.Range(0, 24))}}]
                    dayFactors: [1, 1, 1, 1, 1, 0.5, 0.5]
                  busyness: true
                  hawkes: { branching: 0.4, decay: 15m }

            """));

        var hawkes = Assert.IsType<HawkesArrivalSpec>(spec);
        Assert.Equal((0.4, 900.0), (hawkes.BranchingRatio, hawkes.DecaySeconds));
        var busy = Assert.IsType<BusyArrivalSpec>(hawkes.Baseline);
        Assert.Equal((10.0, BusynessPeriod.Day), (busy.Alpha, busy.Period));
        var profile = Assert.IsType<DailyProfileBaseline>(Assert.IsType<SurgeArrivalSpec>(busy.Inner).Baseline);
        Assert.Equal(23, profile.CallsPerHour[23]);
        Assert.Equal(0.5, profile.DayFactors[6]);
    }

    [Fact]
    public void Busyness_per_replication()
    {
        var spec = Load(Arrivals("      callsPerHour: 100\n      busyness: true\n").Replace("per: day", "per: replication"));
        Assert.Equal(BusynessPeriod.Replication, Assert.IsType<BusyArrivalSpec>(spec).Period);
    }

    [Theory]
    [InlineData("      callsPerHour: 100\n      hawkes: { branching: 1.2, decay: 10m }\n", 12, 28, "callTypes[0].arrivals.hawkes.branching", "unstable")]
    [InlineData("      callsPerHour: 100\n      hawkes: { branching: 0.5, decay: 8d }\n", 12, 40, "callTypes[0].arrivals.hawkes.decay", "from 1s to 604800s")]
    [InlineData("      callsPerHour: 100\n      surges: [{ shape: spike, at: 1h, multiplier: 2 }]\n", 12, 25, "callTypes[0].arrivals.surges[0].shape", "allowed: step, ramp, decay, gamma")]
    [InlineData("      callsPerHour: 100\n      surges: [{ shape: decay, at: 1h, multiplier: 2, halfLife: 1h, over: 1h }]\n", 12, 69, "callTypes[0].arrivals.surges[0].over", "unknown key for shape decay")]
    [InlineData("      callsPerHour: 100\n      surges: [{ shape: step, at: 1h, multiplier: 0.5 }]\n", 12, 51, "callTypes[0].arrivals.surges[0].multiplier", "from 1 to 1000")]
    [InlineData("      callsPerHour: 100\n      surges: [{ shape: step, at: 5h, multiplier: 2, until: 4h }]\n", 12, 61, "callTypes[0].arrivals.surges[0].until", "after the onset")]
    [InlineData("      callsPerHour: 100\n      surges: [{ shape: gamma, at: 5h, multiplier: 2, timeToPeak: 10s, decay: 1h }]\n", 12, 67, "callTypes[0].arrivals.surges[0].timeToPeak", "from 60s")]
    [InlineData("      profile: { callsPerHour: [1, 2, 3] }\n", 11, 32, "callTypes[0].arrivals.profile.callsPerHour", "a list of 24")]
    [InlineData("      profile: { callsPerHour: [1, 2, 3] }\n      callsPerHour: 5\n", 11, 7, "callTypes[0].arrivals", "give exactly one of")]
    [InlineData("      csv: rates.csv\n      surges: []\n", 12, 15, "callTypes[0].arrivals.surges", "not to a csv table")]
    [InlineData("      csv: missing.csv\n", 11, 12, "callTypes[0].arrivals.csv", "not found")]
    [InlineData("      callsPerHour: 100\n      busyness: maybe\n", 12, 17, "callTypes[0].arrivals.busyness", "true or false")]
    public void Mistakes_are_reported_at_their_key(string arrivals, int line, int column, string key, string reason)
    {
        var error = LimitTests.SingleError(Arrivals(arrivals), line, column, key);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Busyness_without_a_scenario_busyness_is_refused_at_the_opt_in()
    {
        var yaml = Arrivals("      callsPerHour: 100\n      busyness: true\n").Replace("busyness: { alpha: 10, per: day }\n", "");
        var error = LimitTests.SingleError(yaml, 11, 17, "callTypes[0].arrivals.busyness");
        Assert.Contains("defines no busyness", error.Reason);
    }

    [Fact]
    public void Busyness_alpha_is_bounded()
    {
        var error = LimitTests.SingleError(Valid.Replace("alpha: 10", "alpha: 0.1"), 7, 20, "busyness.alpha");
        Assert.Contains("must be from 1 to", error.Reason);
    }

    [Fact]
    public void Expected_calls_of_every_process_are_bounded_with_the_process_named()
    {
        var error = LimitTests.SingleError(Arrivals("      callsPerHour: 1000000\n      hawkes: { branching: 0.99, decay: 1m }\n"), 11, 7, "callTypes[0].arrivals");
        Assert.Contains("expects 4.8e9 calls per replication (poisson per interval + hawkes waves", error.Reason);
        Assert.Contains("the limit is 50,000,000", error.Reason);
    }

    [Fact]
    public void A_csv_table_is_read_relative_to_the_scenario_file_as_rates_or_counts()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        File.WriteAllText(Path.Combine(_dir, "data", "rates.csv"), "# hourly rates\ntime,callsPerHour\n0,100\n90m,0\n1d,250\n");
        File.WriteAllText(Path.Combine(_dir, "data", "counts.csv"), "time,calls\n0,50\n30m,600\n2h,10\n");
        var path = Path.Combine(_dir, "s.yaml");

        File.WriteAllText(path, Arrivals("      csv: data/rates.csv\n"));
        var rates = Assert.IsType<RateTableArrivalSpec>(Assert.Single(ScenarioLoader.LoadFile(path).CallTypes).Arrivals);
        Assert.Equal("data/rates.csv", rates.Source);
        Assert.Equal([0.0, 5400, 86400], rates.StartSeconds);
        Assert.Equal([100.0, 0, 250], rates.CallsPerHour);

        File.WriteAllText(path, Arrivals("      csv: data/counts.csv\n      busyness: true\n"));
        var counts = Assert.IsType<RateTableArrivalSpec>(Assert.IsType<BusyArrivalSpec>(Assert.Single(ScenarioLoader.LoadFile(path).CallTypes).Arrivals).Inner);
        // 50 calls in 30 min, 600 in 90 min, 10 in the last 46 h up to the horizon.
        Assert.Equal([100.0, 400, 10.0 / 46], counts.CallsPerHour);
        Assert.Equal(660, counts.ExpectedCalls(new ArrivalGrid(3600, 48)), 9);
    }

    [Theory]
    [InlineData("time,rate\n0,1\n", 1, 1, "expected the header time,callsPerHour or time,calls")]
    [InlineData("time,callsPerHour\n0,1\n1h,-5\n", 3, 4, "callsPerHour: must be a number >= 0")]
    [InlineData("time,callsPerHour\n0,1\n2h,1\n1h,1\n", 4, 1, "must be after the previous row's (7200s, line 3)")]
    [InlineData("time,callsPerHour\n0,1\nsoon,1\n", 3, 1, "time: expected a duration")]
    [InlineData("time,callsPerHour\n0,1,2\n", 2, 1, "expected 2 fields")]
    public void Csv_errors_name_the_csv_file_and_line(string csv, int line, int column, string reason)
    {
        File.WriteAllText(Path.Combine(_dir, "rates.csv"), csv);
        var path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, Arrivals("      csv: rates.csv\n"));

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));
        var error = Assert.Single(ex.Errors);
        Assert.Equal((Path.Combine(_dir, "rates.csv"), line, column, "callTypes[0].arrivals.csv"), (error.File, error.Line, error.Column, error.Key));
        Assert.Contains(reason, error.Reason);
    }
}
