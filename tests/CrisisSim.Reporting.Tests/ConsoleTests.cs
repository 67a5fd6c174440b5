using System.Globalization;
using CrisisSim.Engine;
using Spectre.Console;
using Spectre.Console.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>The console: plain text when the output is not a terminal (no ANSI escape, no box drawing, one line per
/// row), Spectre.Console tables on a terminal, the per-call-type interval tables, the below-target markers, and the
/// progress bar (shown only on a terminal).</summary>
public sealed class ConsoleTests(ReportRun fixture) : IClassFixture<ReportRun>
{
    private const char Escape = '\u001b';

    private static bool IsBoxDrawing(char c) => c is >= '\u2500' and <= '\u259f';

    private string Plain(bool intervals)
    {
        var writer = new StringWriter { NewLine = "\n" };
        ConsoleReport.Write(fixture.Run, writer, intervals);
        return writer.ToString();
    }

    private static List<string> Section(string text, string heading)
    {
        var lines = text.Split('\n');
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"no line '{heading}'");
        return [.. lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))];
    }

    [Fact]
    public void A_string_writer_is_not_a_terminal_so_the_output_is_plain()
    {
        Assert.False(Terminal.IsTerminal(new StringWriter()));
        Assert.Null(Terminal.RichConsole(new StringWriter()));
        Assert.False(ConsoleOutput.For(new StringWriter()).IsRich);
        var text = Plain(intervals: true);
        Assert.DoesNotContain(Escape, text);
        Assert.DoesNotContain(text, IsBoxDrawing);
        Assert.All(text.Split('\n'), l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void Plain_text_has_one_line_per_kpi_and_per_interval_for_all_and_for_each_call_type()
    {
        var text = Plain(intervals: true);
        var run = fixture.Run;
        var s = run.Scenario;
        var sl = run.Overall["service_level"];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"  service level (1 min)  "), text);
        Assert.Matches(string.Create(CultureInfo.InvariantCulture, $@"\n  service level \(1 min\) +{sl.Mean * 100:F2}  ± {sl.HalfWidth * 100:F2}  %\n"), text);
        Assert.Matches(@"\n  max queue \(mean of each replication's max\) +[0-9.]+ +± [0-9.]+\n", text);
        var all = Section(text, "Per interval, all call types (mean over replications):");
        Assert.Equal(1 + s.IntervalCount, all.Count); // header and intervals
        Assert.Matches(@"^  interval +offered +answered +abandoned +SL % +ASA s +wait s +p90 s +aband % +max queue +on duty teleadvisors +on duty backup +occ % teleadvisors +occ % backup$", all[0]);
        Assert.StartsWith("  09:00-09:30  ", all[1]);
        for (var t = 0; t < s.CallTypes.Count; t++)
        {
            var rows = Section(text, $"Per interval, call type {s.CallTypes[t].Name}:");
            Assert.Equal(1 + s.IntervalCount, rows.Count);
            Assert.Matches(@"^  interval +offered +answered +abandoned +SL % +ASA s +wait s +p90 s +aband %$", rows[0]);
            for (var k = 0; k < s.IntervalCount; k++)
            {
                var offered = run.IntervalsByCallType[t][k].Kpis["offered"].Mean;
                Assert.Equal(offered.ToString("F1", CultureInfo.InvariantCulture), rows[1 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }
        Assert.Contains("max queue: the mean over replications of each replication's most calls waiting at once", text);
        Assert.Contains("!: service level below its target of 80 % within 1 min.", text);
        Assert.DoesNotContain("Per interval", Plain(intervals: false));
    }

    [Fact]
    public void The_marker_flags_exactly_the_intervals_whose_service_level_is_below_the_target()
    {
        var text = Plain(intervals: true);
        var run = fixture.Run;
        var s = run.Scenario;
        var target = s.ServiceLevel.Target;
        void Check(IReadOnlyList<string> rows, IReadOnlyList<IntervalEstimates> intervals)
        {
            // The marker is the column after SL %: the sixth cell of a row that has one.
            for (var k = 0; k < intervals.Count; k++)
            {
                var cells = rows[1 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(intervals[k].Kpis["service_level"].Mean < target, cells[5] == ConsoleReport.BelowTargetMarker);
            }
        }
        Check(Section(text, "Per interval, all call types (mean over replications):"), run.Intervals);
        for (var t = 0; t < s.CallTypes.Count; t++)
        {
            Check(Section(text, $"Per interval, call type {s.CallTypes[t].Name}:"), run.IntervalsByCallType[t]);
        }
        // The scenario's morning is overloaded and its afternoon is not: both cases are checked.
        Assert.Contains(run.Intervals, i => i.Kpis["service_level"].Mean < target);
        Assert.Contains(run.Intervals, i => i.Kpis["service_level"].Mean >= target);
        Assert.Equal(run.Overall["service_level"].Mean < target, text.Contains("! the service level is below its target of 80 % within 1 min.", StringComparison.Ordinal));
    }

    [Fact]
    public void On_duty_is_operator_hours_over_the_interval_length()
    {
        var text = Plain(intervals: true);
        var rows = Section(text, "Per interval, all call types (mean over replications):");
        var run = fixture.Run;
        for (var k = 0; k < run.Intervals.Count; k++)
        {
            var cells = rows[1 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hours = run.Intervals[k].Kpis.OperatorHoursByGroup;
            var seconds = run.Scenario.IntervalSeconds;
            // interval offered answered abandoned SL [!] ASA wait p90 aband% maxQ onDuty... occ...
            var at = cells.Length - 2 * hours.Count;
            for (var g = 0; g < hours.Count; g++)
            {
                Assert.Equal((hours[g].Mean * 3600 / seconds).ToString("F1", CultureInfo.InvariantCulture), cells[at + g]);
            }
        }
        Assert.Equal("15.0", Section(text, "Per interval, all call types (mean over replications):")[10].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^4]); // 13:30: 15 teleadvisors
    }

    [Fact]
    public void Plain_tables_align_columns_two_spaces_apart()
    {
        var table = new ConsoleTable(new ConsoleColumn("name", ColumnAlign.Left), new("value"), new("", ColumnAlign.Left, KeepWithPrevious: true));
        table.AddRow("a", "1.5", "!");
        table.AddRow("longer", "12.25", "");
        var writer = new StringWriter { NewLine = "\n" };
        table.WritePlain(writer);
        Assert.Equal("  name    value\n  a         1.5  !\n  longer  12.25\n", writer.ToString());
        Assert.Throws<ArgumentException>(() => table.AddRow("too", "few"));
    }

    [Fact]
    public void On_a_terminal_tables_have_borders_and_colors_and_say_the_same()
    {
        var console = new TestConsole().Width(400).EmitAnsiSequences();
        ConsoleReport.Write(fixture.Run, ConsoleOutput.Rich(console), intervals: true);
        var output = console.Output;
        Assert.Contains(Escape, output);
        Assert.Contains('╭', output);
        Assert.Contains("max queue (mean of each replication's max)", output);
        Assert.Contains("Per interval, call type symptoms:", output);
        Assert.Contains("on duty", output); // a header wraps at its spaces, a cell never
        Assert.Contains("teleadvisors", output);
        // Every interval of every table, the same figures as the plain text.
        Assert.Equal(1 + fixture.Run.Scenario.CallTypes.Count, output.Split('\n').Count(l => l.Contains("09:00-09:30", StringComparison.Ordinal)));
        var sl = fixture.Run.Overall["service_level"].Mean * 100;
        Assert.Contains(sl.ToString("F2", CultureInfo.InvariantCulture), output);
    }

    [Fact]
    public void A_table_wider_than_the_terminal_is_split_by_columns_each_part_led_by_the_first()
    {
        var table = ConsoleReport.IntervalTable(fixture.Run);
        Assert.Equal([Enumerable.Range(0, table.Columns.Count).ToArray()], table.ColumnGroups(400).Select(g => g.ToArray()));
        var groups = table.ColumnGroups(100);
        Assert.True(groups.Count > 1);
        Assert.All(groups, g => Assert.Equal(0, g[0]));
        Assert.Equal(Enumerable.Range(1, table.Columns.Count - 1), groups.SelectMany(g => g.Skip(1)));
        // The marker stays beside the service level.
        var sl = table.Columns.ToList().FindIndex(c => c.Header == "SL %");
        Assert.Contains(groups, g => g.Contains(sl) && g.Contains(sl + 1));

        var console = new TestConsole().Width(100);
        table.WriteRich(console);
        var lines = console.Output.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} characters: {l}"));
        Assert.Equal(groups.Count, lines.Count(l => l.Contains("09:00-09:30", StringComparison.Ordinal)));
        Assert.Equal(groups.Count, lines.Count(l => l.Contains("18:30-19:00", StringComparison.Ordinal)));
    }

    [Fact]
    public void Progress_shows_nothing_when_standard_error_is_not_a_terminal()
    {
        var error = new StringWriter();
        using (var progress = ConsoleProgress.Start(error, "covid-hotline", 10, "replications"))
        {
            Assert.False(progress.Enabled);
            progress.Update(3);
            progress.Report(10);
        }
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Progress_on_a_terminal_shows_done_total_rate_and_time_left()
    {
        var console = new TestConsole().Width(120).Interactive();
        var time = new ManualTime();
        var progress = ConsoleProgress.Start(console, "covid-hotline", 10, "replications", time);
        Assert.True(progress.Enabled);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Update(2);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Update(4);
        progress.Dispose();
        progress.Dispose(); // idempotent
        progress.Update(9); // after the end: ignored
        var last = console.Output.Split('\n').Last(l => l.Contains("covid-hotline", StringComparison.Ordinal));
        Assert.Contains("40%", last);
        Assert.Contains("4/10 replications", last);
        Assert.Matches(@"\d\.\d\d/s", last);
        Assert.Matches(@"ETA 0:0\d", last);
        Assert.DoesNotContain("9/10", console.Output);
    }

    [Fact]
    public void Progress_takes_a_new_total_and_description_for_the_next_step_with_its_own_rate()
    {
        var console = new TestConsole().Width(120).Interactive();
        var time = new ManualTime();
        using (var progress = ConsoleProgress.Start(console, "staff: iteration 1/20", 10, "replications", time))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            progress.Update(10);
            // The next iteration starts again from 0, with more replications, at 3 per second.
            time.Advance(TimeSpan.FromSeconds(1));
            progress.Update(0, total: 20, description: "staff: iteration 2/20 [7 missed]");
            time.Advance(TimeSpan.FromSeconds(2));
            progress.Update(6);
        }
        var last = console.Output.Split('\n').Last(l => l.Contains("staff", StringComparison.Ordinal));
        Assert.Contains("staff: iteration 2/20 [7 missed]", last); // markup characters shown as written
        Assert.Contains("6/20 replications", last);
        Assert.Contains("3.00/s", last);
        Assert.Contains("ETA 0:05", last);
    }

    [Fact]
    public void Rates_and_durations_read_at_a_glance()
    {
        Assert.Equal("0.125", ConsoleProgress.Rate(0.125));
        Assert.Equal("2.31", ConsoleProgress.Rate(2.3125));
        Assert.Equal("45.6", ConsoleProgress.Rate(45.625));
        Assert.Equal("1,235", ConsoleProgress.Rate(1234.6));
        Assert.Equal("0:05", ConsoleProgress.Duration(TimeSpan.FromSeconds(4.2)));
        Assert.Equal("1:05", ConsoleProgress.Duration(TimeSpan.FromSeconds(65)));
        Assert.Equal("1:02:05", ConsoleProgress.Duration(TimeSpan.FromSeconds(3725)));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
