namespace CrisisSim.Analytics.Tests;

public sealed class ProportionIntervalTests
{
    [Fact]
    public void Sixteen_of_twenty_match_the_hand_computed_Wilson_interval()
    {
        // z = 1.959963984540054; centre (p + z²/2n) / (1 + z²/n), half-width z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
        var p = ProportionInterval.Wilson(16, 20);
        Assert.Equal(0.8, p.Estimate, 1e-14);
        Assert.Equal(0.5839825677481065, p.Lower, 1e-12);
        Assert.Equal(0.9193423374202019, p.Upper, 1e-12);
        Assert.Equal(20, p.Count);
    }

    [Fact]
    public void None_and_all_successes_give_an_interval_that_is_not_empty()
    {
        var none = ProportionInterval.Wilson(0, 20);
        Assert.Equal(0.0, none.Lower);
        Assert.Equal(0.16112515805281938, none.Upper, 1e-12);
        var all = ProportionInterval.Wilson(20, 20);
        Assert.Equal(20 / (20 + 1.959963984540054 * 1.959963984540054), all.Lower, 1e-12);
        Assert.Equal(1.0, all.Upper);
        Assert.True(double.IsNaN(ProportionInterval.Wilson(0, 0).Estimate));
    }

    [Fact]
    public void The_trials_needed_to_show_a_probability_are_those_whose_all_success_lower_bound_reaches_it()
    {
        Assert.Equal(35, ProportionInterval.TrialsToShow(0.9));
        Assert.True(ProportionInterval.Wilson(35, 35).Lower >= 0.9);
        Assert.True(ProportionInterval.Wilson(34, 34).Lower < 0.9);
        Assert.Equal(double.PositiveInfinity, ProportionInterval.TrialsToShow(1));
    }

    [Fact]
    public void A_stratified_mean_counts_only_the_spread_within_each_stratum()
    {
        var a = new RunningMoments();
        foreach (var v in new[] { 1.0, 2, 3 })
        {
            a.Add(v);
        }
        var b = new RunningMoments();
        foreach (var v in new[] { 10.0, 14 })
        {
            b.Add(v);
        }
        var mean = new StratifiedMean();
        mean.Add(0.5, a);
        mean.Add(0.5, b);

        // Variance of the mean: 0.25 · 1/3 + 0.25 · 8/2; t(0.975; 2 + 1) = 3.182446305284263.
        Assert.Equal(7, mean.Mean, 1e-14);
        Assert.Equal(3.182446305284263 * Math.Sqrt(0.25 / 3 + 1), mean.HalfWidth(), 1e-9);
    }
}
