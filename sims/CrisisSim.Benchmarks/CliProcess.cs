using System.Diagnostics;

namespace CrisisSim.Benchmarks;

/// <summary>One whole <c>crisissim</c> process of a bench command: started, its output drained, waited for, timed.</summary>
internal static class CliProcess
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="args"/> (and <paramref name="environment"/> added)
    /// to its end and returns its wall time and output; a non-zero exit code throws, with what it wrote.</summary>
    public static (double Wall, string Output) Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"crisissim exited {process.ExitCode}: {error.Result}{output.Result}");
        }
        return (seconds, output.Result);
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>"median M s (min A, max B)", invariant culture.</summary>
    public static string Describe(IReadOnlyCollection<double> seconds) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"median {Median(seconds):F2} s (min {seconds.Min():F2}, max {seconds.Max():F2})");
}
