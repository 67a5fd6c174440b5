using CrisisSim.Model.Recording;

namespace CrisisSim.Tests;

/// <summary>The compact wait histogram against a plain array of every bin: same counts, same quantiles, whatever the
/// mix of waits, in its sparse form, after it turns dense, and merged.</summary>
public sealed class WaitHistogramTests
{
    private static long[] Reference(IEnumerable<double> waits)
    {
        var counts = new long[WaitHistogram.BinCount];
        foreach (var w in waits)
        {
            counts[WaitHistogram.BinOf(w)]++;
        }
        return counts;
    }

    private static long[] Dense(WaitHistogram h)
    {
        var counts = new long[WaitHistogram.BinCount];
        h.AddTo(counts);
        return counts;
    }

    [Theory]
    [InlineData(10, 1.0)]        // a quiet interval: a few bins
    [InlineData(5_000, 300.0)]   // a busy one: hundreds of bins, still sparse
    [InlineData(50_000, 1e7)]    // waits over every octave: turns dense
    public void Counts_and_quantiles_match_a_plain_array(int n, double scale)
    {
        var random = new Random(n);
        var waits = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 0 : scale * Math.Pow(random.NextDouble(), 3)).ToArray();
        var h = new WaitHistogram();
        foreach (var w in waits)
        {
            h.Add(w);
        }
        var expected = Reference(waits);
        Assert.Equal(expected, Dense(h));
        Assert.Equal(n, h.Count);
        foreach (var p in new[] { 0.1, 0.5, 0.9, 0.99 })
        {
            Assert.Equal(WaitHistogram.QuantileOf<long>(expected, p, n), h.Quantile(p));
        }
        var pairs = h.ToPairs();
        Assert.Equal(expected.Count(c => c > 0) * 2, pairs.Length);
        Assert.Equal(expected, Dense(WaitHistogram.FromPairs(pairs)));
    }

    [Fact]
    public void The_top_bins_and_large_counts_are_kept()
    {
        var h = new WaitHistogram();
        var longest = 366 * 86400.0 + 7 * 86400.0; // horizon plus drain at their limits
        h.Add(longest);
        for (var i = 0; i < 1_100_000; i++) // beyond 20 bits in one bin
        {
            h.Add(0);
        }
        h.Add(5);
        Assert.False(h.IsDense && WaitHistogram.BinOf(longest) == WaitHistogram.BinCount - 1, "the longest wait a scenario allows falls below the top bin");
        var dense = Dense(h);
        Assert.Equal(1_100_000, dense[0]);
        Assert.Equal(1, dense[WaitHistogram.BinOf(longest)]);
        Assert.Equal(1, dense[WaitHistogram.BinOf(5)]);
        var (low, high) = WaitHistogram.EdgesOf(WaitHistogram.BinOf(longest));
        Assert.InRange(longest, low, high);
    }

    [Fact]
    public void Merging_adds_counts_in_any_form()
    {
        var random = new Random(3);
        var a = new WaitHistogram();
        var b = new WaitHistogram();
        var all = new List<double>();
        for (var i = 0; i < 20_000; i++)
        {
            var w = i % 2 == 0 ? Math.Pow(10, random.NextDouble() * 10 - 3) : random.NextDouble() * 10; // log-uniform over 10 decades: dense
            (i % 2 == 0 ? a : b).Add(w);
            all.Add(w);
        }
        Assert.True(a.IsDense);
        a.MergeFrom(b);
        b.MergeFrom(WaitHistogram.FromPairs(a.ToPairs()));
        Assert.Equal(Reference(all), Dense(a));
        Assert.Equal(all.Count, a.Count);
    }
}
