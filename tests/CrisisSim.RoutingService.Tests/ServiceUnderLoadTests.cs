using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The live host (<c>crisissim load</c>) against a routing service on a loopback port: the router grain asks it
/// in live mode (each decision waits at most the timeout; a failure is decided by the fallback), and what the service did
/// comes back with the live results. These runs take real time on a shared machine: bounds are generous where they are
/// upper bounds on latency, and exact where the counts must add up.</summary>
public sealed class ServiceUnderLoadTests(LiveSiloFixture silo) : IClassFixture<LiveSiloFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-service-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One call type, one group of 5 operators, <paramref name="calls"/> calls of a minute in half an hour.</summary>
    private static string ScenarioText(string routing, int calls = 100) => $$"""
        name: service-live
        interval: 30m
        intervals: 1
        serviceLevel: { threshold: 20s, target: 0.8 }
        {{routing}}
        callTypes:
          - name: calls
            arrivals: { callsPerInterval: {{calls}} }
            patience: { dist: exponential, mean: 300s }
            handleTime: { dist: exponential, mean: 60s }
        groups:
          - name: operators
            serves: [calls]
            staffing: 5
        """;

    private static ScenarioDefinition Scenario(string url, string timeout, string fallback = "fifo", int calls = 100) =>
        ScenarioLoader.Parse(ScenarioText($"routing: {{ service: {url}, timeout: {timeout}, fallback: {fallback}, settings: {{ promoteAfter: 2m }} }}", calls), "service-live.yaml");

    /// <summary>Every call offered ended once, in every interval; each was one routing decision measured.</summary>
    private static void AssertEveryCallEndedOnce(LiveOutcome live)
    {
        var r = live.Replication.Records;
        long offered = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                Assert.True(c.Offered == c.Ended, $"interval {k}: {c.Offered} offered, {c.Ended} ended");
                offered += c.Offered;
            }
        }
        Assert.True(offered > 0);
        Assert.Equal(offered, live.Latency.Facts.CallsOffered);
        Assert.Equal(offered, live.Latency[LatencyKind.Route].Count);
    }

    /// <summary>The counts add up: every decision asked was answered or fell back (one fallback per failure), and the
    /// windows add up to the whole run.</summary>
    private static ServiceStats AssertCountsAddUp(LatencyReport latency)
    {
        var service = latency.Service ?? throw new Xunit.Sdk.XunitException("no service report");
        Assert.True(service.Counted, "the router's counts did not come back");
        var s = service.Overall;
        Assert.Equal(s.Asked, s.Answered + s.Fallbacks);
        Assert.Equal(s.Fallbacks, s.Timeouts + s.HttpErrors + s.InvalidAnswers);
        Assert.Equal(latency.Windows.Count, service.Windows.Count);
        Assert.Equal(s.Asked, service.Windows.Sum(w => w.Asked));
        Assert.Equal(s.Fallbacks, service.Windows.Sum(w => w.Fallbacks));
        Assert.Equal(s.Timeouts, service.Windows.Sum(w => w.Timeouts));
        return s;
    }

    /// <summary>The sample service delaying every answer by 20 ms: the requests' p50 is 20 ms and a bit (their bucket is at
    /// most 6.25 % wide, plus the loopback round trip), and each routing decision of the live run, which waits for its
    /// answer, takes at least as long. About 17 decisions a wall-clock second keep the router busy a third of the time.</summary>
    [Fact]
    public async Task A_service_slowed_by_a_known_delay_shows_it_in_the_decision_latency_percentiles_under_load()
    {
        const double delayMs = 20;
        await using var server = await RoutingServer.StartSampleAsync("--delay", "20ms");
        var scenario = Scenario(server.Url, "2s");

        var live = await LiveRun.RunAsync(silo.Grains, scenario, 1, new LiveOptions { Speed = 150, Window = TimeSpan.FromSeconds(2) }, CancellationToken.None);

        var s = AssertCountsAddUp(live.Latency);
        Assert.True(s.Asked >= 150, $"{s.Asked} decisions asked");
        Assert.Equal(s.Asked, s.Answered);
        Assert.Equal(0, s.Fallbacks);
        var p50 = s.Percentiles[0];
        Assert.InRange(p50, delayMs, delayMs * 1.0625 + 15);
        Assert.True(s.MaxMs >= p50 && s.MeanMs >= delayMs, $"max {s.MaxMs} ms, mean {s.MeanMs} ms");
        var route = live.Latency[LatencyKind.Route].Percentiles[0];
        var nextCall = live.Latency[LatencyKind.NextCall].Percentiles[0];
        Assert.InRange(route, delayMs, delayMs + 100);
        Assert.InRange(nextCall, delayMs, delayMs + 100);
        Assert.True(live.Latency[LatencyKind.Route].Percentiles[^2] >= p50, "route p99 below the service's p50");
        Assert.True(live.Latency.Service!.Windows.Count(w => w.Asked > 0) >= 5, $"{live.Latency.Service.Windows.Count} windows: asked {string.Join(", ", live.Latency.Service.Windows.Select(w => w.Asked))}; offered {string.Join(", ", live.Latency.Windows.Select(w => w.Offered))}");
        AssertEveryCallEndedOnce(live);
    }

    /// <summary>The sample service answering a fifth of its requests only after 2 s (drawn per request from its seeded
    /// stream), with a timeout of 150 ms: the timed-out share is a binomial count of n decisions asked with p = 0.2, and
    /// every timeout is a fallback. The count must lie within its 99.9 % interval (3.29 standard deviations), with one
    /// more allowed for a prompt answer that a loaded machine delays past 150 ms.</summary>
    [Fact]
    public async Task A_service_that_times_out_on_a_share_of_requests_shows_that_share_as_fallbacks()
    {
        const double share = 0.2;
        await using var server = await RoutingServer.StartSampleAsync("--slow-share", "0.2", "--slow-delay", "2s", "--seed", "7");
        var scenario = Scenario(server.Url, "150ms");

        var live = await LiveRun.RunAsync(silo.Grains, scenario, 2, new LiveOptions { Speed = 300, Window = TimeSpan.FromSeconds(1) }, CancellationToken.None);

        var s = AssertCountsAddUp(live.Latency);
        Assert.True(s.Asked >= 120, $"{s.Asked} decisions asked");
        Assert.Equal(0, s.HttpErrors + s.InvalidAnswers);
        Assert.Equal(s.Timeouts, s.Fallbacks);
        var expected = s.Asked * share;
        var spread = 3.29 * Math.Sqrt(s.Asked * share * (1 - share));
        Assert.InRange(s.Fallbacks, expected - spread, expected + spread + 1);
        Assert.Equal((double)s.Fallbacks / s.Asked, s.FallbackShare, 12);
        // A timed-out request counts its whole wait.
        Assert.True(s.MaxMs >= 150, $"max {s.MaxMs} ms");
        Assert.True(s.Percentiles[0] < 150, $"p50 {s.Percentiles[0]} ms");
        AssertEveryCallEndedOnce(live);
    }

    /// <summary>A service that goes down once it has answered 40 decisions (it drops every connection from then on, and
    /// stops): the rest of the run is decided by the fallback (a broken connection, a connection refused, or a timeout
    /// for a request caught by the stop), every fallback counted, and every call still ends once.</summary>
    [Fact]
    public async Task A_service_that_goes_down_mid_run_lets_the_run_finish_on_the_fallback_every_fallback_counted()
    {
        var answered = 0;
        var down = 0;
        var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            if (Volatile.Read(ref down) == 1)
            {
                http.Abort();
                return;
            }
            if (Interlocked.Increment(ref answered) == 40)
            {
                Volatile.Write(ref down, 1);
            }
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });
        var scenario = Scenario(server.Url, "200ms", fallback: "priority");
        var stop = Task.Run(async () =>
        {
            while (Volatile.Read(ref down) == 0)
            {
                await Task.Delay(1);
            }
            await server.DisposeAsync();
        });

        var live = await LiveRun.RunAsync(silo.Grains, scenario, 3, new LiveOptions { Speed = 200, Window = TimeSpan.FromSeconds(1) }, CancellationToken.None);
        await stop;

        var s = AssertCountsAddUp(live.Latency);
        // 40 answered, fewer only if a loaded machine made one of them wait past the timeout.
        Assert.InRange(s.Answered, 37, 40);
        Assert.True(s.Fallbacks > 100, s.ToString());
        Assert.Equal(s.Asked - s.Answered, s.Fallbacks);
        Assert.True(s.HttpErrors > 0, s.ToString());
        // Once down, every window's decisions fell back.
        var last = live.Latency.Service!.Windows.Last(w => w.Asked > 0);
        Assert.Equal(last.Asked, last.Fallbacks);
        AssertEveryCallEndedOnce(live);
        // The arrivals are replication 0's: the calls offered are those of the virtual-time run.
        var inline = InlineEngine.RunReplication(scenario with { Routing = RoutingSpec.Fifo }, 3, 0).Records;
        Assert.Equal(inline.Calls(0, 0).Offered, live.Replication.Records.Calls(0, 0).Offered);
    }

    /// <summary>The spec the silo decodes carries the live run, and the policy it resolves is in live mode; the router
    /// grain resolves it again with its counters, where the policy counts. Without the mark, it is in simulation
    /// mode.</summary>
    [Fact]
    public void A_scenario_marked_for_a_live_run_is_resolved_in_live_mode_after_the_wire()
    {
        var scenario = Scenario("http://127.0.0.1:9/route", "50ms");

        var live = ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(RoutingService.ForLiveRun(scenario, "a-live-run")));
        var simulated = ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(scenario));

        Assert.Equal("a-live-run", live.Routing.Service!.LiveRun);
        var livePolicy = Assert.IsType<ServicePolicy>(RoutingPolicies.For(RoutingPlugins.Resolve(live)));
        Assert.Equal(RoutingServiceMode.Live, livePolicy.Mode);
        Assert.Null(livePolicy.Counters);
        var counters = new RoutingServiceCounters();
        var counted = Assert.IsType<ServicePolicy>(RoutingPolicies.For(live with { Routing = RoutingService.Resolve(live.Routing, counters: counters) }));
        Assert.Equal(RoutingServiceMode.Live, counted.Mode);
        Assert.Same(counters, counted.Counters);
        Assert.Equal(1, counters.Policies);
        var simulatedPolicy = Assert.IsType<ServicePolicy>(RoutingPolicies.For(RoutingPlugins.Resolve(simulated)));
        Assert.Equal(RoutingServiceMode.Simulation, simulatedPolicy.Mode);
        Assert.Null(simulatedPolicy.Counters);
    }

    /// <summary>Counts taken apart and put back together (as they cross from a silo to the live host) read the same:
    /// counts, percentiles, mean and longest latency; and windows taken of such readings, with the longest latency of
    /// each window sent beside, are those the counters take themselves.</summary>
    [Fact]
    public void The_counts_read_the_same_once_taken_apart_and_put_back_together_and_so_do_their_windows()
    {
        var counters = new RoutingServiceCounters();
        var ticksPerMs = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        void Decide(double ms, bool fail)
        {
            counters.Asking();
            counters.Latency((long)(ms * ticksPerMs));
            counters.Outcome(fail ? RoutingServiceFailure.Http : RoutingServiceFailure.None);
            if (fail)
            {
                counters.FellBack();
            }
        }
        static RoutingServiceCounts Back(RoutingServiceCounts c) => RoutingServiceCounts.FromParts(
            c.Asked, c.Answered, c.Timeouts, c.HttpErrors, c.InvalidAnswers, c.Fallbacks, c.TotalLatency, c.MaxLatency, c.LatencyBuckets.ToArray());
        var split = new RoutingServiceWindows();
        var windows = new List<RoutingServiceCounts>();
        foreach (var batch in new[] { new[] { 1.5, 2, 40 }, [0.3, 7.25], [120, 3, 3, 3] })
        {
            foreach (var ms in batch)
            {
                Decide(ms, fail: ms > 100);
            }
            windows.Add(split.Take(Back(counters.Read()), counters.LongestInWindow(newWindow: true)));
        }

        var whole = counters.Read();
        var back = Back(whole);
        Assert.Equal(whole.ToString(), back.ToString());
        Assert.Equal((whole.Asked, whole.Answered, whole.HttpErrors, whole.Fallbacks, whole.Measured), (back.Asked, back.Answered, back.HttpErrors, back.Fallbacks, back.Measured));
        foreach (var p in new[] { 50.0, 90, 99, 100 })
        {
            Assert.Equal(whole.Percentile(p).TotalMilliseconds, back.Percentile(p).TotalMilliseconds, 3);
        }
        Assert.Equal(whole.MeanLatency.TotalMilliseconds, back.MeanLatency.TotalMilliseconds, 3);
        Assert.Equal(120, back.MaxLatency.TotalMilliseconds, 3);
        Assert.Throws<ArgumentException>(() => RoutingServiceCounts.FromParts(1, 1, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, new long[3]));
        Assert.Equal([3L, 2, 4], windows.Select(w => w.Asked));
        Assert.Equal([40.0, 7.25, 120], windows.Select(w => Math.Round(w.MaxLatency.TotalMilliseconds, 3)));
        Assert.Equal([0L, 0, 1], windows.Select(w => w.Fallbacks));
        Assert.Equal(whole.Measured, windows.Sum(w => w.Measured));
    }

    /// <summary>The counters' windows: each holds what was counted since the previous one, with its own longest latency;
    /// together they are the whole; the last one extended takes in what came after it.</summary>
    [Fact]
    public void The_counters_windows_add_up_to_the_whole_and_the_last_can_be_extended()
    {
        var counters = new RoutingServiceCounters();
        var ticksPerMs = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        void Decide(double ms, bool fail)
        {
            counters.Asking();
            counters.Latency((long)(ms * ticksPerMs));
            counters.Outcome(fail ? RoutingServiceFailure.Timeout : RoutingServiceFailure.None);
            if (fail)
            {
                counters.FellBack();
            }
        }
        for (var i = 0; i < 10; i++)
        {
            Decide(2, fail: false);
        }
        var first = counters.TakeWindow();
        Decide(100, fail: true);
        Decide(3, fail: false);
        var second = counters.TakeWindow();
        Decide(50, fail: true);
        var extended = counters.TakeWindow(extendLast: true);

        Assert.Equal((10L, 0L, 10L), (first.Asked, first.Fallbacks, first.Measured));
        Assert.Equal(2, first.MaxLatency.TotalMilliseconds, 3);
        Assert.Equal((2L, 1L, 1L), (second.Asked, second.Fallbacks, second.Timeouts));
        Assert.Equal(100, second.MaxLatency.TotalMilliseconds, 3);
        Assert.InRange(second.Percentile(50).TotalMilliseconds, 3, 3 * 1.0625);
        Assert.Equal((3L, 2L, 1L), (extended.Asked, extended.Fallbacks, extended.Answered));
        Assert.Equal(100, extended.MaxLatency.TotalMilliseconds, 3);
        var whole = counters.Read();
        Assert.Equal(whole.Asked, first.Asked + extended.Asked);
        Assert.Equal(whole.Fallbacks, first.Fallbacks + extended.Fallbacks);
        Assert.Equal(13, whole.Measured);
        Assert.Equal(2, counters.Fallbacks);
    }

    /// <summary>--find-max on a scenario whose routing is a service: each step's row shows the service's p99 latency and
    /// its fallbacks (with their share of the decisions asked), the warm-up's row none.</summary>
    [Fact]
    public async Task Find_max_shows_the_service_p99_and_fallbacks_of_each_step()
    {
        await using var server = await RoutingServer.StartSampleAsync("--delay", "2ms");
        var path = Path.Combine(_dir, "service.yaml");
        File.WriteAllText(path, ScenarioText($"routing: {{ service: {server.Url}, timeout: 2s, fallback: fifo, settings: {{ promoteAfter: 2m }} }}", calls: 60));

        var run = await CliRun.Run("load", path, "--find-max", "--speed", "400", "--duration", "1s", "--percentiles", "50", "--threshold", "service_p99<1us");

        Assert.True(run.Code == 1, run.Err + run.Out);
        var lines = run.Out.Split('\n').Select(l => l.TrimEnd()).ToArray();
        var header = lines.Single(l => l.TrimStart().StartsWith("speed", StringComparison.Ordinal));
        Assert.Matches(@"^\s*speed\s+calls/s\s+route p99 \(ms\)\s+late\s+sustained\s+service p99 \(ms\)\s+fallbacks\s+thresholds$", header);
        Assert.Matches(@"^\s*400\s+[0-9.]+ ?%\s+warm-up", lines.Single(l => l.Contains("warm-up", StringComparison.Ordinal)));
        var step = lines.Single(l => l.Contains("crossed: service_p99<1us", StringComparison.Ordinal));
        var cells = System.Text.RegularExpressions.Regex.Match(step, @"^\s*400\s+[0-9,]+\s+-\s+[0-9.]+ ?%\s+[0-9.]+x\s+(?<p99>[0-9.]+)\s+(?<fallbacks>[0-9,]+ \([0-9.]+%\))\s+crossed: service_p99<1us \((?<measured>[0-9.]+) ?ms\)$");
        Assert.True(cells.Success, step);
        // The sample service answers after 2 ms: so does the p99 at least, as the threshold measured it.
        Assert.True(double.Parse(cells.Groups["p99"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 2, step);
        Assert.Contains("no speed from 400x held every threshold (service_p99<1us)", run.Out);
    }

    /// <summary>Thresholds on the service: held, exit 0, with the service's file and sections written; crossed, exit 1,
    /// naming each crossed one with its measured value; on a scenario whose routing is not a service, refused, exit 2.</summary>
    [Fact]
    public async Task Thresholds_on_the_service_latency_errors_and_fallbacks_exit_1_when_crossed()
    {
        await using var server = await RoutingServer.StartSampleAsync("--slow-share", "0.1", "--slow-delay", "1s", "--seed", "3");
        var path = Path.Combine(_dir, "service.yaml");
        File.WriteAllText(path, ScenarioText($"routing: {{ service: {server.Url}, timeout: 100ms, fallback: fifo, settings: {{ promoteAfter: 2m }} }}", calls: 60));

        var pass = await CliRun.Run("load", path, "--speed", "400", "--window", "1s", "--out", Path.Combine(_dir, "a"),
            "--threshold", "service_p50<50ms", "--threshold", "service_errors<1%", "--threshold", "fallbacks<=60%", "--threshold", "service_timeouts>0");
        Assert.True(pass.Code == 0, pass.Err + pass.Out);
        Assert.Contains("threshold passed: service_errors<1% (measured 0%)", pass.Out);
        Assert.Contains("threshold passed: fallbacks<=60%", pass.Out);
        Assert.Matches(@"routing service http://127\.0\.0\.1:\d+/route \(timeout 100 ms\): \d+ asked, \d+ answered, \d+ timeouts, 0 HTTP errors, 0 invalid answers; \d+ decided by the fallback fifo", pass.Out);
        var folder = Directory.GetDirectories(Path.Combine(_dir, "a", "service-live")).Single();
        var rows = File.ReadAllLines(Path.Combine(folder, "routing-service.csv"));
        Assert.Equal("scope,window,start_s,end_s,asked,answered,timeouts,http_errors,invalid_answers,fallbacks,fallback_share,p50_ms,p90_ms,p95_ms,p99_ms,p99_9_ms,max_ms,mean_ms", rows[0]);
        Assert.StartsWith("overall,", rows[1]);
        Assert.True(rows.Length > 3, $"{rows.Length} rows");
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "latency.json"))))
        {
            var service = json.RootElement.GetProperty("service");
            Assert.Equal(server.Url, service.GetProperty("url").GetString());
            Assert.Equal(100, service.GetProperty("timeoutMs").GetDouble());
            var overall = service.GetProperty("overall");
            Assert.Equal(overall.GetProperty("asked").GetInt64(), overall.GetProperty("answered").GetInt64() + overall.GetProperty("fallbacks").GetInt64());
            Assert.True(overall.GetProperty("timeouts").GetInt64() > 0);
            var windows = json.RootElement.GetProperty("windows").EnumerateArray().ToArray();
            Assert.Equal(overall.GetProperty("asked").GetInt64(), windows.Sum(w => w.GetProperty("service").GetProperty("asked").GetInt64()));
        }

        var fail = await CliRun.Run("load", path, "--speed", "400", "--window", "1s", "--out", Path.Combine(_dir, "b"),
            "--threshold", "service_p99<1us", "--threshold", "fallbacks<0.5%", "--threshold", "fallbacks<1", "--threshold", "service_errors<1%");
        Assert.True(fail.Code == 1, fail.Err + fail.Out);
        Assert.Contains("threshold crossed: service_p99<1us (measured ", fail.Out);
        Assert.Matches(@"threshold crossed: fallbacks<0\.5% \(measured [0-9.]+%\)", fail.Out);
        Assert.Matches(@"threshold crossed: fallbacks<1 \(measured \d+\)", fail.Out);
        Assert.Contains("threshold passed: service_errors<1%", fail.Out);

        var plain = Path.Combine(_dir, "fifo.yaml");
        File.WriteAllText(plain, ScenarioText("routing: fifo"));
        var refused = await CliRun.Run("load", plain, "--threshold", "fallbacks<1%", "--out", Path.Combine(_dir, "c"));
        Assert.Equal(2, refused.Code);
        Assert.Contains("--threshold 'fallbacks<1%' reads the routing service", refused.Err);
        var bad = await CliRun.Run("load", path, "--threshold", "service_p200<1ms", "--out", Path.Combine(_dir, "c"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("no metric 'service_p200'", bad.Err);
    }
}
