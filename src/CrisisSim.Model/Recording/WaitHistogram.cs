namespace CrisisSim.Model.Recording;

/// <summary>Counts of waiting times in log-linear bins (64 per doubling above 1 ms, so 1.6 % relative width; waits
/// under 1 ms share one bin). The top bin starts at 2^36 ms (795 days), beyond any wait a valid scenario allows
/// (horizon plus drain, see <c>ScenarioLimits</c>).</summary>
/// <remarks>Memory follows the number of distinct bins used, not the number of waits: a histogram starts as a sorted
/// list of (bin, count) pairs packed in one integer each (bin in the high 12 bits, count in the low 20) and turns
/// into a dense array of all bins once it uses more than <see cref="SparseCapacity"/> of them or a count outgrows 20
/// bits. So one cell per interval and call type costs about 4 bytes per distinct wait bin for a quiet interval and
/// at most ~9 KB for a busy one.</remarks>
public sealed class WaitHistogram
{
    private const int SubBins = 64;
    private const int Octaves = 36;
    private const double Unit = 1e-3;
    public const int BinCount = 1 + SubBins * Octaves;

    /// <summary>Distinct bins held as packed pairs before the histogram turns dense (4 bytes a pair or a bin).</summary>
    public const int SparseCapacity = 1024;

    private const int CountBits = 20;
    private const uint CountMask = (1u << CountBits) - 1;

    /// <summary>Sparse: packed (bin, count) pairs, sorted by bin, <see cref="_used"/> of them. Dense: null.</summary>
    private uint[]? _pairs = new uint[4];

    /// <summary>Dense: the count of every bin. Sparse: null.</summary>
    private int[]? _dense;
    private int _used;

    // Sparse: the index of the pair last added to (successive waits often fall in the same bin).
    private int _lastIndex;

    public long Count { get; private set; }

    /// <summary>True once the histogram holds every bin (see <see cref="SparseCapacity"/>).</summary>
    public bool IsDense => _dense is not null;

    public void Add(double waitSeconds) => AddToBin(BinOf(waitSeconds), 1);

    public void MergeFrom(WaitHistogram other)
    {
        if (other._dense is { } dense)
        {
            for (var b = 0; b < BinCount; b++)
            {
                if (dense[b] != 0)
                {
                    AddToBin(b, dense[b]);
                }
            }
            return;
        }
        for (var i = 0; i < other._used; i++)
        {
            AddToBin((int)(other._pairs![i] >> CountBits), (int)(other._pairs[i] & CountMask));
        }
    }

    /// <summary>Adds the histogram's counts into a dense array of <see cref="BinCount"/> bins.</summary>
    public void AddTo(long[] dense)
    {
        if (_dense is { } own)
        {
            for (var b = 0; b < BinCount; b++)
            {
                dense[b] += own[b];
            }
            return;
        }
        for (var i = 0; i < _used; i++)
        {
            dense[_pairs![i] >> CountBits] += _pairs[i] & CountMask;
        }
    }

    /// <summary>The non-empty bins as (bin, count) pairs in bin order: a compact form to carry between processes.</summary>
    public int[] ToPairs()
    {
        var pairs = new List<int>();
        for (var i = 0; i < (_dense is null ? _used : BinCount); i++)
        {
            var (bin, count) = _dense is { } dense ? (i, dense[i]) : ((int)(_pairs![i] >> CountBits), (int)(_pairs[i] & CountMask));
            if (count != 0)
            {
                pairs.Add(bin);
                pairs.Add(count);
            }
        }
        return [.. pairs];
    }

    public static WaitHistogram FromPairs(int[] pairs)
    {
        if (pairs.Length % 2 != 0)
        {
            throw new ArgumentException("A wait histogram is carried as (bin, count) pairs", nameof(pairs));
        }
        var h = new WaitHistogram();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (pairs[i] is < 0 or >= BinCount || pairs[i + 1] < 0)
            {
                throw new ArgumentException($"Bad wait histogram pair ({pairs[i]}, {pairs[i + 1]})", nameof(pairs));
            }
            h.AddToBin(pairs[i], pairs[i + 1]);
        }
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
        if (_dense is { } dense)
        {
            return QuantileOf<int>(dense, p, Count);
        }
        var rank = p * Count;
        long cumulative = 0;
        for (var i = 0; i < _used; i++)
        {
            long c = _pairs![i] & CountMask;
            if (cumulative + c >= rank && c > 0)
            {
                return Interpolate((int)(_pairs[i] >> CountBits), rank - cumulative, c);
            }
            cumulative += c;
        }
        return Count == 0 ? double.NaN : EdgesOf(BinCount - 1).High;
    }

    /// <summary>The p-quantile of dense bin counts holding <paramref name="count"/> waits (see <see cref="Quantile"/>).</summary>
    public static double QuantileOf<T>(ReadOnlySpan<T> dense, double p, long count)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        if (count == 0)
        {
            return double.NaN;
        }
        var rank = p * count;
        long cumulative = 0;
        for (var i = 0; i < dense.Length; i++)
        {
            var c = long.CreateTruncating(dense[i]);
            if (c != 0 && cumulative + c >= rank)
            {
                return Interpolate(i, rank - cumulative, c);
            }
            cumulative += c;
        }
        return EdgesOf(BinCount - 1).High;
    }

    private static double Interpolate(int bin, double rankInBin, long countInBin)
    {
        if (bin == 0)
        {
            return 0;
        }
        var (low, high) = EdgesOf(bin);
        return low + (high - low) * (rankInBin / countInBin);
    }

    private void AddToBin(int bin, int count)
    {
        Count += count;
        if (_dense is { } dense)
        {
            dense[bin] = checked(dense[bin] + count);
            return;
        }
        var pairs = _pairs!;
        var key = (uint)bin << CountBits;
        var i = _lastIndex;
        if (i >= _used || pairs[i] >> CountBits != bin)
        {
            i = Array.BinarySearch(pairs, 0, _used, key);
            i = i >= 0 ? i : ~i;
        }
        if (i < _used && pairs[i] >> CountBits == bin)
        {
            _lastIndex = i;
            var total = (pairs[i] & CountMask) + (long)count;
            if (total > CountMask)
            {
                ToDense();
                _dense![bin] = checked((int)(_dense[bin] + (long)count));
                return;
            }
            pairs[i] = key | (uint)total;
            return;
        }
        if (_used == SparseCapacity || count > CountMask)
        {
            ToDense();
            _dense![bin] = count;
            return;
        }
        if (_used == pairs.Length)
        {
            // Grows by a half: the pairs of a quiet interval stay close to their number.
            Array.Resize(ref _pairs, Math.Min(SparseCapacity, pairs.Length + pairs.Length / 2 + 1));
            pairs = _pairs;
        }
        Array.Copy(pairs, i, pairs, i + 1, _used - i);
        pairs[i] = key | (uint)count;
        _used++;
        _lastIndex = i;
    }

    private void ToDense()
    {
        var dense = new int[BinCount];
        for (var i = 0; i < _used; i++)
        {
            dense[_pairs![i] >> CountBits] = (int)(_pairs[i] & CountMask);
        }
        _pairs = null;
        _dense = dense;
        _used = 0;
    }
}
