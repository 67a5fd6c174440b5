using System.Collections;

namespace CrisisSim.Scenarios;

/// <summary>One value for each of <see cref="Count"/> intervals, held once: a single number written for a per-interval
/// setting (calls, staffing, a factor) costs no memory per interval.</summary>
/// <remarks>At the limits (10,000 call types and 10,000 groups over 200 intervals) the lists written out took 24 MB
/// that the definition keeps for the whole run.</remarks>
internal sealed class SameEachInterval<T>(T value, int count) : IReadOnlyList<T>
{
    public int Count { get; } = count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count));

    public T this[int index] => (uint)index < (uint)Count ? value : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return value;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
