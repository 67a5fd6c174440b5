using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrisisSim.Scenarios.Tests;

/// <summary>Seeded mutations of every scenario of the library, and a corpus of inputs that once went wrong: each loads into
/// a scenario within <see cref="CrisisSim.Model.Scenario.ScenarioLimits"/> or fails with positioned errors, quickly.</summary>
public sealed partial class FuzzTests : IDisposable
{
    private const int Seed = 20200224;
    /// <summary>Mutations per run: a fixed number, so that what is tested does not depend on the machine's speed or load
    /// (about 15 s of CPU here).</summary>
    private const int Cases = 5_000;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

    private static readonly string[] Numbers =
    [
        "1e308", "-1e308", "1.7976931348623157e308", "1e309", "1e-320", "5e-324", "1e-200", "-0", "0", "-1", "0.0", ".nan", ".inf",
        "-.inf", "NaN", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "100001", "1e9", "0.5", "12500001",
        "1000000", "366d", "7d", "30d", "1e200s", "1e-9m", "0x10", "1_000",
    ];

    private static readonly string[] Keys =
    [
        "name", "interval", "intervals", "warmup", "drain", "serviceLevel", "threshold", "target", "routing", "callTypes", "groups",
        "priority", "arrivals", "callsPerInterval", "callsPerHour", "patience", "handleTime", "serves", "staffing", "dist", "mean",
        "sd", "value", "values", "description", "start", "bogus", "<<", "? x", "onset", "shifts", "end", "operators", "breaks",
        "at", "duration", "shrinkage", "occupancyCap", "costPerHour", "afterCallWork", "activation", "delay", "perHour", "max",
        "learning", "initial", "halfLife", "halfLifeCalls",
    ];

    private static readonly string[] Tokens =
    [
        "-", "- ", ":", ": ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!!int ", "!custom ", "'", "\"", "\n", "\r\n", "\r",
        "  ", "~", "null", "none", "|\n", ">\n", "%YAML 1.2\n", "---\n", "...\n", "\\", "\u00c3\u00a9", "\u00ef\u00bb\u00bf", "? ",
        "{ dist: gamma, mean: 1s, sd: 1e-9 }", "{ dist: lognormal, mean: 5e-324, sd: 5e-324 }", "{ dist: empirical, values: [0] }",
    ];

    private static readonly string[] InvalidUtf8 = ["\u00ff", "\u00c3", "\u00ed\u00a0\u0080", "\u00f8\u0088\u0080\u0080\u0080", "\u0080", "\u00fe\u00ff"];

    /// <summary>What a <c>csv:</c> key may name beside the fuzzed file: a rate table, a file that is none (never quoted),
    /// a folder, a FIFO, a link to /dev/zero, a file over the size limit, nothing.</summary>
    private static readonly string[] CsvFiles = ["rates.csv", "secret.csv", "folder.csv", "fifo.csv", "zero.csv", "huge.csv", "missing.csv", "/dev/zero", "."];

    private const string Secret = "root:x:0:0:hunter2:/root:/bin/bash";

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-fuzz-").FullName;

    public FuzzTests()
    {
        File.WriteAllText(Path.Combine(_dir, "rates.csv"), "time,callsPerHour\n0,100\n2h,50\n");
        File.WriteAllText(Path.Combine(_dir, "secret.csv"), Secret + "\n");
        Directory.CreateDirectory(Path.Combine(_dir, "folder.csv"));
        using (var huge = File.Create(Path.Combine(_dir, "huge.csv")))
        {
            huge.SetLength(CrisisSim.Model.Scenario.ScenarioLimits.MaxFileBytes + 1L);
        }
        if (!OperatingSystem.IsWindows())
        {
            using var mkfifo = Process.Start("mkfifo", Path.Combine(_dir, "fifo.csv"));
            mkfifo.WaitForExit();
            File.CreateSymbolicLink(Path.Combine(_dir, "zero.csv"), "/dev/zero");
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> CorpusFiles() =>
        new(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_file_loads_within_limits_or_fails_where_expected(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Corpus", name);
        var firstLine = File.ReadLines(path, Encoding.Latin1).First();
        var expect = ExpectLine().Match(firstLine);

        var error = Check(path, File.ReadAllBytes(path));

        if (expect.Success && expect.Groups["ok"].Success)
        {
            Assert.Null(error);
        }
        else if (expect.Success)
        {
            Assert.NotNull(error);
            var expected = (int.Parse(expect.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(expect.Groups["column"].Value, CultureInfo.InvariantCulture), expect.Groups["key"].Value);
            Assert.Equal(expected, (error.Line, error.Column, error.Key));
        }
    }

    [Fact]
    public void Seeded_mutations_of_the_library_load_within_limits_or_fail_with_positions()
    {
        var bases = Directory.EnumerateFiles(RepositoryFiles.ScenariosFolder, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f)))
            .ToArray();
        Assert.NotEmpty(bases);
        var random = new Random(Seed);
        var path = Path.Combine(_dir, "fuzz.yaml");
        var clock = Stopwatch.StartNew();
        var cases = 0;
        var loaded = 0;

        while (cases < Cases)
        {
            var text = bases[cases % bases.Length];
            var edits = random.Next(1, 5);
            for (var e = 0; e < edits; e++)
            {
                text = Mutate(text, random);
            }
            var bytes = Encoding.Latin1.GetBytes(text);
            var started = clock.Elapsed;
            string? failure = null;
            try
            {
                if (Check(path, bytes) is null)
                {
                    loaded++;
                }
            }
            catch (Exception ex)
            {
                failure = ex.ToString();
            }
            var took = clock.Elapsed - started;
            if (failure is not null || took > CaseLimit)
            {
                var kept = Path.Combine(Path.GetTempPath(), $"crisissim-fuzz-case-{Seed}-{cases}.yaml");
                File.WriteAllBytes(kept, bytes);
                Assert.Fail($"case {cases} (took {took.TotalSeconds:F1} s) kept in {kept}; add it to tests/CrisisSim.Scenarios.Tests/Corpus/\n{failure}");
            }
            cases++;
        }

        Assert.Equal(Cases, cases);
        Assert.True(loaded > 0, "no mutation loaded: the mutations are too destructive to test the limits of loaded scenarios");
    }

    /// <summary>Loads the bytes as a file: null when the scenario loads (and is within the limits), else its first error.</summary>
    private static ScenarioError? Check(string path, byte[] bytes)
    {
        if (!path.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal))
        {
            File.WriteAllBytes(path, bytes);
        }
        try
        {
            var scenario = ScenarioLoader.LoadFile(path);
            ScenarioAssert.WithinLimits(scenario);
            return null;
        }
        catch (ScenarioException ex)
        {
            Assert.NotEmpty(ex.Errors);
            foreach (var error in ex.Errors)
            {
                // A rate table's own errors name the CSV file beside the scenario.
                Assert.True(error.File == path || error.File.EndsWith(".csv", StringComparison.Ordinal) && Path.GetDirectoryName(error.File) == Path.GetDirectoryName(path),
                    $"error in '{error.File}', expected '{path}'");
                Assert.False(string.IsNullOrEmpty(error.File));
                // Only whole-file errors (unreadable, too large) have no position, and then no key.
                Assert.True(error.Line >= 1 && error.Column >= 1 || error is { Line: 0, Column: 0, Key: "" }, $"no position in '{error}'");
                Assert.False(string.IsNullOrWhiteSpace(error.Reason));
                Assert.DoesNotContain("hunter2", error.Reason, StringComparison.Ordinal);
            }
            return ex.Errors[0];
        }
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var line = random.Next(lines.Count);
        var at = random.Next(text.Length + 1);
        switch (random.Next(15))
        {
            case 13:
                // A rate table from a file of any kind: the existing csv: value or a call type's rate replaced.
                var file = CsvFiles[random.Next(CsvFiles.Length)];
                var csv = CsvValue().Match(text);
                if (csv.Success)
                {
                    return string.Concat(text.AsSpan(0, csv.Groups["file"].Index), file, text.AsSpan(csv.Groups["file"].Index + csv.Groups["file"].Length));
                }
                var rate = RateKey().Match(text);
                return rate.Success ? string.Concat(text.AsSpan(0, rate.Index), "csv: ", file, text.AsSpan(rate.Index + rate.Length)) : text;
            case 0:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 1:
                lines.Insert(random.Next(lines.Count + 1), lines[line]);
                return string.Join('\n', lines);
            case 2:
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 3:
            case 4:
            case 5:
                var numbers = NumberToken().Matches(text);
                if (numbers.Count == 0)
                {
                    return text;
                }
                var number = numbers[random.Next(numbers.Count)];
                return string.Concat(text.AsSpan(0, number.Index), Numbers[random.Next(Numbers.Length)], text.AsSpan(number.Index + number.Length));
            case 6:
                var keys = KeyToken().Matches(text);
                if (keys.Count == 0)
                {
                    return text;
                }
                var key = keys[random.Next(keys.Count)].Groups["key"];
                return string.Concat(text.AsSpan(0, key.Index), Keys[random.Next(Keys.Length)], text.AsSpan(key.Index + key.Length));
            case 7:
                lines[line] = random.Next(2) == 0 ? "\t" + lines[line] : lines[line].Insert(random.Next(lines[line].Length + 1), "\t");
                return string.Join('\n', lines);
            case 8:
                var control = (char)(random.Next(3) == 0 ? 0x7F : random.Next(0x20));
                return text.Insert(at, control.ToString());
            case 9:
                return text.Insert(at, InvalidUtf8[random.Next(InvalidUtf8.Length)]);
            case 10:
                return text[..at];
            case 11:
                var depth = random.Next(10, 100);
                var nested = random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth);
                return text.Insert(at, nested);
            case 12:
                var length = random.Next(2) == 0 ? random.Next(100, 10_000) : random.Next(10_000, 300_000);
                var filler = random.Next(3) switch
                {
                    0 => new string('x', length),
                    1 => "[" + string.Join(",", Enumerable.Repeat("1", length / 2)) + "]",
                    _ => new string('9', length),
                };
                return text.Insert(at, filler);
            default:
                return text.Insert(at, Tokens[random.Next(Tokens.Length)]);
        }
    }

    [GeneratedRegex(@"(?<![\w.])[-+]?\d+(\.\d+)?(e[-+]?\d+)?[smhd]?(?![\w.])")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"csv:\s*(?<file>[^\s,}#]+)")]
    private static partial Regex CsvValue();

    [GeneratedRegex(@"callsPer(Interval|Hour):\s*[^\s,}#]+")]
    private static partial Regex RateKey();

    [GeneratedRegex(@"(?<key>[A-Za-z]+):")]
    private static partial Regex KeyToken();

    [GeneratedRegex(@"^# expect: (?:(?<ok>ok)|(?<line>\d+):(?<column>\d+)(?: (?<key>\S+))?)")]
    private static partial Regex ExpectLine();
}
