using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;
using CrisisSim.Traces;

namespace CrisisSim.Tests;

/// <summary>A trace-driven replay carries each recorded call's talk time and patience through the model: the hand-made
/// log of <see cref="RecordedTrace"/> comes back exactly.</summary>
public sealed class RecordedReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-recorded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IReadOnlyList<CallRecord> CallLog(ScenarioDefinition scenario, long seed, int replication) =>
        InlineEngine.RunReplication(scenario, seed, replication, keepCallLog: true).Records.CallLog!;

    /// <summary>The recorded call a call of the log is: callers are issued in the order of the recorded arrivals.</summary>
    private static TraceRecord RecordedCall(IReadOnlyList<TraceRecord> day, CallRecord call) =>
        day.OrderBy(r => r.Arrival).ElementAt((int)CallIds.Index(call.CallId, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_replay_of_the_hand_made_log_gives_back_every_call_as_recorded(int replication)
    {
        foreach (var date in new[] { RecordedTrace.Monday, RecordedTrace.Tuesday })
        {
            var day = RecordedTrace.Day(date);
            var log = CallLog(RecordedTrace.Scenario(date), 17, replication);
            Assert.Equal(day.Count, log.Count);
            foreach (var call in log)
            {
                var recorded = RecordedCall(day, call);
                Assert.Equal(recorded.Arrival.TimeOfDay.TotalSeconds, call.ArrivalTime);
                Assert.Equal(recorded.Outcome == TraceOutcome.Answered ? CallOutcome.Answered : CallOutcome.Abandoned, call.Outcome);
                // Served: its recorded talk, after its recorded wait (its drawn patience exceeded it); abandoned: after
                // exactly its recorded patience.
                Assert.Equal((double)recorded.QueueSeconds, call.Wait);
                if (call.Outcome == CallOutcome.Answered)
                {
                    Assert.Equal((double)recorded.HandleSeconds, call.EndTime - call.WaitEnd);
                }
            }
        }
    }

    [Fact]
    public void The_operator_multiplier_applies_to_a_recorded_talk_as_to_a_drawn_one()
    {
        var day = RecordedTrace.Day(RecordedTrace.Monday);
        var answered = CallLog(RecordedTrace.Scenario(RecordedTrace.Monday, proficiency: 1.5), 17, 0).Where(c => c.Outcome == CallOutcome.Answered).ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, call => Assert.Equal(1.5 * RecordedCall(day, call).HandleSeconds, call.EndTime - call.WaitEnd, 9));
    }

    [Fact]
    public void Nobody_to_answer_shows_every_patience_recorded_exactly_or_drawn_above_the_recorded_wait()
    {
        var day = RecordedTrace.Day(RecordedTrace.Monday);
        var scenario = RecordedTrace.Scenario(RecordedTrace.Monday, operators: 0);
        var drawn = new List<double>[2];
        for (var replication = 0; replication < 2; replication++)
        {
            var log = CallLog(scenario, 17, replication);
            Assert.All(log, call => Assert.Equal(CallOutcome.Abandoned, call.Outcome));
            drawn[replication] = [];
            foreach (var call in log)
            {
                var recorded = RecordedCall(day, call);
                if (recorded.Outcome == TraceOutcome.Abandoned)
                {
                    Assert.Equal((double)recorded.QueueSeconds, call.Wait);
                }
                else
                {
                    Assert.True(call.Wait > recorded.QueueSeconds, $"patience {call.Wait} s of a caller served after {recorded.QueueSeconds} s");
                    drawn[replication].Add(call.Wait);
                }
            }
        }
        // Drawn from the replication's patience stream: another replication, other patience.
        Assert.NotEqual(drawn[0], drawn[1]);
    }

    [Fact]
    public void A_served_caller_whose_patience_cannot_exceed_its_wait_takes_the_wait_itself_after_the_bounded_draws()
    {
        // Every patience is 120 s: a caller served after 120 s or more gets its wait (the bound), one served sooner 120 s.
        var day = RecordedTrace.Day(RecordedTrace.Monday);
        var log = CallLog(RecordedTrace.Scenario(RecordedTrace.Monday, operators: 0, patience: new DeterministicSpec(120)), 17, 0);
        var served = log.Select(call => (Call: call, Recorded: RecordedCall(day, call))).Where(x => x.Recorded.Outcome == TraceOutcome.Answered).ToList();
        Assert.Contains(served, x => x.Recorded.QueueSeconds >= 120);
        Assert.Contains(served, x => x.Recorded.QueueSeconds < 120);
        Assert.All(served, x => Assert.Equal((double)Math.Max(120, x.Recorded.QueueSeconds), x.Call.Wait));
    }

    [Fact]
    public void The_same_seed_gives_the_same_replay_and_values_not_observed_are_drawn_as_without_recorded_values()
    {
        var scenario = RecordedTrace.Scenario(RecordedTrace.Tuesday);
        Assert.Equal(CallLog(scenario, 23, 1), CallLog(scenario, 23, 1));
        // NaN everywhere: nothing observed, every value drawn from the streams an arrival process without recorded
        // values uses, in the same order.
        var spec = (RecordedArrivalSpec)scenario.CallTypes[0].Arrivals;
        var nothing = Enumerable.Repeat(float.NaN, spec.TimesSeconds.Count).ToArray();
        var timesOnly = scenario with { CallTypes = [scenario.CallTypes[0] with { Arrivals = new RecordedArrivalSpec(spec.TimesSeconds, spec.Source) }] };
        var notObserved = scenario with
        {
            CallTypes = [scenario.CallTypes[0] with { Arrivals = spec with { HandleSeconds = nothing, PatienceSeconds = nothing, PatienceAtLeastSeconds = nothing } }],
        };
        Assert.Equal(CallLog(timesOnly, 23, 1), CallLog(notObserved, 23, 1));
        Assert.NotEqual(CallLog(timesOnly, 23, 1), CallLog(scenario, 23, 1));
    }

    [Fact]
    public void Recorded_values_that_do_not_match_the_times_are_refused_when_the_replication_is_built()
    {
        var scenario = RecordedTrace.Scenario(RecordedTrace.Monday);
        var spec = (RecordedArrivalSpec)scenario.CallTypes[0].Arrivals;
        var shorter = scenario with { CallTypes = [scenario.CallTypes[0] with { Arrivals = spec with { HandleSeconds = [.. spec.HandleSeconds!.Skip(1)] } }] };
        Assert.Contains("HandleSeconds holds 15 values for 16 arrival times", Assert.Throws<InvalidOperationException>(() => CallLog(shorter, 1, 0)).Message);
        var negative = scenario with { CallTypes = [scenario.CallTypes[0] with { Arrivals = spec with { PatienceSeconds = [-1, .. spec.PatienceSeconds!.Skip(1)] } }] };
        Assert.Contains("PatienceSeconds holds -1", Assert.Throws<InvalidOperationException>(() => CallLog(negative, 1, 0)).Message);
    }

    [Fact]
    public void A_recorded_scenario_survives_the_scenario_codec_with_its_recorded_values()
    {
        var scenario = RecordedTrace.Scenario(RecordedTrace.Monday);
        var copy = ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(scenario));
        var (a, b) = ((RecordedArrivalSpec)scenario.CallTypes[0].Arrivals, (RecordedArrivalSpec)copy.CallTypes[0].Arrivals);
        Assert.Equal(a.TimesSeconds, b.TimesSeconds);
        Assert.Equal(a.HandleSeconds!, b.HandleSeconds!); // NaN equal to NaN
        Assert.Equal(a.PatienceSeconds!, b.PatienceSeconds!);
        Assert.Equal(a.PatienceAtLeastSeconds!, b.PatienceAtLeastSeconds!);
        Assert.Contains(b.HandleSeconds!, float.IsNaN);
        Assert.Equal(CallLog(scenario, 5, 0), CallLog(copy, 5, 0));
    }

    [Fact]
    public void The_recorded_call_list_keeps_what_each_outcome_observed_in_arrival_order()
    {
        var day = new DateTime(2024, 3, 4);
        TraceRecord Call(string id, int seconds, TraceOutcome outcome, int queue, int handle) =>
            new(id, day.AddSeconds(seconds), "PS", 0, "L1", 5, queue, outcome, handle, outcome == TraceOutcome.Answered ? "A1" : "");
        var list = new RecordedCallList();
        // Out of order, two calls in the same second: arrival order, the log's order within the second.
        list.Add(Call("a", 600, TraceOutcome.Answered, 40, 300));
        list.Add(Call("b", 300, TraceOutcome.Abandoned, 70, 0));
        list.Add(Call("c", 600, TraceOutcome.EndedInMessage, 0, 0));
        list.Add(Call("d", 100, TraceOutcome.Answered, 0, 0));
        Assert.Throws<ArgumentException>(() => list.Add(Call("e", 50, TraceOutcome.Phantom, 0, 0)));
        Assert.Equal(4, list.Count);
        var arrays = list.TakeArrays();
        Assert.Equal(0, list.Count);
        Assert.Equal(new double[] { 100, 300, 600, 600 }, arrays.TimesSeconds);
        Assert.Equal(new[] { 0, float.NaN, 300, float.NaN }, arrays.HandleSeconds);
        Assert.Equal(new[] { float.NaN, 70, float.NaN, float.NaN }, arrays.PatienceSeconds);
        Assert.Equal(new[] { 0, float.NaN, 40, float.NaN }, arrays.PatienceAtLeastSeconds);
        // Enough calls for several chunks, in order already: kept as they came.
        var many = new RecordedCallList();
        for (var i = 0; i < 3 * RecordedCallList.MaxChunk; i++)
        {
            many.Add(Call("x", i % 86_400, TraceOutcome.Answered, i % 7, i % 11));
        }
        var all = many.TakeArrays();
        Assert.Equal(3 * RecordedCallList.MaxChunk, all.Count);
        Assert.Equal(Enumerable.Range(0, all.Count).Select(i => (float)(i % 11)), all.HandleSeconds);
    }

    [Fact]
    public async Task Replay_trace_driven_of_the_hand_made_log_matches_it_in_every_interval_on_every_host()
    {
        var trace = Path.Combine(_dir, "log.csv");
        var scenario = Path.Combine(_dir, "one-operator.yaml");
        File.WriteAllText(trace, RecordedTrace.Csv);
        File.WriteAllText(scenario, RecordedTrace.Yaml);
        var (code, o, e) = await CliRun.Run("replay", trace, "--format", "csv", "--scenario", scenario, "--trace-driven", "-r", "3", "--host", "threads", "--out", Path.Combine(_dir, "threads"));
        Assert.True(code == 0, e);
        Assert.Contains("(the recorded calls of 2 days)", o);
        Assert.Contains("Largest abandonment gap from 09:00 to 18:00: 0.0 points", o);
        var csv = File.ReadAllLines(Directory.GetFiles(Path.Combine(_dir, "threads"), "replay.csv", SearchOption.AllDirectories).Single());
        var days = new[] { RecordedTrace.Day(RecordedTrace.Monday), RecordedTrace.Day(RecordedTrace.Tuesday) };
        foreach (var line in csv.Skip(1))
        {
            var f = line.Split(',');
            // Observed beside simulated: offered, answered, abandonment rate, operators busy; and nothing varies over
            // replications.
            foreach (var (observed, simulated) in new[] { (2, 3), (5, 6), (8, 9), (14, 15) })
            {
                Assert.True(f[observed].Length == 0 ? f[simulated].Length == 0
                    : Math.Abs(double.Parse(f[observed], CultureInfo.InvariantCulture) - double.Parse(f[simulated], CultureInfo.InvariantCulture)) < 1e-9,
                    $"{f[1]}: column {csv[0].Split(',')[observed]} {f[observed]}, simulated {f[simulated]}");
            }
            // The mean wait: observed over the answered calls of all the days, simulated as the mean of each day's mean,
            // which is each day's recorded mean.
            var hour = int.Parse(f[0], CultureInfo.InvariantCulture);
            var daily = days.Select(d => d.Where(r => r.Arrival.Hour == hour && r.Outcome == TraceOutcome.Answered).Select(r => (double)r.QueueSeconds).ToList())
                .Where(w => w.Count > 0).Select(w => w.Average()).ToList();
            Assert.True(daily.Count == 0 ? f[12].Length == 0 : Math.Abs(daily.Average() - double.Parse(f[12], CultureInfo.InvariantCulture)) < 1e-9, $"{f[1]}: simulated mean wait {f[12]}");
            foreach (var ci in new[] { 4, 7, 10, 13 })
            {
                Assert.True(f[ci].Length == 0 || double.Parse(f[ci], CultureInfo.InvariantCulture) is 0 or double.NaN, $"{f[1]}: {csv[0].Split(',')[ci]} {f[ci]}");
            }
        }
        Assert.Contains(csv, l => l.StartsWith("9,09:00,16,16,", StringComparison.Ordinal));
        // The replication grains on the embedded silo: the same file.
        var onSilo = await CliRun.Run("replay", trace, "--format", "csv", "--scenario", scenario, "--trace-driven", "-r", "3", "--out", Path.Combine(_dir, "silo"));
        Assert.True(onSilo.Code == 0, onSilo.Err);
        Assert.Equal(File.ReadAllBytes(Directory.GetFiles(Path.Combine(_dir, "threads"), "replay.csv", SearchOption.AllDirectories).Single()),
            File.ReadAllBytes(Directory.GetFiles(Path.Combine(_dir, "silo"), "replay.csv", SearchOption.AllDirectories).Single()));
    }
}
