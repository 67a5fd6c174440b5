using System.Globalization;
using System.Text;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>Every bound of <see cref="ScenarioLimits"/>: a scenario at the limit loads, one just over it is refused with
/// the exact position and key; and the defects that once let a scenario crash or overload a run.</summary>
public sealed class LimitTests
{
    // Line numbers below refer to this text.
    internal const string Valid = """
        name: test
        interval: 30m
        intervals: 4
        serviceLevel:
          threshold: 20s
        callTypes:
          - name: info
            arrivals:
              callsPerInterval: 10
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [info]
            staffing: 2

        """;

    // ---- defect 1: distributions that passed validation but crashed the run ----

    [Theory]
    [InlineData("lognormal")]
    [InlineData("gamma")]
    public void Handle_time_sd_of_1e200_is_refused(string dist)
    {
        var yaml = Edit("{ dist: exponential, mean: 3m }", $"{{ dist: {dist}, mean: 3m, sd: 1e200 }}");
        var column = 50 - ("lognormal".Length - dist.Length);

        var error = SingleError(yaml, 10, column, "callTypes[0].handleTime.sd");

        Assert.Equal("must be at most 100 x mean (18000s): the coefficient of variation sd/mean is limited to 100", error.Reason);
    }

    [Theory]
    [InlineData("lognormal")]
    [InlineData("gamma")]
    public void Patience_sd_of_1e200_is_refused(string dist)
    {
        var yaml = Edit("    handleTime:", $"    patience: {{ dist: {dist}, mean: 3m, sd: 1e200 }}\n    handleTime:");

        SingleError(yaml, 10, 44 + dist.Length - "gamma".Length, "callTypes[0].patience.sd");
    }

    [Fact]
    public void Gamma_sd_of_1e_minus_200_is_refused_with_a_hint_to_use_deterministic()
    {
        var error = SingleError(Edit("{ dist: exponential, mean: 3m }", "{ dist: gamma, mean: 3m, sd: 1e-200 }"),
            10, 46, "callTypes[0].handleTime.sd");

        Assert.Equal("must be at least 0.001 x mean (0.18s) for a gamma; for a duration that (almost) does not vary use { dist: deterministic, value: 180s }",
            error.Reason);
    }

    [Fact]
    public void Lognormal_whose_parameters_underflow_is_caught_by_the_sampling_check()
    {
        // sd / mean = 1 passes the bounds, but mean x mean underflows to 0, so sigma would be NaN.
        var error = SingleError(Edit("{ dist: exponential, mean: 3m }", "{ dist: lognormal, mean: 1e-200, sd: 1e-200 }"),
            10, 17, "callTypes[0].handleTime");

        Assert.StartsWith("mean and sd give no finite lognormal parameters", error.Reason);
    }

    [Fact]
    public void Lognormal_with_sd_zero_is_a_constant()
    {
        var scenario = Load(Edit("{ dist: exponential, mean: 3m }", "{ dist: lognormal, mean: 3m, sd: 0 }"));

        Assert.Equal(new LogNormalSpec(180, 0), scenario.CallTypes[0].HandleTime);
    }

    [Theory]
    [InlineData("{ dist: exponential, mean: 30d }")]
    [InlineData("{ dist: lognormal, mean: 30d, sd: 3000d }")]
    [InlineData("{ dist: gamma, mean: 30d, sd: 3000d }")]
    [InlineData("{ dist: gamma, mean: 1000s, sd: 1s }")]
    [InlineData("{ dist: lognormal, mean: 1m, sd: 6000s }")]
    [InlineData("{ dist: deterministic, value: 2592000 }")]
    [InlineData("{ dist: empirical, values: [0, 2592000] }")]
    public void Durations_at_their_limits_load_and_sample_finite_values(string distribution)
    {
        var scenario = Load(Edit("{ dist: exponential, mean: 3m }", distribution)
            .Replace("    handleTime:", "    patience: " + distribution + "\n    handleTime:"));

        ScenarioAssert.WithinLimits(scenario);
    }

    [Theory]
    [InlineData("{ dist: exponential, mean: 2592001 }", 44, "mean", "is 2592001s; the limit is 2592000s (30 days)")]
    [InlineData("{ dist: deterministic, value: 2592001 }", 47, "value", "is 2592001s; the limit is 2592000s (30 days)")]
    [InlineData("{ dist: empirical, values: [1m, 2592001] }", 49, "values[1]", "is 2592001s; the limit is 2592000s (30 days)")]
    [InlineData("{ dist: gamma, mean: 1000s, sd: 0.999s }", 49, "sd", null)]
    [InlineData("{ dist: lognormal, mean: 1m, sd: 6001s }", 50, "sd", null)]
    public void Durations_just_over_their_limits_are_refused(string distribution, int column, string key, string? reason)
    {
        var error = SingleError(Edit("{ dist: exponential, mean: 3m }", distribution), 10, column, "callTypes[0].handleTime." + key);

        if (reason is not null)
        {
            Assert.Equal(reason, error.Reason);
        }
    }

    // ---- defect 2: unbounded work from one number ----

    [Fact]
    public void Calls_per_interval_of_1e308_is_refused_with_the_limit()
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: 1e308"), 9, 25, "callTypes[0].arrivals.callsPerInterval");

        Assert.Equal("expects 4e308 calls per replication (1e308 in each of the 4 intervals); the limit is 50,000,000", error.Reason);
    }

    [Fact]
    public void Calls_per_hour_that_overflows_when_converted_is_refused()
    {
        var yaml = Edit("interval: 30m", "interval: 366d").Replace("intervals: 4", "intervals: 1");

        var error = SingleError(Edit("callsPerInterval: 10", "callsPerHour: 1.7e308", yaml), 9, 21, "callTypes[0].arrivals.callsPerHour");

        Assert.StartsWith("expects 1.49e312 calls per replication", error.Reason);
    }

    [Fact]
    public void Staffing_of_two_billion_is_refused_with_the_limit()
    {
        var error = SingleError(Edit("staffing: 2", "staffing: 2000000000"), 14, 15, "groups[0].staffing");

        Assert.Equal("is 2,000,000,000 operators; the limit is 100,000 per group", error.Reason);
    }

    [Fact]
    public void Expected_calls_at_the_limit_load()
    {
        Assert.Equal(50_000_000, Load(Edit("callsPerInterval: 10", "callsPerInterval: 12500000")).CallTypes[0].CallsPerInterval.Sum());
        Assert.Equal(50_000_000, Load(Edit("callsPerInterval: 10", "callsPerInterval: [12500000, 12500000, 12500000, 12500000]"))
            .CallTypes[0].CallsPerInterval.Sum());
    }

    [Fact]
    public void Expected_calls_just_over_the_limit_are_refused()
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: 12500000.5"), 9, 25, "callTypes[0].arrivals.callsPerInterval");
        Assert.Equal("expects 50,000,002 calls per replication (12,500,000.5 in each of the 4 intervals); the limit is 50,000,000", error.Reason);

        var list = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: [12500000, 12500000, 12500000, 12500001]"),
            9, 25, "callTypes[0].arrivals.callsPerInterval");
        Assert.Equal("expects 50,000,001 calls per replication; the limit is 50,000,000", list.Reason);
    }

    [Fact]
    public void Expected_calls_over_all_call_types_are_bounded_too()
    {
        var twoTypes = Edit("groups:", "  - name: billing\n    arrivals:\n      callsPerInterval: 6250000\n    handleTime: { dist: exponential, mean: 3m }\ngroups:")
            .Replace("serves: [info]", "serves: [info, billing]");

        Assert.Equal(50_000_000, Load(Edit("callsPerInterval: 10", "callsPerInterval: 6250000", twoTypes)).CallTypes.Sum(c => c.CallsPerInterval.Sum()));
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: 6250001", twoTypes), 7, 3, "callTypes");
        Assert.Equal("the call types expect 50,000,004 calls per replication in all; the limit is 50,000,000", error.Reason);
    }

    [Fact]
    public void Staffing_per_group_at_and_over_the_limit()
    {
        Assert.Equal(100_000, Load(Edit("staffing: 2", "staffing: 100000")).Groups[0].Staffing[0]);
        SingleError(Edit("staffing: 2", "staffing: 100001"), 14, 15, "groups[0].staffing");
        SingleError(Edit("staffing: 2", "staffing: [1, 100001, 1, 1]"), 14, 19, "groups[0].staffing[1]");
    }

    [Fact]
    public void Operators_on_duty_over_all_groups_at_and_over_the_limit()
    {
        static string Groups(int count) => Edit("  - name: agents\n    serves: [info]\n    staffing: 2\n",
            string.Concat(Enumerable.Range(0, count).Select(i => Inv($"  - name: g{i}\n    serves: [info]\n    staffing: [1, 1, 100000, 1]\n"))));

        Assert.Equal(1_000_000, Load(Groups(10)).Groups.Sum(g => g.Staffing[2]));
        var error = SingleError(Groups(11), 12, 3, "groups");
        Assert.Equal("1,100,000 operators are on duty in interval 2 (staffing[2], from 3600s); the limit is 1,000,000 over all groups", error.Reason);
    }

    // ---- intervals, horizon, drain, counts ----

    [Fact]
    public void Intervals_at_and_over_the_limit()
    {
        var atLimit = Load(Edit("interval: 30m", "interval: 1s").Replace("intervals: 4", "intervals: 100000"));
        Assert.Equal(100_000, atLimit.IntervalCount);
        Assert.Equal(100_000, atLimit.Groups[0].Staffing.Count);

        var error = SingleError(Edit("intervals: 4", "intervals: 100001"), 3, 12, "intervals");
        Assert.Equal("is 100,001; the limit is 100,000 intervals", error.Reason);
    }

    [Fact]
    public void Horizon_at_and_over_the_limit()
    {
        Assert.Equal(ScenarioLimits.MaxHorizonSeconds, Load(Edit("interval: 30m", "interval: 366d").Replace("intervals: 4", "intervals: 1")).HorizonSeconds);
        Assert.Equal(ScenarioLimits.MaxHorizonSeconds, Load(Edit("interval: 30m", "interval: 91.5d")).HorizonSeconds);

        var error = SingleError(Edit("interval: 30m", "interval: 7905601"), 3, 12, "intervals");
        Assert.Equal("the horizon (intervals x interval) is 31622404s; the limit is 31622400s (366 days)", error.Reason);
    }

    [Fact]
    public void Drain_at_and_over_the_limit()
    {
        Assert.Equal(ScenarioLimits.MaxDrainSeconds, Load(Edit("intervals: 4\n", "intervals: 4\ndrain: 7d\n")).DrainSeconds);

        var error = SingleError(Edit("intervals: 4\n", "intervals: 4\ndrain: 604801\n"), 4, 8, "drain");
        Assert.Equal("is 604801s; the limit is 604800s (7 days)", error.Reason);
    }

    [Fact]
    public void Outbound_deadline_and_no_answer_time_at_and_over_the_limit()
    {
        static string Outbound(string value) => Edit("  - name: info\n", "  - name: info\n    outbound: " + value + "\n");
        var atLimit = Load(Outbound("{ deadline: 30d, reach: 0, noAnswerTime: 1h }")).CallTypes[0].Outbound!;
        Assert.Equal((ScenarioLimits.MaxOutboundDeadlineSeconds, ScenarioLimits.MaxNoAnswerSeconds), (atLimit.DeadlineSeconds, atLimit.NoAnswerSeconds));

        var deadline = SingleError(Outbound("{ deadline: 2592001 }"), 8, 27, "callTypes[0].outbound.deadline");
        Assert.Equal("must be a duration above 0 and at most 2592000s", deadline.Reason);
        var noAnswer = SingleError(Outbound("{ deadline: 1h, noAnswerTime: 3601 }"), 8, 45, "callTypes[0].outbound.noAnswerTime");
        Assert.Equal("must be a duration above 0 and at most 3600s", noAnswer.Reason);
    }

    [Fact]
    public void Call_types_at_and_over_the_limit()
    {
        static string CallTypes(int count) =>
            "name: many\ninterval: 30m\nintervals: 1\nserviceLevel:\n  threshold: 20s\ncallTypes:\n"
            + string.Concat(Enumerable.Range(0, count).Select(i => Inv($"  - name: c{i}\n    arrivals: {{ callsPerInterval: 1 }}\n")))
            + "groups:\n  - name: agents\n    staffing: 1\n    handleTime: { dist: exponential, mean: 3m }\n    serves: ["
            + string.Join(", ", Enumerable.Range(0, count).Select(i => Inv($"c{i}"))) + "]\n";

        Assert.Equal(10_000, Load(CallTypes(10_000)).CallTypes.Count);
        var error = SingleError(CallTypes(10_001), 7, 3, "callTypes");
        Assert.Equal("holds 10,001 call types; the limit is 10,000", error.Reason);
    }

    [Fact]
    public void Groups_at_and_over_the_limit()
    {
        static string Groups(int count) => Edit("  - name: agents\n    serves: [info]\n    staffing: 2\n",
            string.Concat(Enumerable.Range(0, count).Select(i => Inv($"  - name: g{i}\n    serves: [info]\n    staffing: 1\n"))));

        Assert.Equal(10_000, Load(Groups(10_000)).Groups.Count);
        var error = SingleError(Groups(10_001), 12, 3, "groups");
        Assert.Equal("holds 10,001 groups; the limit is 10,000", error.Reason);
    }

    [Fact]
    public void Per_interval_values_of_call_types_at_and_over_the_limit()
    {
        static string Scenario(int callTypes) =>
            "name: cells\ninterval: 1s\nintervals: 100000\nserviceLevel:\n  threshold: 20s\ncallTypes:\n"
            + string.Concat(Enumerable.Range(0, callTypes).Select(i => Inv($"  - name: c{i}\n    arrivals: {{ callsPerInterval: 0.1 }}\n")))
            + "groups:\n  - name: agents\n    staffing: 1\n    handleTime: { dist: exponential, mean: 3m }\n    serves: ["
            + string.Join(", ", Enumerable.Range(0, callTypes).Select(i => Inv($"c{i}"))) + "]\n";

        Assert.Equal(20, Load(Scenario(20)).CallTypes.Count);
        var error = SingleError(Scenario(21), 7, 3, "callTypes");
        Assert.Equal("21 call types x 100,000 intervals = 2,100,000 per-interval values; the limit is 2,000,000", error.Reason);
    }

    [Fact]
    public void Per_interval_values_of_groups_at_and_over_the_limit()
    {
        static string Scenario(int groups) => Edit("interval: 30m", "interval: 1s").Replace("intervals: 4", "intervals: 100000")
            .Replace("  - name: agents\n    serves: [info]\n    staffing: 2\n",
                string.Concat(Enumerable.Range(0, groups).Select(i => Inv($"  - name: g{i}\n    serves: [info]\n    staffing: 1\n"))));

        Assert.Equal(20, Load(Scenario(20)).Groups.Count);
        var error = SingleError(Scenario(21), 12, 3, "groups");
        Assert.Equal("21 groups x 100,000 intervals = 2,100,000 per-interval values; the limit is 2,000,000", error.Reason);
    }

    // ---- defect 6: a warm-up that leaves no whole interval ----

    [Fact]
    public void Warmup_ending_in_the_last_interval_is_refused()
    {
        var error = SingleError(Edit("intervals: 4\n", "intervals: 4\nwarmup: 5401\n"), 4, 9, "warmup");

        Assert.Equal("leaves no whole interval to count: the warm-up is rounded up to whole intervals and ends in the last one (interval 4, from 5400s); make it at most 5400s",
            error.Reason);
    }

    [Fact]
    public void Warmup_of_all_but_the_last_interval_loads()
    {
        Assert.Equal(5400, Load(Edit("intervals: 4\n", "intervals: 4\nwarmup: 90m\n")).WarmupSeconds);
    }

    // ---- reading ----

    [Fact]
    public void Aliases_are_refused()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(
            Edit("      callsPerInterval: 10\n", "      callsPerInterval: &rate 10\n").Replace("staffing: 2", "staffing: *rate"), "t.yaml"));

        Assert.Equal(("t.yaml", 14, 15, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("invalid YAML: aliases (*rate) are not supported in scenario files; write the value out", ex.Reason);
    }

    [Fact]
    public void A_file_with_many_errors_lists_a_hundred_then_how_many_more()
    {
        var values = string.Join(", ", Enumerable.Repeat("-1", 1000));
        var yaml = Edit("interval: 30m", "interval: 1s").Replace("intervals: 4", "intervals: 1000")
            .Replace("callsPerInterval: 10", $"callsPerInterval: [{values}]");

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));

        Assert.Equal(101, ex.Errors.Count);
        Assert.Equal((9, 426, ""), (ex.Errors[^1].Line, ex.Errors[^1].Column, ex.Errors[^1].Key));
        Assert.Equal("900 more error(s) not listed, the first of them here (callTypes[0].arrivals.callsPerInterval[100]: must be a number of calls >= 0)",
            ex.Errors[^1].Reason);
    }

    [Fact]
    public void Text_longer_than_the_file_limit_is_refused()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(new string(' ', ScenarioLimits.MaxFileBytes + 1), "t.yaml"));

        Assert.Equal(("t.yaml", 0, 0, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("the text is 16,777,217 characters long; the limit is 16,777,216 (16 MiB)", ex.Reason);
    }

    [Fact]
    public void Messages_do_not_depend_on_the_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            var error = SingleError(Edit("staffing: 2", "staffing: 2000000000"), 14, 15, "groups[0].staffing");
            Assert.Equal("is 2,000,000,000 operators; the limit is 100,000 per group", error.Reason);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_single_rate_and_staffing_cost_no_memory_per_interval()
    {
        // 100,000 intervals: a list of the single values and the steps built to count the expected calls were 5 MB.
        var yaml = Edit("intervals: 4", "intervals: 100000", Edit("interval: 30m", "interval: 1m"));
        ScenarioLoader.Parse(yaml, "t.yaml");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var scenario = ScenarioLoader.Parse(yaml, "t.yaml");

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000_000, $"reading allocated {allocated:N0} bytes");
        var calls = Assert.IsType<PoissonArrivalSpec>(scenario.CallTypes[0].Arrivals).CallsPerInterval;
        Assert.Equal(100_000, calls.Count);
        Assert.Equal(10.0, calls[99_999]);
        Assert.All(calls, c => Assert.Equal(10.0, c));
        Assert.Equal(100_000, scenario.Groups[0].Staffing.Count);
        Assert.Equal(200_000, scenario.Groups[0].Staffing.Sum());
        Assert.Equal(1_000_000, scenario.CallTypes[0].Arrivals.ExpectedCalls(ArrivalGrid.Of(scenario)), 6);
    }

    internal static string Edit(string oldText, string newText, string text = Valid)
    {
        Assert.Contains(oldText, text);
        return text.Replace(oldText, newText);
    }

    private static ScenarioDefinition Load(string yaml)
    {
        var scenario = ScenarioLoader.Parse(yaml, "t.yaml");
        ScenarioAssert.WithinLimits(scenario);
        return scenario;
    }

    internal static ScenarioError SingleError(string yaml, int line, int column, string key)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("t.yaml", line, column, key), (error.File, error.Line, error.Column, error.Key));
        return error;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What every loaded scenario must satisfy, whatever its file said.</summary>
internal static class ScenarioAssert
{
    public static void WithinLimits(ScenarioDefinition s)
    {
        Assert.InRange(s.IntervalCount, 1, ScenarioLimits.MaxIntervals);
        Assert.True(s.IntervalSeconds > 0 && s.HorizonSeconds <= ScenarioLimits.MaxHorizonSeconds, "horizon");
        Assert.InRange(s.DrainSeconds, 0, ScenarioLimits.MaxDrainSeconds);
        Assert.True(s.WarmupSeconds >= 0 && Math.Ceiling(s.WarmupSeconds / s.IntervalSeconds - 1e-9) < s.IntervalCount, "warm-up");
        Assert.InRange(s.CallTypes.Count, 1, ScenarioLimits.MaxCallTypes);
        Assert.InRange(s.Groups.Count, 1, ScenarioLimits.MaxGroups);
        Assert.InRange((long)s.CallTypes.Count * s.IntervalCount, 1, ScenarioLimits.MaxCells);
        Assert.InRange((long)s.Groups.Count * s.IntervalCount, 1, ScenarioLimits.MaxCells);
        var calls = 0.0;
        foreach (var type in s.CallTypes)
        {
            if (type.Arrivals is PoissonArrivalSpec poisson)
            {
                Assert.Equal(s.IntervalCount, poisson.CallsPerInterval.Count);
                Assert.All(poisson.CallsPerInterval, n => Assert.True(double.IsFinite(n) && n >= 0, "calls per interval"));
            }
            calls += type.Arrivals.ExpectedCalls(ArrivalGrid.Of(s));
            Samples(type.Patience);
            Samples(type.HandleTime);
        }
        Assert.InRange(calls, 0, ScenarioLimits.MaxExpectedCallsPerReplication);
        foreach (var group in s.Groups)
        {
            Assert.Equal(s.IntervalCount, group.Staffing.Count);
            Assert.All(group.Staffing, n => Assert.InRange(n, 0, ScenarioLimits.MaxOperatorsPerGroup));
            Samples(group.HandleTime);
            Samples(group.AfterCallWork);
            Assert.InRange(group.Shifts?.Count ?? 1, 1, ScenarioLimits.MaxShiftsPerGroup);
            Assert.All(group.Shifts ?? [], shift => Assert.InRange(shift.Breaks.Count, 0, ScenarioLimits.MaxBreaksPerShift));
            Assert.All(group.Proficiency?.Values ?? [], m => Assert.InRange(m, ScenarioLimits.MinProficiency, ScenarioLimits.MaxProficiency));
            Assert.True(group.Shrinkage is >= 0 and < 1, "shrinkage");
            Assert.True(group.OccupancyCap is > 0 and <= 1, "occupancy cap");
            Assert.InRange(group.CostPerHour, 0, ScenarioLimits.MaxCostPerHour);
            if (group.Activation is { } a)
            {
                Assert.InRange(a.Max, 1, ScenarioLimits.MaxOperatorsPerGroup);
                Assert.True(a.PerHour is > 0 and <= ScenarioLimits.MaxActivationPerHour, "activation.perHour");
                Assert.InRange(a.DelaySeconds, 0, ScenarioLimits.MaxHorizonSeconds);
            }
            if (group.Learning is { } l)
            {
                Assert.InRange(l.Initial, ScenarioLimits.MinProficiency, ScenarioLimits.MaxLearningInitial);
                Assert.True((l.HalfLifeSeconds is > 0 and <= ScenarioLimits.MaxDurationSeconds) ^ (l.HalfLifeCalls is > 0 and <= ScenarioLimits.MaxHalfLifeCalls), "learning half-life");
            }
        }
        Assert.InRange(s.OnsetSeconds, 0, ScenarioLimits.MaxHorizonSeconds);
        Assert.InRange(s.Groups.Sum(g => CrisisSim.Model.Components.OperatorSchedule.ChangeBound(g, s.IntervalSeconds, s.IntervalCount, s.ClockStartSeconds, s.OnsetSeconds)), 0, ScenarioLimits.MaxScheduleChanges);
        for (var i = 0; i < s.IntervalCount; i++)
        {
            Assert.InRange(s.Groups.Sum(g => (long)g.Staffing[i]), 0, ScenarioLimits.MaxOperatorsOnDuty);
        }
    }

    private static void Samples(DistributionSpec? spec)
    {
        if (spec is null)
        {
            return;
        }
        Assert.InRange(spec.Mean, double.Epsilon, ScenarioLimits.MaxDurationSeconds);
        var distribution = CrisisSim.Model.Distributions.Distribution.From(spec);
        var stream = CrisisSim.Model.Randomness.RandomStream.For(7, 1, "test");
        for (var i = 0; i < 500; i++)
        {
            var x = distribution.Sample(stream);
            Assert.True(double.IsFinite(x) && x >= 0, $"{spec} drew {x}");
        }
    }
}
