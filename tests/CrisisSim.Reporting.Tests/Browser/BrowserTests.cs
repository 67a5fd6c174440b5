using System.Text.Json.Nodes;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests.Browser;

/// <summary>One headless Chromium for the browser tests. A machine without it skips these tests, saying why, and
/// <c>.ci/run</c> (which installs it) fails them: a report that was never opened in a browser is not known to open.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public Chromium? Browser { get; private set; }

    public string? Problem { get; private set; }

    public async Task InitializeAsync()
    {
        var executable = Chromium.Find();
        if (executable is null)
        {
            Problem = $"no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or {Chromium.ExecutableVariable}): "
                + "install it (Debian: apt-get install chromium) to check report.html in a real browser";
            return;
        }
        Browser = await Chromium.StartAsync(executable);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
    }
}

/// <summary>report.html opened in a real browser: no console or browser error, no request leaving the file, every image
/// decoded, the KPI and staffing tables there. The same check applied to a broken page must fail, so that a pass
/// means something. <c>tests/browser/check-report.sh FILE</c> also checks a report of the user's own run.</summary>
public sealed class BrowserTests(BrowserFixture browser, ReportRun run) : IClassFixture<BrowserFixture>, IClassFixture<ReportRun>, IDisposable
{
    /// <summary>A report.html to check besides the test's own (set by tests/browser/check-report.sh).</summary>
    public const string ReportVariable = "CRISISSIM_CHECK_REPORT";

    private const string Probe = """
        JSON.stringify({
          images: Array.from(document.images).map(i => ({ complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, alt: i.alt })),
          kpiRows: document.querySelectorAll('#kpi-table tr').length,
          playbookRows: document.querySelectorAll('#playbook-table tr').length,
          playbookChart: document.getElementById('chart-playbook') !== null,
          staffingRows: document.querySelectorAll('#staffing-table tr').length,
          scripts: document.scripts.length,
          title: document.title
        })
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private Chromium Chromium => browser.Browser ?? throw new InvalidOperationException(browser.Problem);

    private static string Describe(PageCheck check) =>
        $"errors: [{string.Join("; ", check.Errors)}], requests: [{string.Join(", ", check.Requests)}], page: {check.Evaluated?.ToJsonString()}";

    /// <summary>Asserts what a report must show in a browser; returns the page's figures.</summary>
    /// <param name="charts">The charts it must show; null: those of every run, and the playbook's when it has a
    /// playbook section (a report of the user's own run).</param>
    private async Task<JsonNode> CheckReport(string file, int? charts)
    {
        var check = await Chromium.CheckAsync(new Uri(file), Probe);
        Assert.True(check.Errors.Count == 0, $"{file}: {Describe(check)}");
        Assert.True(check.Requests.Count == 0, $"{file} fetched: {Describe(check)}");
        var page = check.Evaluated!;
        var images = page["images"]!.AsArray();
        var playbook = page["playbookRows"]!.GetValue<int>() > 0;
        Assert.Equal(playbook, page["playbookChart"]!.GetValue<bool>());
        Assert.Equal(charts ?? RunCharts.Names.Count + (playbook ? 1 : 0), images.Count);
        Assert.All(images, i =>
        {
            Assert.True(i!["complete"]!.GetValue<bool>(), $"{file}: an image did not load: {i.ToJsonString()}");
            Assert.True(i["width"]!.GetValue<int>() > 0 && i["height"]!.GetValue<int>() > 0, $"{file}: an image has no size: {i.ToJsonString()}");
        });
        Assert.True(page["kpiRows"]!.GetValue<int>() > 5, $"{file}: no KPI table: {Describe(check)}");
        Assert.True(page["staffingRows"]!.GetValue<int>() > 1, $"{file}: no staffing table: {Describe(check)}");
        Assert.Equal(0, page["scripts"]!.GetValue<int>());
        return page;
    }

    [FactWithBrowser]
    public async Task The_report_opens_in_a_real_browser_without_errors_and_every_chart_shows()
    {
        var target = run.ExportAll(_temp.Path);
        var page = await CheckReport(target.PathOf(HtmlReport.FileName), RunCharts.Names.Count);
        Assert.Equal("covid-hotline - CrisisSim report", page["title"]!.GetValue<string>());
        Assert.All(page["images"]!.AsArray(), i => Assert.Equal((900, 420), (i!["width"]!.GetValue<int>(), i["height"]!.GetValue<int>())));
        Assert.Equal(1 + 20, page["staffingRows"]!.GetValue<int>());
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } other)
        {
            await CheckReport(Path.GetFullPath(other), charts: null);
        }
    }

    public static TheoryData<string> LibraryScenarios() =>
        [.. Directory.GetFiles(CrisisSim.Testing.Repo.Scenarios, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [TheoryWithBrowser]
    [MemberData(nameof(LibraryScenarios))]
    public async Task The_report_of_every_library_scenario_opens_cleanly(string scenario)
    {
        var run = new ReportRun(scenario, replications: 2);
        var target = run.ExportAll(_temp.Path);
        await CheckReport(target.PathOf(HtmlReport.FileName), RunCharts.NamesOf(run.Run.Scenario).Count);
    }

    [FactWithBrowser]
    public async Task A_report_with_a_playbook_opens_cleanly_with_its_table_and_timeline()
    {
        var target = new PlaybookRun().ExportAll(_temp.Path);
        var page = await CheckReport(target.PathOf(HtmlReport.FileName), RunCharts.Names.Count + 1);
        Assert.Equal(1 + 3, page["playbookRows"]!.GetValue<int>());
        Assert.True(page["playbookChart"]!.GetValue<bool>());
    }

    [FactWithBrowser]
    public async Task A_replay_report_opens_cleanly_with_its_table_and_three_charts()
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(_temp.Path, "replay")).FullName);
        Planning.ReplayRow[] rows = [.. Enumerable.Range(0, 24).Select(k => new Planning.ReplayRow(k, k * 3600.0, 10 + k, 9 + k, 0.1, 30, 2,
            new(11 + k, 1, 20), new(10 + k, 1, 20), new(0.08, 0.01, 20), new(25, 3, 20), 2.5))];
        Planning.ReplayReport.WriteHtml(new("replay <day>", null, [], 20, 1, 19, "log.txt", 1000, 0), rows, () => ReplayCharts.Of(rows, 3600), target);
        var file = target.PathOf(HtmlReport.FileName);
        var check = await Chromium.CheckAsync(new Uri(file), """
            JSON.stringify({
              images: Array.from(document.images).map(i => ({ complete: i.complete, width: i.naturalWidth })),
              rows: document.querySelectorAll('#replay-table tr').length,
              scripts: document.scripts.length,
              title: document.title
            })
            """);
        Assert.True(check.Errors.Count == 0 && check.Requests.Count == 0, $"{file}: {Describe(check)}");
        var page = check.Evaluated!;
        Assert.Equal(3, page["images"]!.AsArray().Count);
        Assert.All(page["images"]!.AsArray(), i => Assert.True(i!["complete"]!.GetValue<bool>() && i["width"]!.GetValue<int>() > 0, $"{file}: {Describe(check)}"));
        Assert.Equal(1 + 24, page["rows"]!.GetValue<int>());
        Assert.Equal(0, page["scripts"]!.GetValue<int>());
        Assert.Equal("replay <day> - CrisisSim replay", page["title"]!.GetValue<string>());
    }

    [FactWithBrowser]
    public async Task The_check_catches_errors_fetches_and_broken_images()
    {
        var bad = Path.Combine(_temp.Path, "bad.html");
        File.WriteAllText(bad, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>
            <img id="broken" src="data:image/png;base64,AAAA">
            <img id="remote" src="http://127.0.0.1:9/chart.png">
            <table id="kpi-table"><tr><td>x</td></tr></table>
            <script>console.error("something went wrong");</script>
            </body></html>
            """);
        var check = await Chromium.CheckAsync(new Uri(bad), Probe);
        Assert.Contains(check.Errors, e => e.Contains("something went wrong", StringComparison.Ordinal));
        Assert.Contains("http://127.0.0.1:9/chart.png", check.Requests);
        Assert.All(check.Evaluated!["images"]!.AsArray(), i => Assert.Equal(0, i!["width"]!.GetValue<int>()));
        // The same page under the report's content security policy: the remote image is refused, and the browser says so.
        var locked = Path.Combine(_temp.Path, "locked.html");
        File.WriteAllText(locked, File.ReadAllText(bad).Replace("<title>", "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"><title>", StringComparison.Ordinal));
        check = await Chromium.CheckAsync(new Uri(locked), Probe);
        Assert.Contains(check.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        Assert.Contains(check.Errors, e => e.StartsWith("load failed:", StringComparison.Ordinal) && e.EndsWith("(blocked: csp)", StringComparison.Ordinal));
    }
}

/// <summary>A test that opens a report in Chromium: skipped, with the reason, on a machine without Chromium or the chart
/// fonts (see <see cref="RequiredComponents"/>).</summary>
public sealed class FactWithBrowserAttribute : FactAttribute
{
    public FactWithBrowserAttribute() => Skip = BrowserSkip.Reason;
}

/// <summary>A theory that opens reports in Chromium: skipped, with the reason, on a machine without Chromium or the chart
/// fonts.</summary>
public sealed class TheoryWithBrowserAttribute : TheoryAttribute
{
    public TheoryWithBrowserAttribute() => Skip = BrowserSkip.Reason;
}

internal static class BrowserSkip
{
    public static string? Reason => RequiredComponents.SkipReason(
        Chromium.Find() is null
            ? $"no Chromium found (chromium, chromium-browser or google-chrome on the PATH, or {Chromium.ExecutableVariable})"
            : RequiredComponents.MissingFonts);
}
