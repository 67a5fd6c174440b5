using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrisisSim.Inputs;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Plugins;

/// <summary>A routing policy that asks the user's service: each decision is one HTTP POST of a JSON request (what the
/// policy interface sees: the call or the group, the time, each call type's queue, each group's operators) answered by
/// the choice (contract version <see cref="RoutingService.ContractVersion"/>, <c>docs/routing-service.md</c>). One per
/// replication, used by one thread at a time; connections are shared by the process and kept alive.</summary>
/// <remarks>In simulation a failure (no connection, a status other than 2xx, no answer within
/// <see cref="RoutingService.SimulationWait"/>, an answer that is not a valid decision) stops the run with a
/// <see cref="RoutingPolicyException"/> naming the decision and the answer. Under live load it is counted in
/// <see cref="Counters"/> and the fallback policy decides.</remarks>
public sealed class ServicePolicy : IRoutingPolicy, IRoutingPolicyGuard
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    private readonly Uri _uri;
    private readonly HttpClient _client;
    private readonly RoutingServiceMode _mode;
    private readonly TimeSpan _wait;
    private readonly IRoutingPolicy _fallback;
    private readonly RoutingSetup _setup;
    private readonly JsonEncodedText[] _callTypeNames;
    private readonly JsonEncodedText[] _groupNames;
    private readonly (JsonEncodedText Key, JsonEncodedText Value)[] _settings;
    private readonly byte[] _answer = new byte[RoutingService.MaxAnswerBytes + 1];
    private ArrayBufferWriter<byte> _request = new(4096);
    private Utf8JsonWriter _writer;
    private CancellationTokenSource _deadline = new();
    private readonly double[] _wakeUps = new double[RoutingService.MaxWakeUpsPerAnswer];

    internal ServicePolicy(RoutingServiceSpec service, RoutingSetup setup, IRoutingPolicy fallback, RoutingServiceMode mode, RoutingServiceCounters? counters)
    {
        _uri = new Uri(service.Url, UriKind.Absolute);
        _client = RoutingService.Client(_uri);
        _mode = mode;
        _wait = mode == RoutingServiceMode.Live ? TimeSpan.FromSeconds(service.TimeoutSeconds) : RoutingService.SimulationWait;
        _fallback = fallback;
        _setup = setup;
        Counters = counters;
        counters?.PolicyCreated();
        PolicyName = "at " + service.Url;
        _callTypeNames = [.. setup.CallTypes.Select(n => JsonEncodedText.Encode(n))];
        _groupNames = [.. setup.Groups.Select(n => JsonEncodedText.Encode(n))];
        _settings = [.. setup.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (JsonEncodedText.Encode(s.Key), JsonEncodedText.Encode(s.Value)))];
        _writer = new Utf8JsonWriter(_request, WriterOptions);
    }

    /// <summary>"at URL": the router's messages say "the routing policy at URL failed in …".</summary>
    public string PolicyName { get; }

    /// <summary>Whether a failure stops the run (simulation) or the fallback decides (live load).</summary>
    public RoutingServiceMode Mode => _mode;

    /// <summary>Where this policy counts what the service did (null: not counted).</summary>
    public RoutingServiceCounters? Counters { get; }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        Begin("selectGroup", view);
        _writer.WriteStartObject("call");
        _writer.WriteNumber("callType", call.CallType);
        _writer.WriteNumber("arrivalTime", call.ArrivalTime);
        _writer.WriteNumber("callId", call.CallId);
        _writer.WriteEndObject();
        var (choice, failure) = Ask(nameof(SelectGroup), view, call.CallType, -1);
        if (failure is null)
        {
            return choice;
        }
        Failed(nameof(SelectGroup), view, failure);
        return _fallback.SelectGroup(call, view);
    }

    public int SelectCallType(int group, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        Begin("selectCallType", view);
        _writer.WriteNumber("group", group);
        var (choice, failure) = Ask(nameof(SelectCallType), view, -1, group);
        if (failure is null)
        {
            return choice;
        }
        Failed(nameof(SelectCallType), view, failure);
        return _fallback.SelectCallType(group, view);
    }

    /// <summary>In simulation, stops the run naming the decision and the answer; under live load the fallback decides,
    /// and is counted.</summary>
    private void Failed(string decision, IRoutingView view, Failure failure)
    {
        if (_mode == RoutingServiceMode.Simulation)
        {
            throw new RoutingPolicyException(PolicyName, decision, view.Now, failure.Reason);
        }
        Counters?.FellBack();
    }

    private void Begin(string decision, IRoutingView view)
    {
        _request.ResetWrittenCount();
        _writer.Reset(_request);
        _writer.WriteStartObject();
        _writer.WriteNumber("version", RoutingService.ContractVersion);
        _writer.WriteString("decision", decision);
        _writer.WriteNumber("now", view.Now);
    }

    /// <summary>The rest of the request (settings, call types, groups), sent; the answer read and checked.</summary>
    private (int Choice, Failure? Failure) Ask(string decision, IRoutingView view, int callType, int group)
    {
        WriteState(view);
        _writer.WriteEndObject();
        _writer.Flush();
        if (_request.WrittenCount > RoutingService.MaxRequestBytes)
        {
            throw new RoutingPolicyException(PolicyName, decision, view.Now, string.Create(CultureInfo.InvariantCulture,
                $"the request is {_request.WrittenCount:N0} bytes, above the limit of {RoutingService.MaxRequestBytes:N0}; nothing was sent"));
        }
        Counters?.Asking();
        var started = Stopwatch.GetTimestamp();
        var (length, failure) = Send();
        var result = failure is null ? Check(decision, view, callType, group, length) : (-1, failure);
        Counters?.Latency(Stopwatch.GetTimestamp() - started);
        Counters?.Outcome(result.Item2?.Kind ?? RoutingServiceFailure.None);
        if (result.Item2 is null)
        {
            for (var i = 0; i < _wakeUpCount; i++)
            {
                view.WakeAt(_wakeUps[i]);
            }
        }
        return result;
    }

    private void WriteState(IRoutingView view)
    {
        var w = _writer;
        if (_settings.Length > 0)
        {
            w.WriteStartObject("settings");
            foreach (var (key, value) in _settings)
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        w.WriteStartArray("callTypes");
        for (var t = 0; t < view.CallTypeCount; t++)
        {
            w.WriteStartObject();
            w.WriteString("name", t < _callTypeNames.Length ? _callTypeNames[t] : default);
            w.WriteNumber("priority", view.Priority(t));
            w.WriteNumber("queueLength", view.QueueLength(t));
            WriteTime(w, "oldestWaitingArrival", view.OldestWaitingArrival(t));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("groups");
        for (var g = 0; g < view.GroupCount; g++)
        {
            w.WriteStartObject();
            w.WriteString("name", g < _groupNames.Length ? _groupNames[g] : default);
            w.WriteNumber("idle", view.IdleOperators(g));
            WriteTime(w, "longestIdleSince", view.LongestIdleSince(g));
            w.WriteNumber("onDuty", view.OnDuty(g));
            var serves = view.CallTypesServedBy(g);
            w.WriteStartArray("serves");
            foreach (var t in serves)
            {
                w.WriteNumberValue(t);
            }
            w.WriteEndArray();
            w.WriteStartArray("proficiency");
            foreach (var t in serves)
            {
                w.WriteNumberValue(view.Proficiency(g, t));
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, double time)
    {
        if (double.IsFinite(time))
        {
            w.WriteNumber(name, time);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Posts the request; the answer's bytes in <see cref="_answer"/>, or why there is none.</summary>
    private (int Length, Failure? Failure) Send()
    {
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = new CancellationTokenSource();
        }
        _deadline.CancelAfter(_wait);
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(_request.WrittenMemory),
        };
        request.Content.Headers.ContentType = Json;
        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, _deadline.Token);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var location = response.Headers.Location is { } to ? " to " + to : "";
                return (0, new Failure(RoutingServiceFailure.Http, $"the service answered a redirect (HTTP {status}{location}), which is not followed"));
            }
            if (status is < 200 or >= 300)
            {
                var length = ReadBody(response, out _);
                return (0, new Failure(RoutingServiceFailure.Http, $"the service answered HTTP {status} {response.ReasonPhrase}{Excerpt(length, "; its body: ")}"));
            }
            if (response.Content.Headers.ContentLength > RoutingService.MaxAnswerBytes)
            {
                return (0, Oversized(response.Content.Headers.ContentLength.Value));
            }
            var read = ReadBody(response, out var whole);
            return whole ? (read, null) : (0, Oversized(null));
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested)
        {
            Abandon();
            return (0, new Failure(RoutingServiceFailure.Timeout, string.Create(CultureInfo.InvariantCulture,
                $"the service did not answer within {_wait.TotalMilliseconds:0.###} ms")));
        }
        catch (HttpRequestException ex)
        {
            Abandon();
            return (0, new Failure(RoutingServiceFailure.Http, "the service cannot be reached: " + Printable.Escape(Innermost(ex))));
        }
        catch (IOException ex)
        {
            Abandon();
            return (0, new Failure(RoutingServiceFailure.Http, "the connection to the service broke: " + Printable.Escape(Innermost(ex))));
        }
    }

    // A request that did not end cleanly may still hold the buffer: the next one writes into a new one.
    private void Abandon()
    {
        _request = new ArrayBufferWriter<byte>(4096);
        _writer = new Utf8JsonWriter(_request, WriterOptions);
    }

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }
        return inner == ex || ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    private Failure Oversized(long? length) => new(RoutingServiceFailure.InvalidAnswer, length is { } n
        ? string.Create(CultureInfo.InvariantCulture, $"its answer is {n:N0} bytes long, above the limit of {RoutingService.MaxAnswerBytes:N0} (it was not read)")
        : string.Create(CultureInfo.InvariantCulture, $"its answer is longer than the limit of {RoutingService.MaxAnswerBytes:N0} bytes (no more was read)"));

    /// <summary>Reads the body into <see cref="_answer"/>, never more than its size: <paramref name="whole"/> is false
    /// when the body is longer than <see cref="RoutingService.MaxAnswerBytes"/>.</summary>
    private int ReadBody(HttpResponseMessage response, out bool whole)
    {
        using var stream = response.Content.ReadAsStream(_deadline.Token);
        var length = 0;
        int read;
        while (length < _answer.Length && (read = stream.Read(_answer, length, _answer.Length - length)) > 0)
        {
            length += read;
        }
        whole = length <= RoutingService.MaxAnswerBytes;
        return Math.Min(length, RoutingService.MaxAnswerBytes);
    }

    private string Excerpt(int length, string prefix = "")
    {
        if (length == 0)
        {
            return prefix.Length == 0 ? "(empty)" : "";
        }
        const int shown = 200;
        var text = Encoding.UTF8.GetString(_answer, 0, Math.Min(length, shown));
        return prefix + "'" + Printable.Escape(text) + (length > shown ? "…'" : "'");
    }

    private int _wakeUpCount;

    /// <summary>The answer parsed and its choice checked against the view, or why it is not a valid decision.</summary>
    private (int, Failure?) Check(string decision, IRoutingView view, int callType, int group, int length)
    {
        _wakeUpCount = 0;
        if (Parse(length) is { } malformed)
        {
            return (-1, Invalid($"its answer {Excerpt(length)} is not a decision of contract version {RoutingService.ContractVersion}: {malformed}"));
        }
        var choice = _choice;
        if (choice == -1)
        {
            return (-1, null);
        }
        string? wrong;
        if (decision == nameof(SelectGroup))
        {
            wrong = choice < 0 || choice >= view.GroupCount
                ? string.Create(CultureInfo.InvariantCulture, $"there is no group {choice} (groups are 0 to {view.GroupCount - 1}, or -1 to let the call wait)")
                : !view.GroupsServing(callType).Contains(choice) ? $"group {choice} ({GroupName(choice)}) does not serve call type {callType} ({TypeName(callType)})"
                : view.IdleOperators(choice) == 0 ? $"group {choice} ({GroupName(choice)}) has no idle operator"
                : null;
        }
        else
        {
            wrong = choice < 0 || choice >= view.CallTypeCount
                ? string.Create(CultureInfo.InvariantCulture, $"there is no call type {choice} (call types are 0 to {view.CallTypeCount - 1}, or -1 to stay idle)")
                : !view.CallTypesServedBy(group).Contains(choice) ? $"group {group} ({GroupName(group)}) does not serve call type {choice} ({TypeName(choice)})"
                : view.QueueLength(choice) == 0 ? $"call type {choice} ({TypeName(choice)}) has no waiting call"
                : null;
        }
        return wrong is null ? (choice, null) : (-1, Invalid($"its answer {Excerpt(length)} chose {(decision == nameof(SelectGroup) ? "group" : "call type")} {choice.ToString(CultureInfo.InvariantCulture)}: {wrong}"));
    }

    private static Failure Invalid(string reason) => new(RoutingServiceFailure.InvalidAnswer, reason);

    private string GroupName(int g) => g < _setup.Groups.Count ? Printable.Escape(_setup.Groups[g]) : "?";

    private string TypeName(int t) => t < _setup.CallTypes.Count ? Printable.Escape(_setup.CallTypes[t]) : "?";

    private int _choice;

    /// <summary>Reads <c>{"version": 1, "choice": N, "wakeAt": [t, …]}</c> (other members ignored); null when valid,
    /// else what is wrong.</summary>
    private string? Parse(int length)
    {
        var version = false;
        var choice = false;
        try
        {
            var reader = new Utf8JsonReader(_answer.AsSpan(0, length), new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "it is not a JSON object";
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v) || v != RoutingService.ContractVersion)
                    {
                        return $"version must be {RoutingService.ContractVersion}";
                    }
                    version = true;
                }
                else if (reader.ValueTextEquals("choice"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _choice) || _choice < -1)
                    {
                        return "choice must be an integer, -1 or more";
                    }
                    choice = true;
                }
                else if (reader.ValueTextEquals("wakeAt"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return "wakeAt must be an array of times in seconds";
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var t) || !double.IsFinite(t))
                        {
                            return "wakeAt must hold finite times in seconds";
                        }
                        if (_wakeUpCount == RoutingService.MaxWakeUpsPerAnswer)
                        {
                            return $"wakeAt may hold at most {RoutingService.MaxWakeUpsPerAnswer} times";
                        }
                        _wakeUps[_wakeUpCount++] = t;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return "it does not end after its object";
            }
        }
        catch (JsonException ex)
        {
            _wakeUpCount = 0;
            return "malformed JSON: " + ex.Message;
        }
        if (!version || !choice)
        {
            _wakeUpCount = 0;
            return !version ? "version is missing" : "choice is missing";
        }
        return null;
    }

    private sealed record Failure(RoutingServiceFailure Kind, string Reason);
}
