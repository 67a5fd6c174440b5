namespace CrisisSim.Model.Recording;

/// <summary>Counts of waiting times in log-linear bins (64 per doubling above 1 ms, so 1.6 % relative width;
/// waits under 1 ms share one bin). Fixed size whatever the number of calls.</summary>
public sealed class WaitHistogram
{
    private const int SubBins = 64;
    private const int Octaves = 32;
    private const double Unit = 1e-3;
    public const int BinCount = 1 + SubBins * Octaves;

    private readonly long[] _counts = new long[BinCount];

    public long Count { get; private set; }

    public void Add(double waitSeconds)
    {
        _counts[BinOf(waitSeconds)]++;
        Count++;
    }

    public void MergeFrom(WaitHistogram other)
    {
        for (var i = 0; i < BinCount; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    public long[] ToCounts() => [.. _counts];

    public static WaitHistogram FromCounts(long[] counts)
    {
        if (counts.Length != BinCount)
        {
            throw new ArgumentException($"A wait histogram has {BinCount} bins, not {counts.Length}", nameof(counts));
        }
        var h = new WaitHistogram();
        counts.CopyTo(h._counts, 0);
        h.Count = counts.Sum();
        return h;
    }

    public static int BinOf(double seconds)
    {
        var x = seconds / Unit;
        if (!(x >= 1))
        {
            return 0;
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        var octave = (int)((bits >> 52) & 0x7FF) - 1023;
        if (octave >= Octaves)
        {
            return BinCount - 1;
        }
        var sub = (int)((bits >> (52 - 6)) & (SubBins - 1));
        return 1 + octave * SubBins + sub;
    }

    /// <summary>Lower and upper edge of a bin, in seconds.</summary>
    public static (double Low, double High) EdgesOf(int bin)
    {
        if (bin == 0)
        {
            return (0, Unit);
        }
        var octave = (bin - 1) / SubBins;
        var sub = (bin - 1) % SubBins;
        var low = Math.ScaleB(1 + sub / (double)SubBins, octave) * Unit;
        var high = Math.ScaleB(1 + (sub + 1) / (double)SubBins, octave) * Unit;
        return (low, high);
    }

    /// <summary>The p-quantile (0 &lt; p &lt; 1), interpolated linearly within its bin; NaN when empty.
    /// A wait under 1 ms counts as 0.</summary>
    public double Quantile(double p)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var rank = p * Count;
        long cumulative = 0;
        for (var i = 0; i < BinCount; i++)
        {
            var c = _counts[i];
            if (c == 0)
            {
                continue;
            }
            if (cumulative + c >= rank)
            {
                if (i == 0)
                {
                    return 0;
                }
                var (low, high) = EdgesOf(i);
                return low + (high - low) * ((rank - cumulative) / c);
            }
            cumulative += c;
        }
        return EdgesOf(BinCount - 1).High;
    }
}
