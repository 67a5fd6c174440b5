using System.Buffers.Binary;
using System.Xml.Linq;
using CrisisSim.Engine;
using CrisisSim.Scenarios;
using SkiaSharp;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>Charts are drawn headless, with text, as PNG and SVG of the documented size; the fonts are found or
/// refused with a message that says what to do.</summary>
public sealed class ChartTests(ReportRun fixture) : IClassFixture<ReportRun>, IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>The text of an SVG chart, one string per text element.</summary>
    private static string[] SvgTexts(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        return [.. doc.Descendants(Svg + "text").Select(t => t.Value.Trim())];
    }

    [FactWithFonts]
    public void Every_run_chart_is_a_png_and_an_svg_of_the_documented_size_with_its_text()
    {
        var charts = fixture.Report().Charts;
        Assert.Equal(RunCharts.Names, charts.Select(c => c.Name));
        foreach (var chart in charts)
        {
            Assert.Equal((Chart.DefaultWidth, Chart.DefaultHeight), PngSize(chart.Png()));
            var doc = XDocument.Parse(chart.Svg());
            Assert.Equal("900", doc.Root!.Attribute("width")!.Value);
            Assert.Equal("420", doc.Root.Attribute("height")!.Value);
            var texts = SvgTexts(chart.Svg());
            Assert.All(doc.Descendants(Svg + "text"), t => Assert.Equal(ChartFonts.Family, t.Attribute("font-family")!.Value));
            // The axis is labelled in clock time, 09:00 to 19:00 by hours.
            Assert.Contains("09:00", texts);
            Assert.Contains("19:00", texts);
            Assert.Contains("time of day", string.Join(' ', texts));
        }
        var calls = SvgTexts(charts[0].Svg());
        Assert.Contains("Calls per interval", calls);
        Assert.Contains("offered", calls);
        Assert.Contains("abandoned", calls);
        Assert.DoesNotContain("blocked (busy signal)", calls); // the scenario has no line limit
        Assert.Contains("target 80 %", SvgTexts(charts[1].Svg()));
        Assert.Contains("backup", SvgTexts(charts[4].Svg()));
        Assert.Contains("all groups", SvgTexts(charts[4].Svg()));
    }

    [FactWithFonts]
    public void The_png_has_its_text_drawn()
    {
        // The title is drawn in the top band of the image, above the data area: dark pixels there are glyphs.
        using var bitmap = SKBitmap.Decode(fixture.Report().Charts[0].Png());
        var dark = 0;
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                dark += p.Red + p.Green + p.Blue < 300 ? 1 : 0;
            }
        }
        Assert.True(dark > 100, $"only {dark} dark pixels where the title should be");
    }

    [FactWithFonts]
    public void The_fonts_are_found_in_a_sub_folder()
    {
        var (regular, bold) = ChartFonts.Find(ChartFonts.SearchFolders());
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "fonts", "truetype", "dejavu")).FullName;
        File.Copy(regular, Path.Combine(folder, ChartFonts.RegularFile));
        File.Copy(bold, Path.Combine(folder, ChartFonts.BoldFile));
        Assert.Equal((Path.Combine(folder, ChartFonts.RegularFile), Path.Combine(folder, ChartFonts.BoldFile)),
            ChartFonts.Find([Path.Combine(_temp.Path, "missing"), Path.Combine(_temp.Path, "fonts")]));
    }

    [Fact]
    public void Missing_fonts_are_refused_with_a_message_saying_what_to_do()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;
        var onlyRegular = Directory.CreateDirectory(Path.Combine(_temp.Path, "regular")).FullName;
        File.WriteAllText(Path.Combine(onlyRegular, ChartFonts.RegularFile), "");
        var missing = Path.Combine(_temp.Path, "missing");
        var error = Assert.Throws<ChartFontsException>(() => ChartFonts.Find([empty, onlyRegular, missing]));
        Assert.Equal(
            $"charts need the font DejaVu Sans (DejaVuSans.ttf and DejaVuSans-Bold.ttf), found in none of: {empty}, {onlyRegular}, {missing}. "
            + "Install it (Debian, Ubuntu: apt-get install fonts-dejavu-core), set CRISISSIM_FONTS to the folder holding the two files, "
            + "or leave charts and report out of --format.",
            error.Message);
    }

    [FactWithFonts]
    public void Intervals_without_calls_break_the_lines_instead_of_failing()
    {
        var path = Path.Combine(_temp.Path, "gaps.yaml");
        File.WriteAllText(path, """
            name: gaps
            interval: 1h
            intervals: 4
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: [30, 0, 0, 30] }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 2 }
            """);
        var run = SimulationRunner.RunInline(ScenarioLoader.LoadFile(path), 1, 3);
        Assert.True(double.IsNaN(run.Intervals[1].Kpis["service_level"].Mean));
        var report = new RunReport(run, ReportRun.Facts, ScenarioFile.Read(path));
        foreach (var chart in report.Charts)
        {
            Assert.Equal((900, 420), PngSize(chart.Png()));
            Assert.Contains("00:00", SvgTexts(chart.Svg()));
        }
    }

    [FactWithFonts]
    public void A_sweep_chart_draws_a_kpi_against_the_swept_parameter()
    {
        KpiEstimates Kpis(double serviceLevel, double halfWidth) =>
            new([.. KpiValues.Names.Select(n => n == "service_level" ? new Estimate(serviceLevel, halfWidth, 10) : new Estimate(1, 0.1, 10))], []);
        var table = new SweepTable("operators in backup", [new(30, Kpis(0.71, 0.02)), new(10, Kpis(0.42, 0.03)), new(20, Kpis(0.6, 0.02))]);
        var chart = SweepChart.Create(table, "service_level", target: 0.8);
        Assert.Equal("sweep-service-level", chart.Name);
        Assert.Equal((900, 420), PngSize(chart.Png()));
        var texts = SvgTexts(chart.Svg());
        Assert.Contains("Service level against operators in backup", texts);
        Assert.Contains("operators in backup", texts);
        Assert.Contains("service level (%)", texts);
        Assert.Contains("target 80 %", texts);
        var target = new ExportTarget(_temp.Path);
        ChartFiles.Write(chart, target);
        Assert.Equal(["charts/sweep-service-level.png", "charts/sweep-service-level.svg"], target.Files);
        var error = Assert.Throws<ArgumentException>(() => SweepChart.Create(table, "nope"));
        Assert.StartsWith("'nope' is not a KPI; the KPIs are offered, answered", error.Message);
    }

    [FactWithFonts]
    public void The_staffing_needed_is_drawn_against_the_operators_on_duty()
    {
        int[] needed = [20, 25, 35, 38, 35, 33, 25, 24, 24, 25, 34, 36, 36, 34, 31, 29, 28, 27, 25, 24];
        var plan = new StaffingPlan("Erlang A per interval", [new StaffingNeed(null, needed), new StaffingNeed("backup", [.. needed.Select(n => n - 15)])]);
        var chart = fixture.Report(plan).Charts.Single(c => c.Name == "staffing");
        Assert.Contains("needed", chart.Title);
        var texts = SvgTexts(chart.Svg());
        Assert.Contains("needed: all groups", texts);
        Assert.Contains("needed: backup", texts);
        Assert.Throws<ArgumentException>(() => fixture.Report(new StaffingPlan("short", [new StaffingNeed(null, [1, 2])])));
        Assert.Throws<ArgumentException>(() => fixture.Report(new StaffingPlan("unknown group", [new StaffingNeed("nobody", needed)])));
    }
}
