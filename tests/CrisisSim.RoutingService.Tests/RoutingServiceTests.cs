using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrisisSim.Engine;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using CrisisSim.Reporting;
using CrisisSim.Samples.RoutingService;
using CrisisSim.Scenarios;
using CrisisSim.Testing;
using Json.Schema;
using Microsoft.AspNetCore.Http;

namespace CrisisSim.Tests;

/// <summary>A routing service asked over HTTP (real Kestrel servers on loopback ports): the sample service takes the
/// sample plug-in's decisions, a wrong answer of each kind stops a simulation naming the decision and the answer, and
/// under live load failures fall back and are counted.</summary>
public sealed class RoutingServiceTests : IAsyncLifetime, IDisposable
{
    private static readonly Dictionary<string, string> Settings = new() { ["promoteAfter"] = "2m" };
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-service-").FullName;
    private RoutingServer? _sample;

    private RoutingServer Sample => _sample ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _sample = await RoutingServer.StartSampleAsync();

    public async Task DisposeAsync()
    {
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>summary.json without its "routing" line (the service's URL or the plug-in's type name).</summary>
    internal static string WithoutRoutingName(string summary) =>
        string.Join('\n', summary.Split('\n').Where(line => !line.TrimStart().StartsWith("\"routing\":", StringComparison.Ordinal)));

    internal static ScenarioDefinition Library(string file, RoutingSpec routing) =>
        ScenarioLibrary.Load(file) with { Routing = routing };

    [Fact]
    public void The_sample_service_gives_the_plugins_summary_byte_for_byte_on_a_library_scenario_run_after_run()
    {
        var plugin = SummaryJson.ToText(SimulationRunner.RunInline(Library("cyber-outage.yaml", RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, Settings)), 3, 2));
        var service = Library("cyber-outage.yaml", RoutingService.Reference(Sample.Url, Settings));

        var first = SummaryJson.ToText(SimulationRunner.RunInline(service, 3, 2));
        var second = SummaryJson.ToText(SimulationRunner.RunInline(service, 3, 2));

        Assert.Equal(first, second);
        Assert.Contains($"\"routing\": \"{Sample.Url}\"", first);
        Assert.Equal(WithoutRoutingName(plugin), WithoutRoutingName(first));
        // The policy matters on this scenario: the built-in one it replaces gives other results.
        Assert.NotEqual(WithoutRoutingName(SummaryJson.ToText(SimulationRunner.RunInline(ScenarioLibrary.Load("cyber-outage.yaml"), 3, 2))), WithoutRoutingName(first));
    }

    [Fact]
    public async Task A_run_against_the_sample_service_writes_the_plugins_summary()
    {
        var plugin = Path.Combine(_dir, "plugin.yaml");
        var service = Path.Combine(_dir, "service.yaml");
        var text = File.ReadAllText(Path.Combine(ScenarioLibrary.Folder, "cyber-outage.yaml"));
        File.WriteAllText(plugin, Routing(text, $"routing: {{ assembly: '{SamplePlugin.AssemblyPath}', type: {SamplePlugin.TypeName}, settings: {{ promoteAfter: 2m }} }}"));
        File.WriteAllText(service, Routing(text, $"routing: {{ service: {Sample.Url}, timeout: 50ms, fallback: priority, settings: {{ promoteAfter: 2m }} }}"));

        var a = await CliRun.Run(["run", plugin, "-r", "2", "--host", "threads", "-f", "summary", "--out", Path.Combine(_dir, "a"), "--allow-plugin", SamplePlugin.AssemblyPath]);
        var b = await CliRun.Run(["run", service, "-r", "2", "--host", "threads", "-f", "summary", "--out", Path.Combine(_dir, "b")]);

        Assert.True(a.Code == 0, a.Err);
        Assert.True(b.Code == 0, b.Err);
        var summaries = new[] { "a", "b" }.Select(o => File.ReadAllText(Directory.GetFiles(Path.Combine(_dir, o), "summary.json", SearchOption.AllDirectories).Single())).ToArray();
        Assert.Equal(WithoutRoutingName(summaries[0]), WithoutRoutingName(summaries[1]));
    }

    private static string Routing(string scenario, string routing) =>
        string.Join('\n', scenario.Split('\n').Select(line => line.StartsWith("routing:", StringComparison.Ordinal) ? routing : line));

    /// <summary>One call type, one group of 5 operators, 100 calls a half hour of 3 minutes each, for an hour.</summary>
    private static string SmallText(string routing, string name = "small") => $$"""
        name: {{name}}
        interval: 30m
        intervals: 2
        serviceLevel:
          threshold: 20s
        {{routing}}
        callTypes:
          - name: calls
            arrivals:
              callsPerInterval: 100
            patience: { dist: exponential, mean: 300s }
            handleTime: { dist: exponential, mean: 180s }
        groups:
          - name: operators
            serves: [calls]
            staffing: 5
        """;

    /// <summary>The small scenario of the failure tests: one group of 5 operators, 200 calls an hour of 3 minutes.</summary>
    private static ScenarioDefinition Small(string url, RoutingServiceMode mode = RoutingServiceMode.Simulation, RoutingServiceCounters? counters = null, double timeout = 0.1) =>
        ScenarioLoader.Parse(SmallText("routing: fifo", "small"), "small.yaml") with
        {
            Routing = RoutingService.Reference(url, Settings, timeoutSeconds: timeout, fallback: "fifo", mode: mode, counters: counters),
        };

    public static TheoryData<string, string, string> BadAnswers() => new()
    {
        { "idle", "SelectGroup", "chose group 0: group 0 (operators) has no idle operator" },
        { "type", "SelectCallType", """its answer '{"version":1,"choice":7}' chose call type 7: there is no call type 7 (call types are 0 to 0, or -1 to stay idle)""" },
        { "malformed", "SelectCallType", """its answer '{"version":1,"choice":' is not a decision of contract version 1: malformed JSON""" },
        { "version", "SelectCallType", """its answer '{"version":2,"choice":0}' is not a decision of contract version 1: version must be 1""" },
        { "oversized", "SelectCallType", "bytes long, above the limit of 65,536 (it was not read)" },
        { "chunked", "SelectCallType", "its answer is longer than the limit of 65,536 bytes (no more was read)" },
        { "status", "SelectCallType", "the service answered HTTP 500 Internal Server Error; its body: '{\"error\":\"the router is down\"}'" },
        { "redirect", "SelectCallType", "the service answered a redirect (HTTP 302 to http://127.0.0.1:9/route), which is not followed" },
    };

    /// <summary>Answers wrongly in one way, the first time the decision it spoils is asked (else as the sample).</summary>
    private static Task Spoil(string kind, HttpContext http, RouteRequest request, RouteAnswer right)
    {
        var ok = JsonSerializer.Serialize(right, RoutingServer.JsonOptions);
        if (kind == "idle")
        {
            // Always the group, even when its operators are all busy.
            return request.Decision == "selectGroup" ? RoutingServer.Write(http, """{"version":1,"choice":0}""") : RoutingServer.Write(http, ok);
        }
        if (request.Decision != "selectCallType")
        {
            return RoutingServer.Write(http, ok);
        }
        switch (kind)
        {
            case "type":
                return RoutingServer.Write(http, """{"version":1,"choice":7}""");
            case "malformed":
                return RoutingServer.Write(http, """{"version":1,"choice":""");
            case "version":
                return RoutingServer.Write(http, """{"version":2,"choice":0}""");
            case "oversized":
                return RoutingServer.Write(http, """{"version":1,"choice":-1,"pad":""" + new string(' ', 100_000) + "}");
            case "chunked":
                return Chunked(http);
            case "status":
                return RoutingServer.Write(http, """{"error":"the router is down"}""", 500);
            default:
                http.Response.StatusCode = 302;
                http.Response.Headers.Location = "http://127.0.0.1:9/route";
                return Task.CompletedTask;
        }
    }

    private static async Task Chunked(HttpContext http)
    {
        // No Content-Length: the client stops reading at its limit.
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("""{"version":1,"choice":-1,"pad":" """);
        var chunk = new string(' ', 8192);
        for (var i = 0; i < 16; i++)
        {
            await http.Response.WriteAsync(chunk);
            await http.Response.Body.FlushAsync();
        }
        await http.Response.WriteAsync("\"}");
    }

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task A_bad_answer_stops_the_simulation_naming_the_decision_and_the_answer(string kind, string decision, string message)
    {
        await using var server = await RoutingServer.StartScriptedAsync((http, request, right) => Spoil(kind, http, request, right));

        var ex = Assert.Throws<RoutingPolicyException>(() => InlineEngine.RunReplication(Small(server.Url), 1, 0));

        Assert.Equal(decision, ex.Decision);
        Assert.StartsWith($"the routing policy at {server.Url} failed in {decision} at ", ex.Message);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("--host", "threads")]
    [InlineData("--host", "silo")]
    [InlineData("--grains", "components")]
    public async Task A_bad_answer_exits_with_code_4_and_writes_nothing_on_every_host(params string[] host)
    {
        await using var server = await RoutingServer.StartScriptedAsync((http, request, right) => Spoil("type", http, request, right));
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, SmallText($"routing: {{ service: {server.Url}, settings: {{ promoteAfter: 2m }} }}", "bad"));
        var output = Path.Combine(_dir, "out");

        var (code, _, error) = await CliRun.Run(["run", path, "-r", "2", "--out", output, .. host]);

        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"error: the routing policy at {server.Url} failed in SelectCallType at ", error);
        Assert.Contains("chose call type 7: there is no call type 7", error);
        Assert.Contains("no result was written", error);
        Assert.False(Directory.Exists(Path.Combine(output, "bad")) && Directory.EnumerateFileSystemEntries(Path.Combine(output, "bad")).Any());
    }

    [Fact]
    public async Task A_service_that_cannot_be_reached_stops_the_simulation_saying_so()
    {
        // A port just freed: nothing listens on it.
        string url;
        await using (var gone = await RoutingServer.StartScriptedAsync((http, _, right) => RoutingServer.Write(http, "{}")))
        {
            url = gone.Url;
        }

        var ex = Assert.Throws<RoutingPolicyException>(() => InlineEngine.RunReplication(Small(url), 1, 0));

        Assert.Contains("the service cannot be reached: Connection refused", ex.Message);
    }

    [Fact]
    public async Task Requests_and_answers_follow_the_documented_json_schemas()
    {
        var requests = new List<string>();
        var answers = new List<string>();
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            var answer = JsonSerializer.Serialize(right, RoutingServer.JsonOptions);
            lock (requests)
            {
                requests.Add((string)http.Items[RoutingServer.RequestText]!);
                answers.Add(answer);
            }
            await RoutingServer.Write(http, answer);
        });
        // Proficiency, several call types and groups: the bank's scenario with its settings-free policy swapped.
        InlineEngine.RunReplication(Library("cyber-outage.yaml", RoutingService.Reference(server.Url, Settings)), 1, 0);

        var requestSchema = JsonSchema.FromFile(Path.Combine(Repo.Root, "docs", "routing-service.request.schema.json"));
        var answerSchema = JsonSchema.FromFile(Path.Combine(Repo.Root, "docs", "routing-service.answer.schema.json"));
        Assert.True(requests.Count > 1_000, $"{requests.Count} requests");
        Assert.Contains(requests, r => r.Contains("\"selectGroup\"", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Contains("\"selectCallType\"", StringComparison.Ordinal));
        foreach (var (schema, bodies) in new[] { (requestSchema, requests), (answerSchema, answers) })
        {
            foreach (var body in bodies.Take(500))
            {
                var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, body + "\n" + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
            }
        }
        // And a wrong answer does not pass the answer's schema.
        Assert.False(answerSchema.Evaluate(JsonDocument.Parse("""{"version":1,"choice":-2}""").RootElement).IsValid);
        Assert.False(answerSchema.Evaluate(JsonDocument.Parse("""{"version":1}""").RootElement).IsValid);
    }

    [Fact]
    public async Task The_client_sends_what_the_view_shows_with_none_for_infinite_times()
    {
        JsonNode? first = null;
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            Interlocked.CompareExchange(ref first, JsonNode.Parse((string)http.Items[RoutingServer.RequestText]!), null);
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });

        InlineEngine.RunReplication(Small(server.Url), 1, 0);

        // The first decision: the first operator's shift starts, before any call: nothing waits, nobody else is idle.
        var request = first!.AsObject();
        Assert.Equal(1, (int)request["version"]!);
        Assert.Equal("selectCallType", (string)request["decision"]!);
        Assert.Equal(0, (double)request["now"]!);
        var type = request["callTypes"]![0]!;
        Assert.Equal("calls", (string)type["name"]!);
        Assert.Equal(0, (int)type["queueLength"]!);
        Assert.Null(type["oldestWaitingArrival"]);
        var group = request["groups"]![0]!;
        Assert.Equal("operators", (string)group["name"]!);
        Assert.Equal(1, (int)group["onDuty"]!);
        Assert.Equal(0, (int)group["idle"]!);
        Assert.Null(group["longestIdleSince"]);
        Assert.Equal("[0]", group["serves"]!.ToJsonString());
        Assert.Equal("[1]", group["proficiency"]!.ToJsonString());
    }

    [Fact]
    public async Task Wake_ups_asked_in_an_answer_are_delivered()
    {
        var wakes = 0;
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            // Let every call wait until the next whole minute, then answer it.
            if (request.Decision == "selectGroup")
            {
                var next = Math.Floor(request.Now / 60) * 60 + 60;
                await RoutingServer.Write(http, $$"""{"version":1,"choice":-1,"wakeAt":[{{next}}]}""");
                return;
            }
            if (request.Now % 60 == 0 && request.Now > 0)
            {
                Interlocked.Increment(ref wakes);
            }
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });

        // 20 calls in 30 minutes for 5 operators: an operator is idle at most wake-ups.
        var result = InlineEngine.RunReplication(Trimmed(Small(server.Url), 20), 1, 0, keepCallLog: true);

        var answered = result.Records.CallLog!.Where(c => c.Outcome == Model.Recording.CallOutcome.Answered).ToList();
        Assert.NotEmpty(answered);
        Assert.True(wakes > 10, $"{wakes} decisions at a wake-up");
        // A call arriving at an idle operator still waits for the minute: its wait ends on a whole minute.
        Assert.True(answered.Count(c => c.WaitEnd % 60 == 0) > answered.Count / 2, "calls were not answered at the wake-ups");
    }

    [Fact]
    public async Task Under_live_load_a_slow_service_shows_its_delay_in_the_latency_percentiles()
    {
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            await Task.Delay(20);
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });
        var counters = new RoutingServiceCounters();
        InlineEngine.RunReplication(Trimmed(Small(server.Url, RoutingServiceMode.Live, counters, timeout: 2), 40), 1, 0);

        Assert.True(counters.Asked > 20, counters.ToString());
        Assert.Equal(counters.Asked, counters.Answered);
        Assert.Equal(0, counters.Fallbacks);
        Assert.True(counters.Percentile(50) >= TimeSpan.FromMilliseconds(19), counters.ToString());
        Assert.True(counters.Percentile(50) < TimeSpan.FromMilliseconds(500), counters.ToString());
    }

    [Fact]
    public async Task Under_live_load_timeouts_are_counted_as_fallbacks_in_their_share()
    {
        var count = 0;
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            // One request in four answers too late.
            if (Interlocked.Increment(ref count) % 4 == 0)
            {
                await Task.Delay(800);
            }
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });
        var counters = new RoutingServiceCounters();

        var result = InlineEngine.RunReplication(Trimmed(Small(server.Url, RoutingServiceMode.Live, counters, timeout: 0.2), 40), 1, 0, keepCallLog: true);

        Assert.True(counters.Asked >= 40, counters.ToString());
        Assert.Equal(0, counters.HttpErrors + counters.InvalidAnswers);
        // A quarter, and a few more when the machine is so loaded that a prompt answer takes 200 ms.
        Assert.InRange(counters.Timeouts, counters.Asked / 4 - 1, counters.Asked / 4 + 3);
        Assert.Equal(counters.Asked, counters.Answered + counters.Fallbacks);
        Assert.True(counters.Percentile(99) >= TimeSpan.FromMilliseconds(195), counters.ToString());
        Assert.NotEmpty(result.Records.CallLog!);
    }

    [Fact]
    public async Task Under_live_load_a_service_that_goes_down_lets_the_run_finish_on_the_fallback()
    {
        var count = 0;
        var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            Interlocked.Increment(ref count);
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });
        var counters = new RoutingServiceCounters();
        var scenario = Trimmed(Small(server.Url, RoutingServiceMode.Live, counters, timeout: 0.5), 80);
        // The server stops once it has answered 20 decisions.
        var stop = Task.Run(async () =>
        {
            while (Volatile.Read(ref count) < 20)
            {
                await Task.Delay(1);
            }
            await server.DisposeAsync();
        });
        var result = await Task.Run(() => InlineEngine.RunReplication(scenario, 1, 0, keepCallLog: true));
        await stop;

        Assert.True(counters.Answered >= 20, counters.ToString());
        Assert.True(counters.HttpErrors + counters.Timeouts > 0, counters.ToString());
        Assert.Equal(counters.Asked, counters.Answered + counters.Fallbacks);
        // Every call of the run ended, most on the fallback's decisions.
        ScenarioLibrary.AssertConservation(scenario, result.Records);
    }

    /// <summary>The small scenario with <paramref name="calls"/> calls in its first interval only.</summary>
    private static ScenarioDefinition Trimmed(ScenarioDefinition scenario, int calls) => ScenarioLoader.Parse(
        SmallText("routing: fifo", "small")
            .Replace("intervals: 2", "intervals: 1", StringComparison.Ordinal)
            .Replace("callsPerInterval: 100", $"callsPerInterval: {calls}", StringComparison.Ordinal), "small.yaml") with
    { Routing = scenario.Routing };

    [Fact]
    public async Task A_wrong_answer_under_live_load_is_counted_and_decided_by_the_fallback()
    {
        await using var server = await RoutingServer.StartScriptedAsync((http, request, right) => Spoil("type", http, request, right));
        var counters = new RoutingServiceCounters();

        InlineEngine.RunReplication(Trimmed(Small(server.Url, RoutingServiceMode.Live, counters, timeout: 5), 60), 1, 0);

        Assert.True(counters.InvalidAnswers > 0, counters.ToString());
        Assert.Equal(0, counters.Timeouts + counters.HttpErrors);
        Assert.Equal(counters.Asked, counters.Answered + counters.Fallbacks);
    }

    [Theory]
    [InlineData("service: http://127.0.0.1:1/route, timeout: 0.5ms", "routing.timeout", "must be a duration from")]
    [InlineData("service: http://127.0.0.1:1/route, timeout: 11s", "routing.timeout", "must be a duration from")]
    [InlineData("service: http://127.0.0.1:1/route, fallback: skills", "routing.fallback", "unknown fallback policy 'skills'; allowed: fifo, priority")]
    [InlineData("service: ftp://127.0.0.1/route", "routing.service", "is not an http:// or https:// URL")]
    [InlineData("service: 'http://me:secret@127.0.0.1/route'", "routing.service", "a URL with a user name or password is refused")]
    [InlineData("service: http://far.routing.invalid:8080/route", "routing.service", "far.routing.invalid is not the loopback interface")]
    [InlineData("service: http://routing.invalid/route", "routing.service", "or on another host when allowed with --allow-routing-host routing.invalid")]
    [InlineData("service: http://127.0.0.1:1/route, policy: fifo", "routing.service", "give either service")]
    [InlineData("policy: fifo, timeout: 1s", "routing.timeout", "is a setting of a routing service")]
    public void The_reader_checks_every_routing_service_key_before_a_run(string routing, string key, string message)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(SmallText($"routing: {{ {routing} }}"), "s.yaml"));

        Assert.True(ex.Errors.Any(e => e.Key == key && e.Reason.Contains(message, StringComparison.Ordinal)), string.Join("\n", ex.Errors));
    }

    [Fact]
    public async Task Another_host_is_allowed_only_by_name_on_the_command_line()
    {
        var path = Path.Combine(_dir, "far.yaml");
        // A name under .invalid (RFC 2606: never resolved): the run is refused before anything is sent; validate never contacts it.
        File.WriteAllText(path, SmallText("routing: { service: 'http://routing.invalid:9/route' }", "far"));

        var refused = await CliRun.Run(["validate", path]);
        var allowed = await CliRun.Run(["validate", path, "--allow-routing-host", "routing.invalid"]);
        var bad = await CliRun.Run(["run", path, "--allow-routing-host", "http://routing.invalid/"]);

        Assert.Equal(2, refused.Code);
        Assert.Contains("routing.service: routing.invalid is not the loopback interface", refused.Err);
        Assert.True(allowed.Code == 0, allowed.Err);
        Assert.Contains("routing service http://routing.invalid:9/route: not contacted", allowed.Out);
        Assert.Equal(2, bad.Code);
        Assert.Contains("--allow-routing-host: 'http://routing.invalid/' is not a host name or an IP address", bad.Err);
    }

    [Fact]
    public void A_scenario_with_a_service_crosses_the_wire_and_is_resolved_again()
    {
        var scenario = Library("cyber-outage.yaml", RoutingService.Reference(Sample.Url, Settings, timeoutSeconds: 0.25, fallback: "priority"));

        var back = RoutingPlugins.Resolve(ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(scenario)));

        Assert.Equal(scenario.Routing, back.Routing);
        Assert.Equal(new RoutingServiceSpec(Sample.Url, 0.25, "priority"), back.Routing.Service);
        Assert.IsType<ServicePolicy>(RoutingPolicies.For(back));
    }

    [Fact]
    public void The_latency_percentiles_are_within_their_buckets_above_the_true_value()
    {
        var counters = new RoutingServiceCounters();
        var ticksPerMs = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        for (var i = 1; i <= 100; i++)
        {
            counters.Asking();
            counters.Latency((long)(i * ticksPerMs));
            counters.Outcome(RoutingServiceFailure.None);
        }

        Assert.InRange(counters.Percentile(50).TotalMilliseconds, 50, 50 * 1.0625);
        Assert.InRange(counters.Percentile(99).TotalMilliseconds, 99, 100);
        Assert.Equal(100, counters.Percentile(100).TotalMilliseconds, 3);
        Assert.Equal(100, counters.MaxLatency.TotalMilliseconds, 3);
        Assert.Equal(50.5, counters.MeanLatency.TotalMilliseconds, 1);
        Assert.Equal(100, counters.Answered);
        Assert.Equal(0, counters.FallbackShare);
    }
}
