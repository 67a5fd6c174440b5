using CrisisSim.Testing;
using CrisisSim.Engine;

namespace CrisisSim.Tests;

public sealed class ArrivalTests
{
    [Fact]
    public void Offered_calls_per_interval_match_the_piecewise_rates()
    {
        var scenario = TestScenarios.Mixed();
        const int reps = 40;
        var run = SimulationRunner.RunInline(scenario, 17, reps);
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            var expected = scenario.CallTypes.Sum(t => t.CallsPerInterval[k]);
            var mean = run.Intervals[k].Kpis["offered"].Mean;
            // Poisson: sd of the mean over reps is sqrt(expected / reps); allow 4 standard errors.
            var tolerance = 4 * Math.Sqrt(expected / reps);
            Assert.InRange(mean, expected - tolerance, expected + tolerance);
        }
    }
}
