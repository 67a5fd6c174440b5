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
}
