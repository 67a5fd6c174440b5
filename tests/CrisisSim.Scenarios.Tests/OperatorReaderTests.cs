using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The operator keys of <c>groups[]</c> and the top-level <c>onset</c>: what they map to, and every rule and
/// limit with its exact position and key.</summary>
public sealed class OperatorReaderTests
{
    // Line numbers below refer to this text; GROUP is replaced by the group's extra lines (from line 15).
    private const string Base = """
        name: test
        start: "08:00"
        interval: 30m
        intervals: 4
        onset: 1h
        serviceLevel:
          threshold: 20s
        callTypes:
          - name: info
            arrivals: { callsPerInterval: 10 }
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: provider
            serves: [info]
        GROUP
        """;

    [Fact]
    public void Every_operator_key_maps_to_the_model()
    {
        var s = ScenarioLoader.Parse(Base.Replace("serves: [info]", "serves: { info: 1.3 }").Replace("GROUP", """
                shifts:
                  - { start: "08:00", end: "09:00", operators: 10, breaks: [{ at: "08:30", duration: 15m }] }
                  - { start: "22:00", end: "08:30", operators: 2 }
                shrinkage: 0.15
                occupancyCap: 0.9
                costPerHour: 32
                afterCallWork: { dist: lognormal, mean: 30s, sd: 15s }
                activation: { delay: 3h, perHour: 20, max: 100 }
                learning: { initial: 1.5, halfLife: 2h }
            """), "t.yaml");
        Assert.Equal(3600, s.OnsetSeconds);
        var g = s.Groups[0];
        Assert.Equal(["info"], g.Serves);
        Assert.Equal(1.3, g.Proficiency!["info"]);
        Assert.Equal(2, g.Shifts!.Count);
        Assert.Equal(new ShiftSpec(8 * 3600, 9 * 3600, 10, g.Shifts[0].Breaks), g.Shifts[0]);
        Assert.Equal([new BreakSpec(8.5 * 3600, 900)], g.Shifts[0].Breaks);
        Assert.Equal(22 * 3600, g.Shifts[1].StartSeconds);
        Assert.Equal(10.5 * 3600, g.Shifts[1].LengthSeconds);
        // The per-interval staffing of a group with shifts: the most operators scheduled at any time of each interval
        // (08:00-08:30: 10 + 2; 08:30-09:00: 10, the break; then none).
        Assert.Equal([12, 10, 0, 0], g.Staffing);
        Assert.Equal(0.15, g.Shrinkage);
        Assert.Equal(0.9, g.OccupancyCap);
        Assert.Equal(32, g.CostPerHour);
        Assert.Equal(new LogNormalSpec(30, 15), g.AfterCallWork);
        Assert.Equal(new ActivationSpec(3 * 3600, 20, 100), g.Activation);
        Assert.Equal(new LearningSpec(1.5, 7200, null), g.Learning);
    }

    [Fact]
    public void Defaults_apply_none_of_the_rules()
    {
        var s = ScenarioLoader.Parse(Base.Replace("onset: 1h\n", "").Replace("GROUP", "    staffing: 3"), "t.yaml");
        var g = s.Groups[0];
        Assert.Equal(0, s.OnsetSeconds);
        Assert.Null(g.Proficiency);
        Assert.Null(g.Shifts);
        Assert.Equal(0, g.Shrinkage);
        Assert.Equal(1, g.OccupancyCap);
        Assert.Equal(0, g.CostPerHour);
        Assert.Null(g.AfterCallWork);
        Assert.Null(g.Activation);
        Assert.Null(g.Learning);
        Assert.False(g.HasSchedule);
        Assert.Equal(new LearningSpec(2, null, 20), ScenarioLoader.Parse(Group("    staffing: 3\n    learning: { initial: 2, halfLifeCalls: 20 }"), "t.yaml").Groups[0].Learning);
    }

    [Theory]
    [InlineData("    staffing: 3\n    shifts: [{ start: \"08:00\", end: \"09:00\", operators: 1 }]", 16, 13, "groups[0].shifts", "not both")]
    [InlineData("    shrinkage: 0.1", 13, 5, "groups[0].staffing", "missing")]
    [InlineData("    staffing: 3\n    shrinkage: 1", 16, 16, "groups[0].shrinkage", "below 1")]
    [InlineData("    staffing: 3\n    shrinkage: -0.1", 16, 16, "groups[0].shrinkage", "from 0")]
    [InlineData("    staffing: 3\n    occupancyCap: 0", 16, 19, "groups[0].occupancyCap", "above 0")]
    [InlineData("    staffing: 3\n    occupancyCap: 1.1", 16, 19, "groups[0].occupancyCap", "at most 1")]
    [InlineData("    staffing: 3\n    costPerHour: -1", 16, 18, "groups[0].costPerHour", "from 0")]
    [InlineData("    staffing: 3\n    costPerHour: 2e6", 16, 18, "groups[0].costPerHour", "1,000,000")]
    [InlineData("    staffing: 3\n    afterCallWork: { dist: exponential }", 16, 20, "groups[0].afterCallWork.mean", "missing")]
    [InlineData("    staffing: 3\n    activation: { delay: -1h, perHour: 20, max: 10 }", 16, 26, "groups[0].activation.delay", "from 0")]
    [InlineData("    staffing: 3\n    activation: { delay: 1h, perHour: 0, max: 10 }", 16, 39, "groups[0].activation.perHour", "above 0")]
    [InlineData("    staffing: 3\n    activation: { delay: 1h, perHour: 20, max: 0 }", 16, 48, "groups[0].activation.max", ">= 1")]
    [InlineData("    staffing: 3\n    activation: { delay: 1h, perHour: 20, max: 200000 }", 16, 48, "groups[0].activation.max", "100,000")]
    [InlineData("    staffing: 3\n    activation: { delay: 1h, perHour: 20 }", 16, 17, "groups[0].activation.max", "missing")]
    [InlineData("    staffing: 3\n    learning: { initial: 1.5 }", 16, 15, "groups[0].learning.halfLife", "exactly one")]
    [InlineData("    staffing: 3\n    learning: { initial: 1.5, halfLife: 1h, halfLifeCalls: 3 }", 16, 60, "groups[0].learning.halfLifeCalls", "exactly one")]
    [InlineData("    staffing: 3\n    learning: { initial: 0, halfLife: 1h }", 16, 26, "groups[0].learning.initial", "from 0.01 to 100")]
    [InlineData("    staffing: 3\n    learning: { initial: 2, halfLife: 0 }", 16, 39, "groups[0].learning.halfLife", "above 0")]
    [InlineData("    staffing: 3\n    learning: { initial: 2, halfLifeCalls: 0 }", 16, 44, "groups[0].learning.halfLifeCalls", "above 0")]
    public void A_bad_operator_key_names_line_column_and_key(string group, int line, int column, string key, string reason)
    {
        var error = SingleError(Group(group), line, column, key);
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("{ start: \"08:00\", end: \"08:00\", operators: 1 }", 16, 32, "groups[0].shifts[0].end", "must differ")]
    [InlineData("{ start: \"8h\", end: \"09:00\", operators: 1 }", 16, 18, "groups[0].shifts[0].start", "time of day")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: -1 }", 16, 52, "groups[0].shifts[0].operators", ">= 0")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 100001 }", 16, 52, "groups[0].shifts[0].operators", "100,000")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 1, breaks: [{ at: \"08:50\", duration: 15m }] }", 16, 64, "groups[0].shifts[0].breaks[0]", "within its shift")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 1, breaks: [{ at: \"07:50\", duration: 5m }] }", 16, 64, "groups[0].shifts[0].breaks[0]", "within its shift")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 1, breaks: [{ at: \"08:10\", duration: 0 }] }", 16, 89, "groups[0].shifts[0].breaks[0].duration", "above 0")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 1, breaks: [{ at: \"08:10\", duration: 10m }, { at: \"08:15\", duration: 1m }] }", 16, 96, "groups[0].shifts[0].breaks[1]", "overlaps")]
    [InlineData("{ start: \"08:00\", end: \"09:00\", operators: 1, pause: 1 }", 16, 55, "groups[0].shifts[0].pause", "unknown key")]
    public void A_bad_shift_names_line_column_and_key(string shift, int line, int column, string key, string reason)
    {
        var error = SingleError(Group("    shifts:\n      - " + shift), line, column, key);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void An_overnight_shift_may_hold_a_break_after_midnight()
    {
        var s = ScenarioLoader.Parse(Group("    shifts:\n      - { start: \"22:00\", end: \"06:00\", operators: 4, breaks: [{ at: \"02:00\", duration: 30m }] }"), "t.yaml");
        Assert.Equal(8 * 3600, s.Groups[0].Shifts![0].LengthSeconds);
    }

    [Theory]
    [InlineData("serves: { info: 0.001 }", 14, 21, "groups[0].serves.info", "from 0.01 to 100")]
    [InlineData("serves: { info: fast }", 14, 21, "groups[0].serves.info", "proficiency")]
    [InlineData("serves: { billing: 1 }", 14, 15, "groups[0].serves.billing", "unknown call type")]
    [InlineData("serves: {}", 14, 13, "groups[0].serves", "at least one")]
    public void A_bad_proficiency_names_line_column_and_key(string serves, int line, int column, string key, string reason)
    {
        var text = Group("    staffing: 3").Replace("serves: [info]", serves);
        if (serves.Contains("billing", StringComparison.Ordinal))
        {
            // info must still be served by some group.
            text += "\n  - name: others\n    serves: [info]\n    staffing: 1";
        }
        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml")).Errors;
        var error = errors.First(e => e.Key == key);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Onset_is_a_bounded_duration()
    {
        var error = SingleError(Base.Replace("onset: 1h", "onset: -1h").Replace("GROUP", "    staffing: 3"), 5, 8, "onset");
        Assert.Contains("from 0", error.Reason);
        SingleError(Base.Replace("onset: 1h", "onset: 367d").Replace("GROUP", "    staffing: 3"), 5, 8, "onset");
    }

    [Fact]
    public void Shift_and_break_counts_are_bounded()
    {
        var shifts = string.Concat(Enumerable.Range(0, ScenarioLimits.MaxShiftsPerGroup + 1).Select(_ => "\n      - { start: \"08:00\", end: \"09:00\", operators: 1 }"));
        Assert.Contains("limit is 100", SingleError(Group("    shifts:" + shifts), 16, 7, "groups[0].shifts").Reason);
        var atLimit = string.Concat(Enumerable.Range(0, ScenarioLimits.MaxShiftsPerGroup).Select(_ => "\n      - { start: \"08:00\", end: \"09:00\", operators: 1 }"));
        Assert.Equal(100, ScenarioLoader.Parse(Group("    shifts:" + atLimit), "t.yaml").Groups[0].Staffing[0]);

        var breaks = string.Join(", ", Enumerable.Range(0, ScenarioLimits.MaxBreaksPerShift + 1).Select(i => $"{{ at: \"08:{i * 5:00}\", duration: 1m }}"));
        Assert.Contains("limit is 10", SingleError(Group("    shifts:\n      - { start: \"08:00\", end: \"09:00\", operators: 1, breaks: [" + breaks + "] }"), 16, 63, "groups[0].shifts[0].breaks").Reason);
    }

    [Fact]
    public void Overlapping_shifts_may_not_schedule_more_than_the_group_limit()
    {
        var error = SingleError(Group("    shifts:\n      - { start: \"08:00\", end: \"09:00\", operators: 60000 }\n      - { start: \"08:30\", end: \"10:00\", operators: 50000 }"), 16, 7, "groups[0].shifts");
        Assert.Contains("110,000 operators at once", error.Reason);
    }

    [Fact]
    public void Schedule_changes_over_the_run_are_bounded()
    {
        // 100 shifts of 10 breaks over 366 days: 805,201 changes per group (one more for the start); the third such group passes 2,000,000.
        var breaks = string.Join(", ", Enumerable.Range(0, 10).Select(i => $"{{ at: \"{8 + i:00}:00\", duration: 1m }}"));
        var shift = "\n      - { start: \"08:00\", end: \"19:00\", operators: 1, breaks: [" + breaks + "] }";
        var shifts = "    shifts:" + string.Concat(Enumerable.Repeat(shift, 100));
        var text = Group(shifts).Replace("interval: 30m\nintervals: 4", "interval: 1d\nintervals: 366")
            + "\n  - name: second\n    serves: [info]\n" + shifts + "\n  - name: third\n    serves: [info]\n" + shifts;
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal((219, 5, "groups[2]"), (error.Line, error.Column, error.Key));
        Assert.Contains("up to 2,415,603 times", error.Reason);
        Assert.Contains("limit is 2,000,000", error.Reason);
    }

    private static string Group(string lines) => Base.Replace("GROUP", lines);

    private static ScenarioError SingleError(string yaml, int line, int column, string key)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("t.yaml", line, column, key), (error.File, error.Line, error.Column, error.Key));
        return error;
    }
}
