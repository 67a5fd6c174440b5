using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrisisSim.Reporting;

/// <summary>A progress bar for long work (replications, iterations, sweep points …), on standard error and only on a
/// terminal: <c>description ━━━━━━━━━━━━   40 %  4/10 replications  2.31/s  ETA 0:03</c>. Anywhere else (output
/// redirected, a <see cref="StringWriter"/>) it shows nothing and costs nothing, so that logs and tests stay clean.
/// Thread-safe: any thread may report; the bar is redrawn ten times a second. Dispose it before writing anything else
/// to the same stream.</summary>
/// <example><code>
/// using (var progress = ConsoleProgress.Start(error, "covid-hotline", total: 10, unit: "replications"))
/// {
///     await RunAsync(..., new Progress&lt;int&gt;(done => progress.Update(done)));
/// }
/// </code></example>
public sealed class ConsoleProgress : IDisposable, IProgress<long>, IProgress<int>
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task? _rendering;
    private readonly Lock _lock = new();
    private readonly bool _enabled;
    private int _disposed;

    // Read only by the methods that draw: a progress that shows nothing never loads Spectre.Console (the JIT loads the
    // types of the fields a method reads).
    private readonly ProgressContext? _context;
    private ProgressTask? _task;

    private ConsoleProgress()
    {
    }

    private ConsoleProgress(IAnsiConsole console, string description, long total, string unit, TimeProvider? time)
    {
        ProgressTask? task = null;
        ProgressContext? started = null;
        var progress = (time is null ? new Progress(console) : new Progress(console, time))
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = 30 },
                new PercentageColumn(),
                new CountColumn(unit),
                new RateColumn(),
                new EtaColumn());
        // Spectre draws while the callback runs: the callback waits for Dispose.
        _rendering = progress.StartAsync(async context =>
        {
            started = context;
            task = context.AddTask(Escape(description), autoStart: true, maxValue: Math.Max(1, total));
            await _finished.Task.ConfigureAwait(false);
            context.Refresh();
        });
        _task = task ?? throw new InvalidOperationException("The progress display did not start");
        _context = started;
        _enabled = true;
    }

    /// <summary>Whether a bar is shown (false when standard error is not a terminal).</summary>
    public bool Enabled => _enabled;

    /// <summary>A bar on <paramref name="error"/> when it is a terminal (see <see cref="Terminal.IsTerminal"/>); a
    /// progress that shows nothing otherwise.</summary>
    /// <param name="description">What is being done (the scenario's name, "staff: iteration 3/20" …).</param>
    /// <param name="total">Units of work in all (at least 1).</param>
    /// <param name="unit">The unit counted, plural ("replications", "points").</param>
    public static ConsoleProgress Start(TextWriter error, string description, long total, string unit) =>
        Terminal.IsTerminal(error) ? StartOnTerminal(error, description, total, unit) : Disabled;

    /// <summary>Apart, so that a redirected run never loads Spectre.Console.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ConsoleProgress StartOnTerminal(TextWriter error, string description, long total, string unit) =>
        Terminal.RichConsole(error) is { } console && console.Profile.Capabilities.Interactive
            ? new ConsoleProgress(console, description, total, unit, null)
            : Disabled;

    /// <summary>A bar drawn on a console of the caller's (tests: a <c>TestConsole</c> and a fake clock).</summary>
    public static ConsoleProgress Start(IAnsiConsole console, string description, long total, string unit, TimeProvider? time = null) =>
        new(console ?? throw new ArgumentNullException(nameof(console)), description, total, unit, time);

    /// <summary>A progress that shows nothing.</summary>
    public static ConsoleProgress Disabled => new();

    /// <summary>Units done so far (a new total or description when given: the next iteration of a loop …).</summary>
    public void Update(long done, long? total = null, string? description = null)
    {
        if (_enabled && Volatile.Read(ref _disposed) == 0)
        {
            Show(done, total, description);
        }
    }

    /// <summary>Apart, so that a progress that shows nothing never loads Spectre.Console.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Show(long done, long? total, string? description)
    {
        lock (_lock)
        {
            var task = _task!;
            if (done < task.Value)
            {
                // A new step (the next iteration …) starts from 0: a new bar, so that its rate and time left are its own.
                _context!.RemoveTask(task);
                task = _task = _context.AddTask(task.Description, autoStart: true, maxValue: task.MaxValue);
            }
            if (total is { } max)
            {
                task.MaxValue = Math.Max(1, max);
            }
            if (description is not null)
            {
                task.Description = Escape(description);
            }
            task.Value = Math.Clamp(done, 0, task.MaxValue);
        }
    }

    /// <summary>Units done so far.</summary>
    public void Report(long value) => Update(value);

    /// <summary>Units done so far.</summary>
    public void Report(int value) => Update(value);

    /// <summary>Draws the last state and stops (the bar stays on the screen). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_enabled)
        {
            return;
        }
        _finished.TrySetResult();
        _rendering!.GetAwaiter().GetResult();
    }

    /// <summary>Descriptions are Spectre markup: a scenario's name is shown as written.</summary>
    private static string Escape(string text) => Markup.Escape(text);

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>4/10 replications</c>.</summary>
    private sealed class CountColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{Number(task.Value)}/{Number(task.MaxValue)} {unit}");
    }

    /// <summary>Units per second over the last samples: <c>2.31/s</c>.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed && speed > 0 ? Rate(speed) + "/s" : "-/s", new Style(decoration: Decoration.Dim));

        public override int? GetColumnWidth(RenderOptions options) => 9;
    }

    /// <summary>Time left at the current rate: <c>ETA 1:05</c>, <c>ETA 1:02:05</c>.</summary>
    private sealed class EtaColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.IsFinished ? "done" : "ETA " + (task.RemainingTime is { } left ? Duration(left) : "-"));

        public override int? GetColumnWidth(RenderOptions options) => 11;
    }

    /// <summary>Three significant digits or so: <c>0.123</c>, <c>2.31</c>, <c>45.6</c>, <c>1,234</c>.</summary>
    public static string Rate(double perSecond) => perSecond.ToString(
        perSecond >= 100 ? "N0" : perSecond >= 10 ? "F1" : perSecond >= 1 ? "F2" : "F3", CultureInfo.InvariantCulture);

    /// <summary><c>m:ss</c> below an hour, <c>h:mm:ss</c> above.</summary>
    public static string Duration(TimeSpan t)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, t.TotalSeconds));
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }
}
