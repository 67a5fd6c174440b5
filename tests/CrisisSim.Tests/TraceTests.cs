using System.Globalization;
using CrisisSim.Testing;
using CrisisSim.Traces;

namespace CrisisSim.Tests;

/// <summary><c>crisissim import</c> and <c>crisissim fit</c> on the real month of the Anonymous Bank and on call logs
/// drawn from known parameters.</summary>
public sealed class TraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string January => Path.Combine(Repo.Root, "tests", "data", "anonymous-bank", "january-1999.txt");

    [Fact]
    public async Task Import_of_January_counts_what_an_independent_reading_of_the_file_counts()
    {
        // The independent count: split each line on tabs, as the documentation describes the columns.
        var lines = File.ReadAllLines(January);
        long rows = 0, answered = 0, abandoned = 0, inMessage = 0, phantom = 0, refused = 0;
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Trim().Length > 0))
        {
            rows++;
            var f = line.TrimEnd('\r').Split('\t');
            if (f.Length != 17 || new[] { 8, 11, 15 }.Any(i => !int.TryParse(f[i], out var v) || v < 0))
            {
                refused++;
                continue;
            }
            byType[f[4]] = byType.GetValueOrDefault(f[4]) + 1;
            switch (f[12])
            {
                case "AGENT": answered++; break;
                case "PHANTOM": phantom++; break;
                case "HANG" when f[9] == "0:00:00": inMessage++; break;
                case "HANG": abandoned++; break;
            }
        }
        Assert.Equal(31_599, rows);
        var output = Path.Combine(_dir, "january.csv");
        var (code, o, e) = await CliRun.Run("import", January, "--out", output);
        Assert.True(code == 0, e);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows, {rows - refused:N0} calls imported, {refused:N0} rows that could not be read"), o);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"warning: {refused:N0} rows could not be read"), e);
        Assert.Matches(@"line \d+: vru_time: '-\d+' is not a number of seconds", e);
        var canonical = File.ReadAllLines(output);
        Assert.Equal(CanonicalCsv.Header, canonical[0]);
        Assert.Equal(rows - refused, canonical.Length - 1);
        var outcomes = canonical.Skip(1).Select(l => l.Split(',')[7]).GroupBy(x => x).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(answered, outcomes["answered"]);
        Assert.Equal(abandoned, outcomes["abandoned"]);
        Assert.Equal(inMessage, outcomes["ended-in-message"]);
        Assert.Equal(phantom, outcomes["phantom"]);
        Assert.Equal(byType, new SortedDictionary<string, long>(canonical.Skip(1).GroupBy(l => l.Split(',')[2]).ToDictionary(g => g.Key, g => (long)g.Count()), StringComparer.Ordinal));
        // The canonical CSV reads back as the same calls.
        var again = new TraceReport();
        var back = TraceReader.Read(output, TraceFormat.Csv, again).ToList();
        Assert.Equal(rows - refused, back.Count);
        Assert.Equal(0, again.Malformed);
        Assert.Equal(new DateTime(1999, 1, 1, 0, 0, 31), back[0].Arrival);
    }

    [Fact]
    public async Task A_fused_row_is_listed_with_its_line_and_skipped_or_stops_a_strict_import()
    {
        var head = File.ReadLines(January).Take(4).ToArray();
        var fused = head[2].Replace("\t990101\t", "990101\t", StringComparison.Ordinal); // two fields fused: 16 fields
        var badDate = head[3].Replace("\t990101\t", "\t991301\t", StringComparison.Ordinal);
        var trace = Path.Combine(_dir, "bank.txt");
        File.WriteAllLines(trace, [head[0], head[1], fused, badDate]);
        var (code, _, e) = await CliRun.Run("import", trace, "--out", Path.Combine(_dir, "out.csv"));
        Assert.True(code == 0, e);
        Assert.Contains("line 3: row: 16 fields; expected 17", e);
        Assert.Contains("line 4: date: '991301' is not a date yymmdd", e);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir, "out.csv")).Length);
        var strict = await CliRun.Run("import", trace, "--strict", "--out", Path.Combine(_dir, "strict.csv"));
        Assert.Equal(2, strict.Code);
        Assert.Contains($"{trace}:3: row: 16 fields", strict.Err);
        Assert.False(File.Exists(Path.Combine(_dir, "strict.csv")));
        var notBank = await CliRun.Run("import", Repo.Scenario("covid-hotline.yaml"), "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, notBank.Code);
        Assert.Contains("not an Anonymous Bank header", notBank.Err);
    }

    [Fact]
    public async Task A_csv_with_other_column_names_is_read_through_the_mapping()
    {
        var trace = Path.Combine(_dir, "log.csv");
        File.WriteAllLines(trace,
        [
            "id,start,kind,waited,result,talk",
            "a,2024-03-04T09:00:10,info,12,answered,300",
            "b,2024-03-04T09:01:00,info,40,abandoned,0",
            "c,2024-03-04 09:02:00,info,x,answered,10",
        ]);
        var (code, o, e) = await CliRun.Run("import", trace, "--format", "csv", "--column", "call_id=id", "--column", "arrival=start",
            "--column", "call_type=kind", "--column", "queue_seconds=waited", "--column", "outcome=result", "--column", "handle_seconds=talk",
            "--out", Path.Combine(_dir, "c.csv"));
        Assert.True(code == 0, e);
        Assert.Contains("3 rows, 2 calls imported, 1 rows that could not be read", o);
        Assert.Contains("line 4: queue_seconds: 'x' is not a number of seconds", e);
        Assert.Equal("a,2024-03-04T09:00:10,info,0,,0,12,answered,300,", File.ReadAllLines(Path.Combine(_dir, "c.csv"))[1]);
        var unmapped = await CliRun.Run("import", trace, "--format", "csv", "--out", Path.Combine(_dir, "d.csv"));
        Assert.Equal(2, unmapped.Code);
        Assert.Contains("no column 'arrival'", unmapped.Err);
    }

    [Fact]
    public void Kaplan_Meier_matches_the_worked_example_of_the_6_MP_group()
    {
        // Freireich et al. (1963), the 6-MP group of 21 leukaemia patients (weeks of remission; * censored), as worked in
        // Kaplan-Meier textbooks: S(6) = 0.857, S(7) = 0.807, S(10) = 0.753, S(13) = 0.690, S(16) = 0.627, S(22) = 0.538,
        // S(23) = 0.448.
        (int Time, bool Event)[] data =
        [
            (6, true), (6, true), (6, true), (6, false), (7, true), (9, false), (10, true), (10, false), (11, false), (13, true),
            (16, true), (17, false), (19, false), (20, false), (22, true), (23, true), (25, false), (32, false), (32, false),
            (34, false), (35, false),
        ];
        var day = new DateTime(2024, 3, 4, 10, 0, 0);
        var records = data.Select((d, i) => new TraceRecord(i.ToString(CultureInfo.InvariantCulture), day, "t", 0, "", 0, d.Time,
            d.Event ? TraceOutcome.Abandoned : TraceOutcome.Answered, d.Event ? 0 : 60, d.Event ? "" : "op"));
        var fit = TraceFit.Fit(records, new FitOptions(new HashSet<DayOfWeek> { DayOfWeek.Monday }, 30, []));
        var km = fit.CallTypes.Single().Patience.KaplanMeier.ToDictionary(p => p.Seconds, p => p.Survival);
        foreach (var (t, s) in new[] { (6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627), (22, 0.538), (23, 0.448) })
        {
            Assert.True(Math.Abs(km[t] - s) < 0.0005, $"S({t}) = {km[t]:F4}, expected {s}");
        }
        Assert.Equal(23, fit.CallTypes.Single().Patience.KaplanMeierMedian);
        // The exponential: 9 events over 359 weeks at risk.
        Assert.Equal(359.0 / 9, fit.CallTypes.Single().Patience.ExponentialMean!.Value, 9);
    }

    [Fact]
    public void Fit_recovers_the_parameters_of_a_log_drawn_from_known_ones_within_their_confidence_intervals()
    {
        // 40 weekdays, 20 half hours from 08:00 at 30 calls each (Poisson), lognormal handle time (mu 5, sigma 0.6),
        // exponential patience of mean 240 s against exponential waits of mean 120 s.
        const double Rate = 30, Mu = 5, Sigma = 0.6, Patience = 240, Wait = 120;
        var random = new Random(20240304);
        var records = new List<TraceRecord>();
        var days = 0;
        for (var date = new DateTime(2024, 1, 1); days < 40; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            days++;
            for (var k = 0; k < 20; k++)
            {
                var n = Poisson(random, Rate);
                for (var c = 0; c < n; c++)
                {
                    var arrival = date.AddHours(8).AddMinutes(30 * k + 30 * random.NextDouble());
                    var patience = -Patience * Math.Log(1 - random.NextDouble());
                    var wait = -Wait * Math.Log(1 - random.NextDouble());
                    // Whole seconds, as logs hold them: ceilings keep every wait and talk above 0.
                    var handle = (int)Math.Ceiling(Math.Exp(Mu + Sigma * Normal(random)));
                    records.Add(patience < wait
                        ? new TraceRecord($"{records.Count}", arrival, "info", 0, "", 0, (int)Math.Ceiling(patience), TraceOutcome.Abandoned, 0, "")
                        : new TraceRecord($"{records.Count}", arrival, "info", 0, "", 0, (int)Math.Ceiling(wait), TraceOutcome.Answered, handle, $"op{c % 9}"));
                }
            }
        }
        var weekdays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var fit = TraceFit.Fit(records, new FitOptions(weekdays, 30, []));
        var t = fit.CallTypes.Single();
        Assert.Equal(40, fit.Dates.Count);
        // Rates: the mean over the 20 busy half hours of 40 days, 800 Poisson counts of mean 30: ± 1.96 sqrt(30 / 800).
        var busy = t.CallsPerInterval.Skip(16).Take(20).Average();
        Assert.InRange(busy, Rate - 1.96 * Math.Sqrt(Rate / 800), Rate + 1.96 * Math.Sqrt(Rate / 800));
        Assert.All(t.CallsPerInterval.Take(16).Concat(t.CallsPerInterval.Skip(36)), x => Assert.Equal(0, x));
        // Lognormal: mu ± 1.96 sigma / sqrt(n), sigma ± 1.96 sigma / sqrt(2n); the ceiling to whole seconds shifts mu by
        // less than half a second in ~150 s (0.003), inside the tolerance's margin.
        var h = t.HandleTime!;
        Assert.InRange(h.Mu, Mu - 1.96 * Sigma / Math.Sqrt(h.N) + 0.0, Mu + 1.96 * Sigma / Math.Sqrt(h.N) + 0.006);
        Assert.InRange(h.Sigma, Sigma - 1.96 * Sigma / Math.Sqrt(2 * h.N), Sigma + 1.96 * Sigma / Math.Sqrt(2 * h.N));
        // Patience: its 95 % chi-square interval holds the true mean (the ceiling adds at most 1 s per queued call to
        // the exposure, 0.4 % of it).
        var (low, high) = t.Patience.ExponentialMeanInterval!.Value;
        Assert.InRange(Patience, low, high * 1.005);
        // No over-dispersion was drawn: with Poisson daily totals the fit finds none or a large alpha.
        Assert.True(fit.BusynessAlpha is null or > 20, $"alpha {fit.BusynessAlpha}");
    }

    [Fact]
    public async Task The_scenario_fitted_from_January_is_valid_and_says_where_each_value_came_from()
    {
        var output = Path.Combine(_dir, "weekdays.yaml");
        var (code, o, e) = await CliRun.Run("fit", January, "--out", output);
        Assert.True(code == 0, e);
        Assert.Contains("19 days fitted", o);
        var text = File.ReadAllText(output);
        Assert.Contains("# Patience: ", text);
        Assert.Contains("Kolmogorov-Smirnov D = ", text);
        Assert.Contains("Kaplan-Meier median", text);
        Assert.Contains("busyness:", text);
        if (RequiredComponents.MissingFonts is null)
        {
            Assert.True(File.Exists(Path.Combine(_dir, "fitted-january-1999-fit-charts", "charts", "qq-handle-time-PS.png")));
        }
        var validate = await CliRun.Run("validate", output);
        Assert.True(validate.Code == 0, validate.Err);
        var friday = await CliRun.Run("fit", January, "--days", "fri", "--interval", "60", "--out", Path.Combine(_dir, "friday.yaml"));
        Assert.True(friday.Code == 0, friday.Err);
        Assert.Contains("intervals: 24", File.ReadAllText(Path.Combine(_dir, "friday.yaml")));
        foreach (var bad in new[] { new[] { "--interval", "7" }, ["--days", "funday"], ["--types", "a b"] })
        {
            var refused = await CliRun.Run(["fit", January, .. bad, "--out", Path.Combine(_dir, "bad.yaml")]);
            Assert.Equal(2, refused.Code);
        }
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var n = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            n++;
        }
        return n;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary><c>crisissim replay</c>: the fitted January beside the log, and a what-if.</summary>
public sealed class ReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string January => Path.Combine(Repo.Root, "tests", "data", "anonymous-bank", "january-1999.txt");

    [Fact]
    public async Task Replay_puts_the_fitted_weekday_beside_the_log_hour_by_hour_and_a_what_if_moves_it()
    {
        var scenario = Path.Combine(_dir, "weekday.yaml");
        Assert.Equal(0, (await CliRun.Run("fit", January, "--interval", "60", "--out", scenario)).Code);
        var (code, o, e) = await CliRun.Run("replay", January, "--scenario", scenario, "-r", "8", "--host", "threads", "--out", Path.Combine(_dir, "base"));
        Assert.True(code == 0, e);
        Assert.Contains("against 19 days of january-1999.txt", o);
        Assert.Matches(@"Largest abandonment gap from 09:00 to 18:00: \d+\.\d points", o);
        var csv = File.ReadAllLines(Directory.GetFiles(Path.Combine(_dir, "base"), "replay.csv", SearchOption.AllDirectories).Single());
        Assert.Equal(string.Join(',', CrisisSim.Reporting.Planning.ReplayReport.Columns), csv[0]);
        Assert.Equal(25, csv.Length);
        var page = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Directory.GetFiles(Path.Combine(_dir, "base"), "replay.csv", SearchOption.AllDirectories).Single())!, "report.html"));
        Assert.Contains("Model-driven replay", page);
        Assert.Contains("Largest abandonment gap from 09:00 to 18:00", page);
        if (RequiredComponents.MissingFonts is null)
        {
            Assert.Single(Directory.GetFiles(Path.Combine(_dir, "base"), "replay-abandonment.png", SearchOption.AllDirectories));
            Assert.Equal(3, page.Split("src=\"data:image/svg+xml;base64,").Length - 1);
        }
        // The observed offered calls of 10:00-11:00, counted here from the log: PS and PE calls (not phantom) on the 19
        // Sunday-to-Thursday days, over 19.
        var count = File.ReadLines(January).Skip(1).Select(l => l.Split('\t')).Count(f => f.Length == 17
            && f[4] is "PS" or "PE" && f[12] != "PHANTOM" && int.TryParse(f[8], out var v) && v >= 0
            && new DateTime(1900 + int.Parse(f[5][..2], CultureInfo.InvariantCulture), int.Parse(f[5][2..4], CultureInfo.InvariantCulture), int.Parse(f[5][4..], CultureInfo.InvariantCulture)).DayOfWeek is not (DayOfWeek.Friday or DayOfWeek.Saturday)
            && f[6].Split(':')[0] == "10");
        var row10 = csv[11].Split(',');
        Assert.Equal("10:00", row10[1]);
        Assert.Equal(count / 19.0, double.Parse(row10[2], CultureInfo.InvariantCulture), 9);
        // What if two operators fewer all day: simulated abandonment goes up.
        var fewer = await CliRun.Run("replay", January, "--scenario", scenario, "-r", "8", "--host", "threads", "--set", "groups.agents.staffing=3", "--out", Path.Combine(_dir, "fewer"));
        Assert.True(fewer.Code == 0, fewer.Err);
        Assert.Contains("with groups.agents.staffing=3", fewer.Out);
        double Abandonment(string folder) => File.ReadAllLines(Directory.GetFiles(folder, "replay.csv", SearchOption.AllDirectories).Single())
            .Skip(10).Take(8).Select(l => double.Parse(l.Split(',')[9], CultureInfo.InvariantCulture)).Average();
        Assert.True(Abandonment(Path.Combine(_dir, "fewer")) > Abandonment(Path.Combine(_dir, "base")) + 0.05);
        // Trace-driven: the recorded calls of each of the 19 days, so the simulated offered calls are the observed ones.
        var driven = await CliRun.Run("replay", January, "--scenario", scenario, "-r", "3", "--host", "threads", "--trace-driven", "--out", Path.Combine(_dir, "driven"));
        Assert.True(driven.Code == 0, driven.Err);
        Assert.Contains("(the recorded calls of 19 days)", driven.Out);
        Assert.Contains("Trace-driven replay: the recorded calls of each of 19 days of the log", File.ReadAllText(
            Directory.GetFiles(Path.Combine(_dir, "driven"), "report.html", SearchOption.AllDirectories).Single()));
        foreach (var line in File.ReadAllLines(Directory.GetFiles(Path.Combine(_dir, "driven"), "replay.csv", SearchOption.AllDirectories).Single()).Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture), 9);
            Assert.Equal("0", f[4]);
        }
        // The recorded arrivals travel to the grains: the default host (replication grains on the embedded silo) writes the same file.
        var onSilo = await CliRun.Run("replay", January, "--scenario", scenario, "-r", "3", "--trace-driven", "--out", Path.Combine(_dir, "silo"));
        Assert.True(onSilo.Code == 0, onSilo.Err);
        Assert.Equal(File.ReadAllBytes(Directory.GetFiles(Path.Combine(_dir, "driven"), "replay.csv", SearchOption.AllDirectories).Single()),
            File.ReadAllBytes(Directory.GetFiles(Path.Combine(_dir, "silo"), "replay.csv", SearchOption.AllDirectories).Single()));
        var notADay = await CliRun.Run("replay", January, "--scenario", Repo.Scenario("covid-hotline.yaml"), "--out", _dir);
        Assert.Equal(2, notADay.Code);
        Assert.Contains("replay compares one day from 00:00", notADay.Err);
    }
}
