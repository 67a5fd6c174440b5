using System.Text.Json;
using CrisisSim.Testing;

namespace CrisisSim.Tests.Planning;

/// <summary>The charts and the plan report of the planning commands: a one-key sweep draws its KPIs against the swept
/// value, sizing draws its risk and cost curves, staff reports the scenario's own plan against the staffing found.</summary>
public sealed class PlanningChartsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-planning-charts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Single(string output) =>
        Assert.Single(Directory.GetDirectories(Assert.Single(Directory.GetDirectories(output))));

    private static void AssertPng(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.True(bytes.Length > 1000, file);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [FactWithFonts]
    public async Task A_sweep_over_one_numeric_key_draws_its_kpis_and_a_grid_over_two_keys_only_its_table()
    {
        var scenario = Repo.Scenario("bench/w-small.yaml");
        var one = Path.Combine(_dir, "one");
        var run = await CliRun.Run("sweep", scenario, "--set", "groups.operators.staffing=180..200:10", "-r", "3", "--host", "threads", "--out", one);
        Assert.True(run.Code == 0, run.Err);
        var folder = Single(one);
        foreach (var kpi in new[] { "service-level", "abandonment-rate", "asa" })
        {
            AssertPng(Path.Combine(folder, "charts", $"sweep-{kpi}.png"));
            Assert.Contains("groups.operators.staffing", File.ReadAllText(Path.Combine(folder, "charts", $"sweep-{kpi}.svg")));
        }

        var durations = Path.Combine(_dir, "durations");
        run = await CliRun.Run("sweep", scenario, "--set", "serviceLevel.threshold=10s,20s,1m", "-r", "2", "--host", "threads", "--out", durations);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("serviceLevel.threshold (h)", File.ReadAllText(Path.Combine(Single(durations), "charts", "sweep-service-level.svg")));

        var two = Path.Combine(_dir, "two");
        run = await CliRun.Run("sweep", scenario, "--set", "groups.operators.staffing=180,190", "--set", "serviceLevel.threshold=10s,20s", "-r", "2", "--host", "threads", "--out", two);
        Assert.True(run.Code == 0, run.Err);
        Assert.False(Directory.Exists(Path.Combine(Single(two), "charts")));
    }

    [FactWithFonts]
    public async Task Sizing_draws_the_probability_of_meeting_the_sla_and_the_expected_cost_against_the_seats()
    {
        var output = Path.Combine(_dir, "size");
        var run = await CliRun.Run("size", Repo.Scenario("bench/w-small.yaml"), "--seats", "groups.operators.staffing=170..200:10", "-r", "3",
            "--host", "threads", "--committed-cost", "30", "--penalty", "100", "--risk", "0.9", "--out", output);
        Assert.True(run.Code == 0, run.Err);
        var folder = Single(output);
        AssertPng(Path.Combine(folder, "charts", "size-risk.png"));
        AssertPng(Path.Combine(folder, "charts", "size-cost.png"));
        Assert.Contains("risk level 90 %", File.ReadAllText(Path.Combine(folder, "charts", "size-risk.svg")));
    }

    [FactWithFonts]
    public async Task Staff_reports_the_scenario_s_own_plan_against_the_staffing_found()
    {
        var output = Path.Combine(_dir, "staff");
        var run = await CliRun.Run("staff", Repo.Scenario("covid-hotline.yaml"), "--group", "backup", "-r", "3", "--max-replications", "12", "--host", "threads", "--out", output);
        Assert.True(run.Code == 0, run.Err);
        var folder = Single(output);
        var html = File.ReadAllText(Path.Combine(folder, "plan", "report.html"));
        Assert.Contains("Staffing needed: iterative staffing algorithm", html);
        AssertPng(Path.Combine(folder, "plan", "charts", "staffing.png"));
        Assert.Contains("needed: backup", File.ReadAllText(Path.Combine(folder, "plan", "charts", "staffing.svg")));
        // The plan report's KPIs are those of the scenario as written, run with the same seed and replications.
        var plain = Path.Combine(_dir, "plain");
        var direct = await CliRun.Run("run", Repo.Scenario("covid-hotline.yaml"), "-r", "3", "--host", "threads", "--format", "summary", "--out", plain);
        Assert.True(direct.Code == 0, direct.Err);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Single(plain), "summary.json")));
        var sl = summary.RootElement.GetProperty("overall").GetProperty("service_level").GetProperty("mean").GetDouble();
        Assert.Contains((100 * sl).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), html);
    }
}
