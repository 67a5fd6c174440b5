using CrisisSim.Engine;
using CrisisSim.Model.Arrivals;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Each arrival process against a known answer: mean counts equal the integral of the rate, Poisson-gamma
/// variance, the Hawkes long-run rate, no arrival where the rate is zero or past the horizon.</summary>
public sealed class ArrivalProcessTests
{
    // 20:00 to 20:00 the next day in half hours: crosses midnight, so day factors and busyness change.
    private static readonly ArrivalGrid Grid = new(1800, 48, 20 * 3600);

    private static readonly double[] Baseline = [.. Enumerable.Range(0, 48).Select(k => k is 5 or 6 ? 0.0 : 30 + 10 * (k % 3))];

    private static readonly double[] Profile = [.. Enumerable.Range(0, 24).Select(h => h is >= 1 and < 6 ? 0.0 : 40 + 4 * h)];

    [Fact]
    public void Expected_calls_per_interval_are_the_steps_integral_to_the_last_bit()
    {
        // Counted without building the steps, the sum must still be the same terms in the same order.
        double[] calls = [.. Enumerable.Range(0, 48).Select(k => k % 7 == 3 ? 0 : k * 7919 % 1000 / 7.0)];
        var spec = new PoissonArrivalSpec(calls);
        foreach (var grid in new[] { Grid, new ArrivalGrid(1e-3 * Math.PI, 40), new ArrivalGrid(600, 60) })
        {
            for (var i = 0; i < 200; i++)
            {
                var from = (i * 37 % 120 / 100.0 - 0.1) * grid.HorizonSeconds;
                var to = from + i * 53 % 100 / 99.0 * grid.HorizonSeconds;
                Assert.Equal(
                    BitConverter.DoubleToInt64Bits(StepRate.PerInterval(calls, grid).Integral(from, to)),
                    BitConverter.DoubleToInt64Bits(spec.ExpectedCalls(grid, from, to)));
            }
            Assert.Equal(
                BitConverter.DoubleToInt64Bits(StepRate.PerInterval(calls, grid).Integral(0, grid.HorizonSeconds)),
                BitConverter.DoubleToInt64Bits(spec.ExpectedCalls(grid)));
        }
    }

    public static TheoryData<string> Shapes() => [.. ShapeSpecs().Keys];

    private static Dictionary<string, ArrivalSpec> ShapeSpecs() => new()
    {
        ["poisson"] = new PoissonArrivalSpec(Baseline),
        ["step"] = Surge(new StepSurge(3 * 3600, 3, 10 * 3600)),
        ["ramp"] = Surge(new RampSurge(2 * 3600, 4, 5 * 3600, 20 * 3600)),
        ["decay"] = Surge(new DecaySurge(3600, 6, 3 * 3600)),
        ["gamma"] = Surge(new GammaBumpSurge(1800, 8, 4 * 3600, 2 * 3600)),
        ["all-surges"] = Surge(new StepSurge(3 * 3600, 2, double.PositiveInfinity), new RampSurge(0, 2, 6 * 3600, double.PositiveInfinity),
            new DecaySurge(-3600, 3, 7200), new GammaBumpSurge(10 * 3600, 5, 3 * 3600, 3 * 3600)),
        ["profile"] = new SurgeArrivalSpec(new DailyProfileBaseline(Profile, [1, 2, 1, 1, 1, 1, 1]), [new GammaBumpSurge(7200, 3, 2 * 3600, 600)]),
        ["table"] = new RateTableArrivalSpec("t.csv", [600, 4000, 30000, 50000], [100, 0, 250, 60]),
    };

    private static SurgeArrivalSpec Surge(params SurgeSpec[] surges) => new(new PerIntervalBaseline(Baseline), surges);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Mean_counts_per_interval_equal_the_integral_of_the_rate_and_no_arrival_falls_where_the_rate_is_zero(string shape)
    {
        var spec = ShapeSpecs()[shape];
        const int reps = 120;
        var counts = new double[Grid.IntervalCount];
        for (var r = 0; r < reps; r++)
        {
            var context = Context(5, r);
            var process = spec.CreateProcess(context);
            var rate = ((IntensitySpec)spec).CreateIntensity(context);
            var stream = RandomStream.For(5, r, "arrivals/x");
            var last = 0.0;
            for (var t = process.Next(stream); t < double.PositiveInfinity; t = process.Next(stream))
            {
                Assert.True(t >= last && t < Grid.HorizonSeconds, $"arrival at {t} out of order or past the horizon");
                Assert.True(rate.Rate(t) > 0, $"arrival at {t} where the rate is zero");
                counts[(int)(t / Grid.IntervalSeconds)]++;
                last = t;
            }
        }
        var total = 0.0;
        for (var k = 0; k < Grid.IntervalCount; k++)
        {
            var expected = spec.ExpectedCalls(Grid, k * Grid.IntervalSeconds, (k + 1) * Grid.IntervalSeconds);
            var mean = counts[k] / reps;
            Assert.InRange(mean, expected - 4.5 * Math.Sqrt(expected / reps) - 1e-9, expected + 4.5 * Math.Sqrt(expected / reps) + 1e-9);
            if (expected == 0)
            {
                Assert.Equal(0, counts[k]);
            }
            total += expected;
        }
        Assert.Equal(total, spec.ExpectedCalls(Grid), 6);
        Assert.InRange(counts.Sum() / reps, total - 4 * Math.Sqrt(total / reps), total + 4 * Math.Sqrt(total / reps));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Expected_calls_match_a_fine_numerical_integral_and_the_peak_bounds_the_rate(string shape)
    {
        var spec = (IntensitySpec)ShapeSpecs()[shape];
        var rate = spec.CreateIntensity(Context(1, 0));
        const double step = 1;
        var sum = 0.0;
        var max = 0.0;
        for (var t = step / 2; t < Grid.HorizonSeconds; t += step)
        {
            var r = rate.Rate(t);
            sum += r * step;
            max = Math.Max(max, r);
        }
        Assert.Equal(sum, spec.ExpectedCalls(Grid), sum * 1e-4);
        Assert.InRange(spec.PeakRate(Grid), max * 0.999, max * 1.001 + 1e-12);
    }

    [Fact]
    public void Poisson_gamma_daily_counts_have_mean_lambda_and_variance_lambda_plus_lambda_squared_over_alpha()
    {
        const double lambda = 200;
        const double alpha = 10;
        var grid = new ArrivalGrid(86400, 366);
        var spec = new BusyArrivalSpec(new PoissonArrivalSpec([.. Enumerable.Repeat(lambda, 366)]), alpha, BusynessPeriod.Day);
        var days = new List<double>();
        for (var r = 0; r < 4; r++)
        {
            var process = spec.CreateProcess(new ArrivalContext(grid, name => RandomStream.For(3, r, name)));
            var stream = RandomStream.For(3, r, "arrivals/x");
            var counts = new double[366];
            for (var t = process.Next(stream); t < double.PositiveInfinity; t = process.Next(stream))
            {
                counts[(int)(t / 86400)]++;
            }
            days.AddRange(counts);
        }
        var n = days.Count;
        var mean = days.Average();
        var variance = days.Sum(c => (c - mean) * (c - mean)) / (n - 1);
        var expectedVariance = lambda + lambda * lambda / alpha;
        Assert.InRange(mean, lambda - 4.5 * Math.Sqrt(expectedVariance / n), lambda + 4.5 * Math.Sqrt(expectedVariance / n));
        // The sample variance of n draws has a relative sd of about sqrt((kurtosis - 1) / n), 4 % here: allow 5 of them.
        Assert.InRange(variance, expectedVariance * 0.8, expectedVariance * 1.2);
    }

    [Fact]
    public void Busyness_factors_are_shared_by_the_call_types_of_a_day_and_differ_between_days()
    {
        var context = Context(8, 2);
        var a = new BusyArrivalSpec(new PoissonArrivalSpec(Baseline), 10, BusynessPeriod.Day).CreateIntensity(context);
        var b = new BusyArrivalSpec(new RateTableArrivalSpec("t", [0], [3600]), 10, BusynessPeriod.Day).CreateIntensity(context);
        var dayOne = b.Rate(600);
        var dayTwo = b.Rate(5 * 3600);
        Assert.NotEqual(dayOne, dayTwo);
        Assert.Equal(dayOne, a.Rate(600) / (Baseline[0] / 1800), 12);
        Assert.Equal(dayTwo, a.Rate(5 * 3600) / (Baseline[10] / 1800), 12);
        Assert.Equal(dayTwo, BusyIntensity.Factor(context.Stream, 10, BusynessPeriod.Day, 2));
    }

    [Fact]
    public void Hawkes_long_run_rate_is_the_baseline_over_one_minus_the_branching_ratio()
    {
        const double mu = 0.05;
        const double n = 0.6;
        var grid = new ArrivalGrid(86400, 10);
        var spec = new HawkesArrivalSpec(new RateTableArrivalSpec("t", [0], [mu * 3600]), n, 60);
        var counts = new List<double>();
        for (var r = 0; r < 3; r++)
        {
            var process = spec.CreateProcess(new ArrivalContext(grid, name => RandomStream.For(4, r, name)));
            var stream = RandomStream.For(4, r, "arrivals/x");
            var count = 0;
            for (var t = process.Next(stream); t < double.PositiveInfinity; t = process.Next(stream))
            {
                count++;
            }
            counts.Add(count);
        }
        var expected = mu * grid.HorizonSeconds / (1 - n);
        Assert.Equal(expected, spec.ExpectedCalls(grid), 6);
        // Var N(T) ~ mu T / (1 - n)^3 for a long horizon.
        var sd = Math.Sqrt(mu * grid.HorizonSeconds / Math.Pow(1 - n, 3) / counts.Count);
        Assert.InRange(counts.Average(), expected - 4.5 * sd, expected + 4.5 * sd);
    }

    [Fact]
    public void A_scenario_with_every_process_gives_the_same_results_for_the_same_seed()
    {
        var scenario = TestScenarios.Demand();
        var a = SimulationRunner.RunInline(scenario, 42, 3, keepCallLog: true, maxParallelism: 1);
        var b = SimulationRunner.RunInline(scenario, 42, 3, keepCallLog: true, maxParallelism: 2);
        Assert.Equal(SummaryJson.ToText(a), SummaryJson.ToText(b));
        Assert.NotEqual(SummaryJson.ToText(a), SummaryJson.ToText(SimulationRunner.RunInline(scenario, 43, 3)));
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(a.Replications[r].Records.CallLog!, b.Replications[r].Records.CallLog!);
        }
    }

    [Fact]
    public void Day_labels_appear_only_when_the_horizon_passes_the_first_day()
    {
        Assert.Equal("09:30", ConsoleReport.Clock(9.5 * 3600));
        Assert.Equal("day 2 09:00", ConsoleReport.Clock(33 * 3600, days: true));
        Assert.Equal("day 1 23:30", ConsoleReport.Clock(23.5 * 3600, days: true));
        Assert.True(ConsoleReport.SpansDays(TestScenarios.Demand()));
        Assert.False(ConsoleReport.SpansDays(TestScenarios.Mixed()));
    }

    private static ArrivalContext Context(long seed, int replication) => new(Grid, name => RandomStream.For(seed, replication, name));
}
