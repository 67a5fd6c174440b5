using System.Text.Json;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary><c>compare</c>: KPI differences with their significance, thresholds that fail and pass, bad input.</summary>
public sealed class CompareTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>covid-hotline as it is, and with 5 teleadvisors fewer (a worse plan), each run once for the class.</summary>
    private async Task<(string Base, string Worse, string Same)> Runs()
    {
        var scenario = Repo.Scenario("covid-hotline.yaml");
        var worse = Path.Combine(_dir, "worse.yaml");
        var text = File.ReadAllText(scenario);
        Assert.Contains("staffing: 15", text);
        File.WriteAllText(worse, text.Replace("staffing: 15", "staffing: 10"));
        foreach (var (file, name) in new[] { (scenario, "base"), (worse, "worse"), (scenario, "same") })
        {
            var (code, _, error) = await CliRun.Run("run", file, "--seed", "3", "-r", "4", "--host", "threads", "--out", Path.Combine(_dir, name));
            Assert.True(code == 0, error);
        }
        return (Path.Combine(_dir, "base"), Path.Combine(_dir, "worse"), Path.Combine(_dir, "same"));
    }

    [Fact]
    public async Task A_worse_plan_crosses_a_service_level_threshold_and_the_same_run_holds_every_threshold()
    {
        var (baseline, worse, same) = await Runs();

        var crossed = await CliRun.Run("compare", baseline, worse, "--threshold", "service_level>-2pp", "--threshold", "intervals.abandonment_rate<50pp");
        Assert.True(crossed.Code == 1, crossed.Out + crossed.Err);
        Assert.Contains("CROSSED  service_level>-2pp", crossed.Out);
        Assert.Contains("holds    intervals.abandonment_rate<50pp", crossed.Out);
        Assert.Contains("paired t-test", crossed.Out);

        var held = await CliRun.Run("compare", baseline, same, "--threshold", "service_level>-2pp", "--threshold", "intervals.service_level>=0", "--threshold", "asa<=0%");
        Assert.True(held.Code == 0, held.Out + held.Err);
        Assert.DoesNotContain("CROSSED", held.Out);

        // The other way round the worse plan is an improvement: the same threshold holds.
        var reversed = await CliRun.Run("compare", worse, baseline, "--threshold", "service_level>-2pp");
        Assert.True(reversed.Code == 0, reversed.Out + reversed.Err);
    }

    [Fact]
    public async Task The_json_comparison_pairs_replications_and_the_difference_is_the_difference_of_the_summaries()
    {
        var (baseline, worse, _) = await Runs();
        var file = Path.Combine(_dir, "cmp.json");
        var (code, _, error) = await CliRun.Run("compare", baseline, worse, "--json", file);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        Assert.True(json.RootElement.GetProperty("paired").GetBoolean());
        var a = RunSummary.Load(baseline);
        var b = RunSummary.Load(worse);
        Assert.NotNull(a.ReplicationValues);
        Assert.Equal(4, a.ReplicationValues!["service_level"].Length);
        Assert.Equal(a.Overall["service_level"].Mean, a.ReplicationValues["service_level"].Average(), 9);
        var row = json.RootElement.GetProperty("kpis").EnumerateArray()
            .Single(r => r.GetProperty("scope").GetString() == "overall" && r.GetProperty("kpi").GetString() == "service_level");
        Assert.Equal(b.Overall["service_level"].Mean - a.Overall["service_level"].Mean, row.GetProperty("delta").GetDouble(), 9);
        Assert.True(row.GetProperty("paired").GetBoolean());
        Assert.True(row.GetProperty("p").GetDouble() < 0.05, "a third fewer teleadvisors changes the service level significantly");
        Assert.Contains(json.RootElement.GetProperty("kpis").EnumerateArray(), r => r.GetProperty("scope").GetString() == "interval");
        Assert.Contains(json.RootElement.GetProperty("kpis").EnumerateArray(), r => r.GetProperty("scope").GetString() == "callType");
        // Operators on duty (operator hours / time) compare as a group KPI: 5 teleadvisors fewer all day.
        Assert.Equal(15, a.Overall["on_duty.teleadvisors"].Mean, 9);
        Assert.Equal(10, b.Overall["on_duty.teleadvisors"].Mean, 9);
        Assert.Equal(10, b.Intervals[0].Kpis["on_duty.teleadvisors"].Mean, 9);
        var duty = json.RootElement.GetProperty("kpis").EnumerateArray()
            .Single(r => r.GetProperty("scope").GetString() == "overall" && r.GetProperty("kpi").GetString() == "on_duty.teleadvisors");
        Assert.Equal(-5, duty.GetProperty("delta").GetDouble(), 9);
    }

    [Fact]
    public async Task Runs_with_different_seeds_are_compared_unpaired()
    {
        var (baseline, _, _) = await Runs();
        var (code, _, error) = await CliRun.Run("run", Repo.Scenario("covid-hotline.yaml"), "--seed", "4", "-r", "4", "--host", "threads", "--out", Path.Combine(_dir, "seed4"));
        Assert.True(code == 0, error);
        var c = RunComparison.Compare(RunSummary.Load(baseline), RunSummary.Load(Path.Combine(_dir, "seed4")));
        Assert.False(c.Paired);
        Assert.All(c.Rows, r => Assert.False(r.Difference.Paired));
    }

    [Theory]
    [InlineData("service_level>-2", "")]
    [InlineData("service_level>-2pp", "")]
    [InlineData("intervals.abandonment_rate<3pp", "")]
    [InlineData("callTypes.info.asa<10%", "")]
    [InlineData("occupancy.backup<=5pp", "")]
    [InlineData("asa<5s", "")]
    [InlineData("on_duty.backup<=0", "")]
    [InlineData("intervals.on_duty_total>=-5", "")]
    [InlineData("service_level", "expected [SCOPE.]KPI OP VALUE")]
    [InlineData("service_levl>-2pp", "unknown KPI 'service_levl'")]
    [InlineData("asa>-2pp", "'pp' (percentage points) applies to ratio KPIs only")]
    [InlineData("offered<5s", "'s' (seconds) applies to time KPIs only")]
    [InlineData("callTypes.asa<1", "callTypes.NAME.KPI expected")]
    public void Thresholds_parse_or_say_what_is_wrong(string text, string error)
    {
        if (error.Length == 0)
        {
            var t = ComparisonThreshold.Parse(text);
            Assert.Equal(text, t.Text);
            return;
        }
        var ex = Assert.Throws<FormatException>(() => ComparisonThreshold.Parse(text));
        Assert.Contains(error, ex.Message);
    }

    [Fact]
    public void A_threshold_holds_or_breaks_by_its_operator_and_unit()
    {
        var t = ComparisonThreshold.Parse("service_level>-2pp");
        Assert.True(t.Holds(-1.9));
        Assert.False(t.Holds(-2));
        Assert.True(t.Holds(double.NaN));
        Assert.True(ComparisonThreshold.Parse("asa<=0%").Holds(0));
        Assert.False(ComparisonThreshold.Parse("asa<0%").Holds(0));
    }

    [Fact]
    public async Task Bad_input_exits_2_with_a_message()
    {
        var (baseline, _, _) = await Runs();
        var missing = await CliRun.Run("compare", baseline, Path.Combine(_dir, "nowhere"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("no such result folder", missing.Err);

        var badThreshold = await CliRun.Run("compare", baseline, baseline, "--threshold", "sl>2");
        Assert.Equal(2, badThreshold.Code);
        Assert.Contains("unknown KPI", badThreshold.Err);

        var noSuchType = await CliRun.Run("compare", baseline, baseline, "--threshold", "callTypes.nobody.asa<1s");
        Assert.Equal(2, noSuchType.Code);
        Assert.Contains("no such KPI in both runs", noSuchType.Err);

        var notJson = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(notJson);
        File.WriteAllText(Path.Combine(notJson, "summary.json"), "{ \"scenario\": ");
        var broken = await CliRun.Run("compare", baseline, notJson);
        Assert.Equal(2, broken.Code);
        Assert.Contains("summary.json", broken.Err);

        var alpha = await CliRun.Run("compare", baseline, baseline, "--alpha", "0.9");
        Assert.Equal(2, alpha.Code);
    }

    [Fact]
    public async Task Alpha_is_read_in_the_invariant_culture()
    {
        var (baseline, _, _) = await Runs();
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
            var (code, output, error) = await CliRun.Run("compare", baseline, baseline, "--alpha", "0.01");
            Assert.True(code == 0, error);
            Assert.Contains("significant at 1 %", output);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
