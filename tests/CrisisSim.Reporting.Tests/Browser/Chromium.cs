using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CrisisSim.Reporting.Tests.Browser;

/// <summary>What a page showed in a real browser: messages of the console and of the browser, requests that left the
/// machine's files, and the value of a script evaluated in the page once it had loaded.</summary>
public sealed record PageCheck(IReadOnlyList<string> Errors, IReadOnlyList<string> Requests, JsonNode? Evaluated);

/// <summary>Headless Chromium driven through the DevTools protocol over a WebSocket (no driver, no package): a page is
/// opened, its console errors, uncaught exceptions, browser log errors (failed loads, blocked requests) and network
/// requests are collected, and a script is evaluated in it once loaded.</summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>An environment variable naming the browser executable, when it is not <c>chromium</c> on the PATH.</summary>
    public const string ExecutableVariable = "CRISISSIM_CHROMIUM";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _stderr = new();
    private Task? _reader;
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser to run: <see cref="ExecutableVariable"/>, else the first of chromium, chromium-browser,
    /// google-chrome on the PATH; null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } named)
        {
            return named;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    public static async Task<Chromium> StartAsync(string executable)
    {
        var profile = Directory.CreateTempSubdirectory("crisissim-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update", "--mute-audio",
            "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var browser = new Chromium(process, profile);
        process.ErrorDataReceived += (_, e) => browser.KeepStderr(e.Data);
        process.OutputDataReceived += (_, e) => browser.KeepStderr(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_stderr)
        {
            if (_stderr.Length < 20_000)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    /// <summary>Connects to the browser's DevTools endpoint, whose port and path Chromium writes to DevToolsActivePort
    /// in its profile folder once it listens.</summary>
    private async Task ConnectAsync()
    {
        var file = Path.Combine(_profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        string[] lines = [];
        while (lines.Length < 2)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the browser exited with code {_process.ExitCode} before listening:\n{Stderr()}");
            }
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"the browser did not open its DevTools port within {Timeout.TotalSeconds} s:\n{Stderr()}");
            }
            await Task.Delay(50);
            try
            {
                lines = File.Exists(file) ? File.ReadAllLines(file) : [];
            }
            catch (IOException)
            {
                lines = [];
            }
        }
        using var connect = new CancellationTokenSource(Timeout);
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), connect.Token);
        _reader = Task.Run(ReadAsync);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiter))
                {
                    waiter.TrySetResult(node);
                }
                else if (node["method"] is not null)
                {
                    _events.Writer.TryWrite(node);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The browser closed or the check ended.
        }
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, string? session = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (session is not null)
        {
            request["sessionId"] = session;
        }
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var response = await waiter.Task.WaitAsync(Timeout);
        if (response["error"] is { } error)
        {
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        }
        return response["result"]?.AsObject() ?? [];
    }

    /// <summary>Opens a page in a new tab, waits for its load event (images decoded), then evaluates
    /// <paramref name="expression"/> (which returns a JSON string) in it.</summary>
    public async Task<PageCheck> CheckAsync(Uri page, string expression)
    {
        var target = (await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }))["targetId"]!.GetValue<string>();
        var session = (await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }))["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Network.enable", "Page.enable" })
        {
            await SendAsync(domain, session: session);
        }
        var errors = new List<string>();
        var requests = new List<string>();
        await SendAsync("Page.navigate", new JsonObject { ["url"] = page.AbsoluteUri }, session);
        using (var deadline = new CancellationTokenSource(Timeout))
        {
            try
            {
                while (!Collect(await _events.Reader.ReadAsync(deadline.Token), session, errors, requests))
                {
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{page} did not load within {Timeout.TotalSeconds} s");
            }
        }
        var evaluated = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, session);
        if (evaluated["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException("the check script failed: " + exception.ToJsonString());
        }
        // Messages logged while the page finished loading arrive just after: give them a moment.
        await Task.Delay(200);
        while (_events.Reader.TryRead(out var e))
        {
            Collect(e, session, errors, requests);
        }
        await SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = target });
        var value = evaluated["result"]?["value"]?.GetValue<string>();
        return new PageCheck(errors, requests, value is null ? null : JsonNode.Parse(value));
    }

    /// <summary>Records what an event says about the page; true on its load event.</summary>
    private static bool Collect(JsonObject e, string session, List<string> errors, List<string> requests)
    {
        if (e["sessionId"]?.GetValue<string>() != session)
        {
            return false;
        }
        var p = e["params"];
        switch (e["method"]!.GetValue<string>())
        {
            case "Page.loadEventFired":
                return true;
            case "Runtime.consoleAPICalled" when p!["type"]!.GetValue<string>() is "error" or "assert":
                errors.Add("console: " + string.Join(' ', p["args"]!.AsArray().Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString())));
                break;
            case "Runtime.exceptionThrown":
                errors.Add("exception: " + p!["exceptionDetails"]!.ToJsonString());
                break;
            case "Log.entryAdded" when p!["entry"]!["level"]!.GetValue<string>() == "error":
                errors.Add($"browser ({p["entry"]!["source"]}): {p["entry"]!["text"]} {p["entry"]!["url"]}");
                break;
            case "Network.requestWillBeSent":
                var url = p!["request"]!["url"]!.GetValue<string>();
                if (!url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("file:", StringComparison.Ordinal) && url != "about:blank")
                {
                    requests.Add(url);
                }
                break;
            case "Network.loadingFailed":
                errors.Add($"load failed: {p!["errorText"]}{(p["blockedReason"] is { } reason ? $" (blocked: {reason})" : "")}");
                break;
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var id = Interlocked.Increment(ref _nextId);
                var close = new JsonObject { ["id"] = id, ["method"] = "Browser.close", ["params"] = new JsonObject() };
                await _socket.SendAsync(Encoding.UTF8.GetBytes(close.ToJsonString()), WebSocketMessageType.Text, true, quick.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Killed below.
        }
        await _stop.CancelAsync();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        if (_reader is not null)
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A file the browser still held: the temporary folder stays.
        }
    }
}
