using System.Diagnostics;
using CrisisSim.Cli;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Seeded random command lines (and a corpus of lines that once failed) against the whole CLI, in process:
/// every one ends with exit code 0, 1 or 2, a message and no stack trace, and quickly.</summary>
public sealed class CommandLineFuzzTests : IDisposable
{
    /// <summary>Random command lines per run: a fixed number, so that what is tested does not depend on the machine's
    /// speed or load (about 8 s of CPU here).</summary>
    private const int Cases = 4_000;

    private readonly Xunit.Abstractions.ITestOutputHelper _log;
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-fuzz-").FullName;
    private readonly string _tiny;
    private readonly string _bad;
    private int _outputs;

    public CommandLineFuzzTests(Xunit.Abstractions.ITestOutputHelper log)
    {
        _log = log;
        _tiny = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(_tiny, """
            name: tiny
            interval: 10m
            intervals: 1
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 10 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 2 }
            """);
        _bad = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(_bad, "name: bad\ninterval: 30m\nintervals: [\n");
        _contract = Path.Combine(_dir, "contract.yaml");
        File.WriteAllText(_contract, "committed: { costPerHour: 30 }\npenalty: { perInterval: 10 }\n");
        _rates = Path.Combine(_dir, "rates.yaml");
        File.WriteAllText(_rates, File.ReadAllText(_tiny).Replace("name: tiny", "name: rates").Replace("{ callsPerInterval: 10 }", "{ csv: rates.csv }"));
        File.WriteAllText(Path.Combine(_dir, "rates.csv"), "time,callsPerHour\n0,60\n");
        // Paths that are not regular files: a command must refuse each at once, never wait on it or read it whole.
        _special = Path.Combine(_dir, "special");
        Directory.CreateDirectory(_special);
        _fifo = Path.Combine(_special, "fifo");
        _zero = Path.Combine(_special, "zero");
        if (!OperatingSystem.IsWindows())
        {
            using var mkfifo = Process.Start("mkfifo", _fifo);
            mkfifo.WaitForExit();
            File.CreateSymbolicLink(_zero, "/dev/zero");
        }
    }

    private readonly string _contract;
    private readonly string _rates;
    private readonly string _special;
    private readonly string _fifo;
    private readonly string _zero;

    /// <summary>Result folders for compare: a real run, and copies whose summary.json or replications.csv is a FIFO, a
    /// link to /dev/zero, a folder or an edited file.</summary>
    private readonly List<string> _results = [];

    private async Task MakeResults()
    {
        var run = Path.Combine(_dir, "results");
        var (code, _, error) = await CliRun.Run("run", _tiny, "-r", "2", "--host", "threads", "--format", "summary", "--out", run);
        Assert.True(code == 0, error);
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(run, "tiny")));
        _results.Add(folder);
        foreach (var file in new[] { "summary.json", "replications.csv" })
        {
            foreach (var kind in OperatingSystem.IsWindows() ? ["folder", "edited"] : new[] { "fifo", "zero", "folder", "edited" })
            {
                var copy = Path.Combine(_dir, $"results-{kind}-{file}");
                Directory.CreateDirectory(copy);
                foreach (var f in Directory.GetFiles(folder))
                {
                    File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
                }
                var path = Path.Combine(copy, file);
                File.Delete(path);
                switch (kind)
                {
                    case "fifo":
                        using (var mkfifo = Process.Start("mkfifo", path))
                        {
                            mkfifo.WaitForExit();
                        }
                        break;
                    case "zero":
                        File.CreateSymbolicLink(path, "/dev/zero");
                        break;
                    case "folder":
                        Directory.CreateDirectory(path);
                        break;
                    default:
                        var text = File.ReadAllText(Path.Combine(folder, file));
                        File.WriteAllText(path, file == "summary.json" ? text.Replace("\"mean\": 0.", "\"mean\": 1e300, \"x\": 0.") : text.Replace("\n1,", "\n1,9"));
                        break;
                }
                _results.Add(copy);
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_corpus_of_command_lines_that_once_failed()
    {
        await MakeResults();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "command-lines.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'));
        foreach (var line in lines)
        {
            await Check(line.Split('\t').Select(Resolve).ToArray());
        }
    }

    [Fact]
    public async Task Thousands_of_random_command_lines()
    {
        await MakeResults();
        var random = new Random(20261128);
        var clock = Stopwatch.StartNew();
        var codes = new Dictionary<int, int>();
        var cases = 0;
        for (; cases < Cases; cases++)
        {
            var code = await Check(Generate(random));
            codes[code] = codes.GetValueOrDefault(code) + 1;
        }
        _log.WriteLine($"{cases} command lines in {clock.Elapsed.TotalSeconds:F1} s; exit codes: {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"))}");
        // The generator must reach real runs, not only parse errors.
        Assert.True(codes.GetValueOrDefault(0) >= cases / 20, $"only {codes.GetValueOrDefault(0)} of {cases} command lines succeeded");
    }

    private string Resolve(string token) => token switch
    {
        "TINY" => _tiny,
        "BAD" => _bad,
        "DIR" => _dir,
        "FIFO" => _fifo,
        "ZERO" => _zero,
        "SPECIAL" => _special,
        "CONTRACT" => _contract,
        "RATES" => _rates,
        "RESULTS" => _results[0],
        "OUT" => Path.Combine(_dir, "out" + Interlocked.Increment(ref _outputs)),
        _ => token,
    };

    private static readonly string[] Commands = ["run", "run", "run", "validate", "erlang", "erlang", "help", "list", "schema", "frobnicate", "", "--version", "-h", "staff", "sweep", "size", "compare", "compare"];

    private static readonly string[] Planning = ["run", "staff", "sweep", "size"];

    private static readonly string[] Options =
    [
        "--seed", "-s", "--replications", "-r", "--out", "-o", "--intervals", "--calls", "--parallelism", "--engine", "--host", "--grains",
        "--calls", "--aht", "--agents", "--interval", "--threshold", "--patience", "--target", "--json", "--nope", "-", "--",
        "--format", "-f",
        "--group", "--set", "--seats", "--on-demand", "--target-sl", "--max-abandon", "--max-asa", "--check", "--risk", "--contract",
        "--max-iterations", "--penalty", "--contract", "--threshold", "--alpha", "--significant-only",
    ];

    private string[] Values() =>
    [
        "", " ", "0", "-0", "1", "2", "3", "-1", "1e308", "-1e308", "NaN", "Infinity", "abc", "2147483647", "-2147483648",
        "99999999999999999999", "1.5", "0.999", "0x10", "1,5", "∞", "\u0000", new string('9', 400), "inline", "grains", "silo", "threads", "replication", "components",
        "process", _tiny, _tiny, _bad, _dir, Path.Combine(_dir, "missing.yaml"), "/dev/null", "/dev/zero", "OUT",
        "summary", "charts,report", "all", "summary,,calls", ",", "pdf",
        "agents", "groups.agents.staffing=1..3", "groups.agents.staffing=[1]", "groups.agents.staffing=1..99999", "x=1", "a..b", "30s",
        "groups.agents.staffing=1..10:-1", "groups.agents.staffing=1..1e9:1", "service_level>-2pp", "asa<10%",
        _fifo, _zero, _special, _contract, _rates, Path.Combine(_fifo, "below"), .. _results,
    ];

    private string[] Generate(Random random)
    {
        var values = Values();
        var args = new List<string> { Commands[random.Next(Commands.Length)] };
        if (args[0] is "run" or "validate" or "staff" or "sweep" or "size" && random.Next(5) > 0)
        {
            args.Add(random.Next(4) == 0 ? values[random.Next(values.Length)] : random.Next(8) == 0 ? _rates : _tiny);
        }
        if (args[0] == "compare")
        {
            // Mostly result folders (real or spoiled), so that most lines reach the files.
            for (var i = 0; i < 2 && random.Next(8) > 0; i++)
            {
                args.Add(random.Next(4) == 0 ? values[random.Next(values.Length)] : _results[random.Next(_results.Count)]);
            }
        }
        for (var i = random.Next(7); i > 0; i--)
        {
            args.Add(random.Next(3) == 0 ? values[random.Next(values.Length)] : Options[random.Next(Options.Length)]);
            if (random.Next(4) > 0)
            {
                args.Add(values[random.Next(values.Length)]);
            }
        }
        if (args[0] is "sweep" or "size" && random.Next(3) > 0)
        {
            args.AddRange([args[0] == "sweep" ? "--set" : "--seats", "groups.agents.staffing=1..3"]);
        }
        if (Planning.Contains(args[0]))
        {
            // Valid runs stay small: without an explicit host, on local threads (a silo start costs half a second), and
            // at most a few replications where grains would carry them.
            if (!args.Contains("--host") && random.Next(40) > 0)
            {
                args.AddRange(["--host", "threads"]);
            }
            // Charts take a tenth of a second a run: most runs write the plain files only.
            if (!args.Contains("--format") && !args.Contains("-f") && random.Next(10) > 0)
            {
                args.AddRange(["--format", "summary,intervals"]);
            }
            if (!args.Contains("--out") && !args.Contains("-o"))
            {
                args.AddRange(["--out", "OUT"]);
            }
            if (args[0] != "run" || !args.Contains("--host") || args.Contains("silo") || args.Contains("grains") || args.Contains("components"))
            {
                for (var i = 0; i + 1 < args.Count; i++)
                {
                    if (args[i] is "-r" or "--replications" && int.TryParse(args[i + 1], out var r) && r > 3)
                    {
                        args[i + 1] = "3";
                    }
                }
            }
        }
        return [.. args.Select(Resolve)];
    }

    private static async Task<int> Check(string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = await CliApp.InvokeAsync(args, o, e);
        }
        catch (Exception ex)
        {
            Assert.Fail($"crisissim {Show(args)} threw {ex}");
            return -1;
        }
        var text = o + "\n" + e;
        Assert.True(code is 0 or 1 or 2, $"crisissim {Show(args)} exited {code}: {e}");
        Assert.False(text.Contains("   at ", StringComparison.Ordinal), $"crisissim {Show(args)} printed a stack trace: {text}");
        Assert.True(code == 0 || e.ToString().Trim().Length > 0, $"crisissim {Show(args)} failed with no message");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"crisissim {Show(args)} took {clock.Elapsed}");
        return code;
    }

    private static string Show(string[] args) => string.Join(' ', args.Select(a => a.Length > 60 ? a[..60] + "…" : $"'{a}'"));
}
