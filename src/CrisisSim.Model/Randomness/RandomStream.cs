using System.Numerics;
using System.Text;

namespace CrisisSim.Model.Randomness;

/// <summary>xoshiro256** generator seeded through SplitMix64: fast, 64-bit seeded, identical on every host.</summary>
/// <remarks>Derives from <see cref="Random"/> so MathNet distributions can be given the stream explicitly.</remarks>
public sealed class RandomStream : Random
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public RandomStream(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The stream named <paramref name="name"/> of replication <paramref name="replication"/> of a run seeded with
    /// <paramref name="seed"/>. Depends on nothing else, so results do not depend on the host or the order of execution.</summary>
    public static RandomStream For(long seed, int replication, string name) => new(DeriveSeed(seed, replication, name));

    public static ulong DeriveSeed(long seed, int replication, string name)
    {
        // FNV-1a over the UTF-8 name, then SplitMix64 mixing with the seed and replication.
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        var x = unchecked((ulong)seed) ^ 0x6A09E667F3BCC909UL;
        var a = SplitMix64(ref x);
        x = a ^ unchecked((ulong)(uint)replication * 0x9E3779B97F4A7C15UL);
        var b2 = SplitMix64(ref x);
        x = b2 ^ h;
        return SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform in (0, 1]: safe under a logarithm.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / 9007199254740992.0);

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)((NextUInt64() >> 32) * (ulong)maxValue >> 32);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (ulong)((long)maxValue - minValue);
        return (int)(minValue + (long)((NextUInt64() >> 32) * range >> 32));
    }

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    /// <summary>Exponential with the given mean (inversion).</summary>
    public double NextExponential(double mean) => -Math.Log(NextOpenDouble()) * mean;
}
