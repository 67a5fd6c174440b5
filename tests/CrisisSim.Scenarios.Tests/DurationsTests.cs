using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>One duration parser (<see cref="Durations"/>) for scenario files, rate tables, <c>--set</c> values and
/// routing policy settings.</summary>
public sealed class DurationsTests
{
    [Theory]
    [InlineData("90", 90.0)]
    [InlineData(" 90s ", 90.0)]
    [InlineData("3m", 180.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("2d", 172800.0)]
    [InlineData("5 m", 300.0)]
    [InlineData(".5m", 30.0)]
    [InlineData("1e2s", 100.0)]
    [InlineData("-30s", -30.0)]
    public void A_number_of_seconds_or_a_number_with_a_unit_is_a_duration(string text, double seconds)
    {
        Assert.True(Durations.TryParseFinite(text, out var parsed));
        Assert.Equal(seconds, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("3 minutes")]
    [InlineData("3w")]
    [InlineData("1,5h")]
    [InlineData(".infs")]
    [InlineData(".nanm")]
    [InlineData("+.infs")]
    [InlineData(".inf")]
    [InlineData("1e400")]
    [InlineData("Infinity")]
    [InlineData("0x10s")]
    public void Anything_else_is_not_a_finite_duration(string text)
    {
        Assert.False(Durations.TryParseFinite(text, out _));
    }

    [Fact]
    public void A_unit_is_required_where_a_plain_number_is_read_otherwise()
    {
        Assert.False(Durations.TryParseWithUnit("90", out _));
        Assert.True(Durations.TryParseWithUnit("90s", out var seconds));
        Assert.Equal(90, seconds);
    }

    [Theory]
    [InlineData("90")]
    [InlineData("90s")]
    [InlineData(" 1.5h ")]
    [InlineData("2d")]
    [InlineData("5 m")]
    [InlineData("-30s")]
    [InlineData("3 minutes")]
    [InlineData("1,5h")]
    [InlineData("+.infs")]
    [InlineData(".nan")]
    [InlineData("1e400")]
    [InlineData("1e400s")]
    public void A_routing_setting_reads_a_duration_as_the_scenario_format_does(string text)
    {
        var setup = new RoutingSetup("test", new Dictionary<string, string> { ["wait"] = text }, [], [], []);
        double? setting;
        try
        {
            setting = setup.Duration("wait", double.MinValue, double.MaxValue);
        }
        catch (RoutingSettingsException)
        {
            setting = null;
        }
        double? format = Durations.TryParseFinite(text, out var seconds) ? seconds : null;
        Assert.Equal(format, setting);
    }
}
