using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;

namespace CrisisSim.Reporting.Tests;

/// <summary>Every entry of <see cref="KpiCatalog"/>: its name, console label, unit and place, the positional constants
/// that index it, and its way through the exporters (<c>summary.json</c>, <c>intervals.csv</c>,
/// <c>replications.csv</c>, <c>sweep.csv</c>, <c>sweep.json</c>, <c>compare</c>) and back.</summary>
public sealed class KpiCatalogTests : IClassFixture<KpiCatalogTests.JourneyRun>, IDisposable
{
    /// <summary>A run of the scenario with lines, balking, redials and transfers, so that most mechanisms have values.</summary>
    public sealed class JourneyRun
    {
        public ReportRun Fixture { get; } = new("covid-hotline-journey.yaml");
    }

    private readonly ReportRun _fixture;
    private readonly TempFolder _temp = new();

    public KpiCatalogTests(JourneyRun run) => _fixture = run.Fixture;

    public void Dispose() => _temp.Dispose();

    private const KpiFormat N = KpiFormat.Count;
    private const KpiFormat S = KpiFormat.Seconds;
    private const KpiFormat R = KpiFormat.Ratio;

    /// <summary>The catalog in output order: name, console label, unit, and the KPI whose positive mean shows it (null:
    /// always shown). A new KPI is a new line here, at its place.</summary>
    private static readonly (string Name, string Label, KpiFormat Format, string? ShownWhen)[] Expected =
    [
        ("offered", "offered", N, null),
        ("answered", "answered", N, null),
        ("abandoned", "abandoned", N, null),
        ("unserved", "unserved at close", N, "unserved"),
        ("service_level", "service level ({threshold})", R, null),
        ("asa", "average speed of answer", S, null),
        ("mean_wait", "mean wait (all calls)", S, null),
        ("p90_wait", "90th percentile wait", S, null),
        ("abandonment_rate", "abandonment rate", R, null),
        ("aht", "average handle time", S, null),
        ("max_queue", "max queue (mean of each replication's max)", N, null),
        ("blocked", "blocked (busy signal)", N, "blocked"),
        ("blocking_rate", "blocking rate", R, "blocked"),
        ("deflected", "deflected (IVR)", N, "deflected"),
        ("deflection_rate", "deflection rate", R, "deflected"),
        ("balked", "balked", N, "balked"),
        ("balking_rate", "balking rate", R, "balked"),
        ("redial_attempts", "redial attempts", N, "redial_attempts"),
        ("unique_callers", "unique callers", N, "redial_attempts"),
        ("callers_served_share", "callers finally served", R, "redial_attempts"),
        ("closed", "closed (outside hours)", N, "closed"),
        ("closed_rate", "closed rate", R, "closed"),
        ("callbacks_offered", "callbacks offered", N, "callbacks_offered"),
        ("callbacks_accepted", "callbacks accepted", N, "callbacks_offered"),
        ("callbacks_in_time", "callbacks made in time", N, "callbacks_offered"),
        ("callbacks_late", "callbacks made late", N, "callbacks_offered"),
        ("callbacks_missed", "callbacks never made", N, "callbacks_offered"),
        ("transfers_out", "transferred on", N, "transfers_out"),
        ("transfers_in", "transferred in", N, "transfers_out"),
        ("outbound_created", "outbound calls to make", N, "outbound_created"),
        ("outbound_in_time", "outbound made in time", N, "outbound_created"),
        ("outbound_late", "outbound made late", N, "outbound_created"),
        ("outbound_missed", "outbound never made", N, "outbound_created"),
        ("outbound_unreached", "outbound not answered", N, "outbound_unreached"),
        ("outbound_in_time_rate", "outbound in-time rate", R, "outbound_created"),
        ("outbound_aht", "outbound handle time", S, "outbound_created"),
        ("p50_wait", "median wait", S, null),
        ("p95_wait", "95th percentile wait", S, null),
    ];

    /// <summary>Every positional constant of the catalog and the KPI it indexes.</summary>
    private static readonly Dictionary<string, string> Constants = new(StringComparer.Ordinal)
    {
        [nameof(KpiCatalog.Offered)] = "offered",
        [nameof(KpiCatalog.Answered)] = "answered",
        [nameof(KpiCatalog.Abandoned)] = "abandoned",
        [nameof(KpiCatalog.Unserved)] = "unserved",
        [nameof(KpiCatalog.ServiceLevel)] = "service_level",
        [nameof(KpiCatalog.AverageSpeedOfAnswer)] = "asa",
        [nameof(KpiCatalog.MeanWait)] = "mean_wait",
        [nameof(KpiCatalog.P90Wait)] = "p90_wait",
        [nameof(KpiCatalog.AbandonmentRate)] = "abandonment_rate",
        [nameof(KpiCatalog.AverageHandleTime)] = "aht",
        [nameof(KpiCatalog.MaxQueueLength)] = "max_queue",
        [nameof(KpiCatalog.Blocked)] = "blocked",
        [nameof(KpiCatalog.BlockingRate)] = "blocking_rate",
        [nameof(KpiCatalog.Deflected)] = "deflected",
        [nameof(KpiCatalog.DeflectionRate)] = "deflection_rate",
        [nameof(KpiCatalog.Balked)] = "balked",
        [nameof(KpiCatalog.BalkingRate)] = "balking_rate",
        [nameof(KpiCatalog.RedialAttempts)] = "redial_attempts",
        [nameof(KpiCatalog.UniqueCallers)] = "unique_callers",
        [nameof(KpiCatalog.CallersServedShare)] = "callers_served_share",
        [nameof(KpiCatalog.Closed)] = "closed",
        [nameof(KpiCatalog.ClosedRate)] = "closed_rate",
        [nameof(KpiCatalog.CallbacksOffered)] = "callbacks_offered",
        [nameof(KpiCatalog.TransfersOut)] = "transfers_out",
        [nameof(KpiCatalog.OutboundCreated)] = "outbound_created",
        [nameof(KpiCatalog.P50Wait)] = "p50_wait",
        [nameof(KpiCatalog.P95Wait)] = "p95_wait",
        [nameof(KpiCatalog.OutboundUnreached)] = "outbound_unreached",
    };

    private static string[] ExpectedNames => [.. Expected.Select(e => e.Name)];

    [Fact]
    public void Every_entry_has_its_name_label_unit_and_place()
    {
        Assert.Equal(Expected.Length, KpiCatalog.All.Count);
        for (var i = 0; i < Expected.Length; i++)
        {
            var (name, label, format, shownWhen) = Expected[i];
            var d = KpiCatalog.All[i];
            Assert.Equal((name, label, format), (d.Name, d.Label, d.Format));
            Assert.Equal(shownWhen, d.ShownWhenPositive < 0 ? null : KpiCatalog.All[d.ShownWhenPositive].Name);
        }
    }

    [Fact]
    public void Names_are_the_catalog_in_order_distinct_and_snake_case()
    {
        Assert.Equal(ExpectedNames, KpiCatalog.Names);
        Assert.Equal(ExpectedNames, KpiValues.Names);
        Assert.Equal(ExpectedNames.Length, ExpectedNames.Distinct(StringComparer.Ordinal).Count());
        Assert.All(KpiCatalog.Names, n => Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", n));
    }

    [Fact]
    public void Every_positional_constant_indexes_the_KPI_it_is_named_for()
    {
        var fields = typeof(KpiCatalog).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(int)).ToList();
        Assert.Equal(Constants.Keys.Order(StringComparer.Ordinal), fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var field in fields)
        {
            var index = (int)field.GetRawConstantValue()!;
            Assert.InRange(index, 0, KpiCatalog.All.Count - 1);
            Assert.Equal(Constants[field.Name], KpiCatalog.All[index].Name);
        }
        Assert.Equal(fields.Count, fields.Select(f => f.GetRawConstantValue()).Distinct().Count());
    }

    [Fact]
    public void Every_value_has_the_range_of_its_unit()
    {
        var overall = _fixture.Run.Overall.Scalars;
        Assert.Equal(Expected.Length, overall.Count);
        for (var i = 0; i < Expected.Length; i++)
        {
            var mean = overall[i].Mean;
            if (double.IsNaN(mean))
            {
                continue;
            }
            if (Expected[i].Format == KpiFormat.Ratio)
            {
                Assert.InRange(mean, 0, 1);
            }
            else
            {
                Assert.True(mean >= 0, $"{Expected[i].Name}: {mean}");
            }
        }
        // The scenario uses these mechanisms: their KPIs are defined and positive, so the round trips below carry values.
        foreach (var used in new[] { "offered", "answered", "service_level", "asa", "blocked", "balked", "redial_attempts", "transfers_out", "transfers_in" })
        {
            Assert.True(_fixture.Run.Overall[used].Mean > 0, used);
        }
    }

    [Fact]
    public void Summary_json_writes_every_KPI_in_order_and_reads_back_the_same_estimates()
    {
        var target = ExportTables();
        using var document = JsonDocument.Parse(File.ReadAllBytes(target.PathOf(SummaryJson.FileName)));
        var overall = document.RootElement.GetProperty("overall");
        Assert.Equal(ExpectedNames, overall.EnumerateObject().Take(ExpectedNames.Length).Select(p => p.Name));
        for (var i = 0; i < ExpectedNames.Length; i++)
        {
            AssertSame(_fixture.Run.Overall.Scalars[i], Read(overall.GetProperty(ExpectedNames[i])), ExpectedNames[i]);
        }

        var summary = RunSummary.Load(target.Folder);
        for (var i = 0; i < ExpectedNames.Length; i++)
        {
            AssertSame(_fixture.Run.Overall.Scalars[i], summary.Overall[ExpectedNames[i]], ExpectedNames[i]);
            foreach (var interval in _fixture.Run.Intervals)
            {
                AssertSame(interval.Kpis.Scalars[i], summary.Intervals[interval.Index].Kpis[ExpectedNames[i]], $"{ExpectedNames[i]} interval {interval.Index}");
            }
            for (var t = 0; t < _fixture.Run.Scenario.CallTypes.Count; t++)
            {
                var type = _fixture.Run.Scenario.CallTypes[t].Name;
                AssertSame(_fixture.Run.OverallByCallType[t].Scalars[i], summary.CallTypes[type][ExpectedNames[i]], $"{ExpectedNames[i]} of {type}");
            }
        }
        Assert.NotNull(summary.ReplicationValues);
        Assert.All(ExpectedNames, n => Assert.Equal(_fixture.Run.ReplicationCount, summary.ReplicationValues![n].Length));
    }

    [Fact]
    public void Intervals_csv_has_a_mean_and_ci95_column_per_KPI_in_order_and_its_values_read_back()
    {
        using var writer = new StringWriter();
        IntervalsCsv.Write(_fixture.Run, writer);
        var lines = writer.ToString().Split('\n')[..^1];
        var header = lines[0].Split(',');
        Assert.Equal(["interval", "clock", "start_s", "end_s"], header[..4]);
        Assert.Equal(ExpectedNames.SelectMany(n => new[] { n + "_mean", n + "_ci95" }), header[4..(4 + 2 * ExpectedNames.Length)]);
        var all = lines[^1].Split(',');
        Assert.Equal("all", all[0]);
        for (var i = 0; i < ExpectedNames.Length; i++)
        {
            var e = _fixture.Run.Overall.Scalars[i];
            Assert.Equal(Cell(e.Mean), all[4 + 2 * i]);
            Assert.Equal(Cell(e.HalfWidth), all[5 + 2 * i]);
            Assert.Equal(e.Mean, Parse(all[4 + 2 * i]));
        }
    }

    [Fact]
    public void Replications_csv_has_a_column_per_KPI_in_order()
    {
        var target = ExportTables();
        var header = File.ReadAllText(target.PathOf(ReplicationsCsv.FileName)).Split('\n')[0].Split(',');
        Assert.Equal(["replication", .. ExpectedNames], header[..(1 + ExpectedNames.Length)]);
    }

    [Fact]
    public void Sweep_files_write_every_KPI_in_order_and_read_back_the_same_estimates()
    {
        var grid = new SweepGrid([SweepAxis.Parse("serviceLevel.threshold=1m", "--set")]);
        var points = new[] { Sweep.Summarize(0, grid.Point(0), _fixture.Run) };
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        SweepReport.WriteCsv(points, grid, csv);
        var lines = csv.ToString().Split('\n')[..^1];
        var header = lines[0].Split(',');
        Assert.Equal(["point", "serviceLevel.threshold", "agent_hours", "cost", "intervals_below_target"], header[..5]);
        Assert.Equal(ExpectedNames.SelectMany(n => new[] { n + "_mean", n + "_ci95" }), header[5..(5 + 2 * ExpectedNames.Length)]);
        var row = lines[1].Split(',');
        for (var i = 0; i < ExpectedNames.Length; i++)
        {
            Assert.Equal(Cell(_fixture.Run.Overall.Scalars[i].Mean), row[5 + 2 * i]);
            Assert.Equal(Cell(_fixture.Run.Overall.Scalars[i].HalfWidth), row[6 + 2 * i]);
        }

        using var stream = new MemoryStream();
        SweepReport.WriteJson(points, grid, "journey", 7, _fixture.Run.ReplicationCount, stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        var overall = document.RootElement.GetProperty("points")[0].GetProperty("overall");
        Assert.Equal(ExpectedNames, overall.EnumerateObject().Select(p => p.Name));
        for (var i = 0; i < ExpectedNames.Length; i++)
        {
            AssertSame(_fixture.Run.Overall.Scalars[i], Read(overall.GetProperty(ExpectedNames[i])), ExpectedNames[i]);
        }
    }

    [Fact]
    public void Compare_reads_every_KPI_with_its_unit_and_finds_no_difference_between_a_run_and_itself()
    {
        var a = ExportTables();
        var b = ExportTables();
        var comparison = RunComparison.Compare(RunSummary.Load(a.Folder), RunSummary.Load(b.Folder));
        var overall = comparison.Rows.Where(r => r.Scope.Kind == "overall").ToList();
        Assert.Equal(ExpectedNames, overall.Select(r => r.Kpi).Take(ExpectedNames.Length));
        foreach (var (name, _, format, _) in Expected)
        {
            Assert.Equal(format, RunComparison.FormatOf(name));
            var row = overall.Single(r => r.Kpi == name);
            if (double.IsFinite(row.A.Mean))
            {
                Assert.Equal(0, row.Difference.Delta);
            }
        }
    }

    /// <summary>A KPI's console label names its threshold where it has one; every label is distinct.</summary>
    [Fact]
    public void Console_labels_are_distinct_and_the_service_level_names_its_threshold()
    {
        Assert.Equal(KpiCatalog.All.Count, KpiCatalog.All.Select(d => d.Label).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["service_level"], KpiCatalog.All.Where(d => d.Label.Contains("{threshold}", StringComparison.Ordinal)).Select(d => d.Name));
    }

    /// <summary>The run's table formats (no charts) in a new folder.</summary>
    private ExportTarget ExportTables()
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(_temp.Path, "run-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        Exporters.Export(_fixture.Report(), target, Exporters.Select(["summary,intervals"], out _)!);
        return target;
    }

    private static Estimate Read(JsonElement e) =>
        new(Number(e.GetProperty("mean")), Number(e.GetProperty("ci95")), e.GetProperty("n").GetInt32());

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    private static double Parse(string cell) => cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Cell(double v) =>
        double.IsNaN(v) ? "" : double.IsPositiveInfinity(v) ? "inf" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The same estimate: means and half-widths equal to the bit (NaN read back from <c>null</c>), same count.</summary>
    private static void AssertSame(Estimate expected, Estimate actual, string what)
    {
        Assert.True(Same(expected.Mean, actual.Mean), $"{what}: mean {expected.Mean} read back as {actual.Mean}");
        Assert.True(Same(expected.HalfWidth, actual.HalfWidth), $"{what}: ci95 {expected.HalfWidth} read back as {actual.HalfWidth}");
        Assert.Equal(expected.Count, actual.Count);
    }

    private static bool Same(double a, double b) => double.IsFinite(a) ? a.Equals(b) : double.IsNaN(b);
}
