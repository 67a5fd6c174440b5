using System.Globalization;
using CrisisSim.Cli;

namespace CrisisSim.Scenarios.Tests;

/// <summary><c>crisissim validate</c>: finite figures per call type, and exit code 2 for a scenario over a limit.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Validate_prints_expected_calls_and_peak_rate_per_call_type_and_the_total()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var (code, output, error) = await Validate(RepositoryFiles.Scenario("covid-hotline.yaml"));

            Assert.True(code == 0, error);
            var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
            Assert.Equal(6, lines.Length);
            Assert.Contains(": ok", lines[0]);
            Assert.Equal("  symptoms           960.0 calls per replication, peak        130.0 calls/hour  (poisson per interval)", lines[1]);
            Assert.Equal("  info              3840.0 calls per replication, peak        520.0 calls/hour  (poisson per interval)", lines[2]);
            Assert.Equal("  total             4800.0 calls per replication", lines[3]);
            Assert.Equal("  group teleadvisors  at most 15 on duty, 150.0 operator hours", lines[4]);
            Assert.Equal("  group backup        at most 40 on duty, 237.5 operator hours", lines[5]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task Validate_prints_the_process_and_the_expected_calls_of_each_day_of_a_multi_day_scenario()
    {
        var (code, output, error) = await Validate(RepositoryFiles.Scenario("covid-first-wave.yaml"));

        Assert.True(code == 0, error);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.StartsWith("  info ", lines[3]);
        Assert.Contains("hawkes waves (branching 0.3", lines[3]);
        Assert.Contains("busyness (alpha 30 per day)", lines[3]);
        Assert.Matches(@"^\s+per day: day 1 200, day 2 \d+, .*, day 14 \d+$", lines[4]);
    }

    [Theory]
    [InlineData("callsPerInterval: 10", "callsPerInterval: 1e308", "9:25: callTypes[0].arrivals.callsPerInterval: expects 4e308 calls per replication")]
    [InlineData("staffing: 2", "staffing: 2000000000", "14:15: groups[0].staffing: is 2,000,000,000 operators; the limit is 100,000 per group")]
    [InlineData("intervals: 4", "intervals: 100001", "3:12: intervals: is 100,001; the limit is 100,000 intervals")]
    [InlineData("staffing: 2", "staffing: 2\n    activation: { delay: 1h, perHour: 2e6, max: 10 }", "15:39: groups[0].activation.perHour: must be a number of operators per hour above 0 and at most 1,000,000")]
    [InlineData("staffing: 2", "shifts: [{ start: \"08:00\", end: \"09:00\", operators: 100001 }]", "14:57: groups[0].shifts[0].operators: is 100,001 operators; the limit is 100,000 per group")]
    public async Task Validate_refuses_a_scenario_over_a_limit_with_exit_code_2(string line, string replacement, string message)
    {
        var path = Path.Combine(_dir, "over.yaml");
        await File.WriteAllTextAsync(path, LimitTests.Edit(line, replacement));

        var (code, output, error) = await Validate(path);

        Assert.Equal(2, code);
        Assert.Contains($"error: {path}:{message}", error);
        Assert.DoesNotContain("Infinity", output + error);
        Assert.DoesNotContain("   at ", output + error);
    }

    [Fact]
    public async Task Validate_refuses_a_device_with_exit_code_2()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var (code, _, error) = await Validate("/dev/zero");

        Assert.Equal(2, code);
        Assert.Contains("error: /dev/zero:0:0: is a character device, not a regular file", error);
    }

    [Fact]
    public async Task Validate_prints_each_groups_operators_on_duty_hours_and_cost()
    {
        var (code, output, _) = await Validate(RepositoryFiles.Scenario("covid-hotline-provider.yaml"));

        Assert.Equal(0, code);
        // The provider: one operator every 3 minutes from 11:00 (2 h after the onset at 09:00) up to 40, until 19:00:
        // 40 x 8 h less the ramp (3 min x (0 + 1 + … + 39) = 39 h) = 281 hours, at 42 an hour.
        Assert.Contains("group provider      at most 40 on duty, 281.0 operator hours, cost 11802.0  (occupancy cap 0.9; after-call work 20 s; activation from 2 h, 20 per hour up to 40; learning from 1.5, half-life 90 min)", output);
        Assert.Contains("group teleadvisors  at most 22 on duty, ", output);
    }

    private static async Task<(int Code, string Out, string Err)> Validate(string path)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.InvokeAsync(["validate", path], o, e);
        return (code, o.ToString(), e.ToString());
    }
}
