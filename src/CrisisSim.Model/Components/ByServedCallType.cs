namespace CrisisSim.Model.Components;

/// <summary>A value for each call type a group serves, looked up by call type index: an array over the span of the
/// served indices, or a dictionary when that span is mostly empty, so that many groups of many call types hold what
/// they serve rather than a slot per call type each.</summary>
public sealed class ByServedCallType<T>
    where T : class
{
    private readonly int _first;
    private readonly T?[]? _span;
    private readonly Dictionary<int, T>? _sparse;

    public ByServedCallType(IReadOnlyDictionary<int, T> byCallType)
    {
        ArgumentNullException.ThrowIfNull(byCallType);
        if (byCallType.Count == 0)
        {
            _span = [];
            return;
        }
        var first = byCallType.Keys.Min();
        var length = byCallType.Keys.Max() - first + 1;
        // A dense span keeps the lookup an array access; a span four times the entries (plus a little) is not dense.
        if (length <= 4 * byCallType.Count + 64)
        {
            _first = first;
            _span = new T?[length];
            foreach (var (t, value) in byCallType)
            {
                _span[t - first] = value;
            }
        }
        else
        {
            _sparse = new Dictionary<int, T>(byCallType);
        }
    }

    /// <summary>The value of a call type; null when the group does not serve it.</summary>
    public T? this[int callType] =>
        _span is { } span
            ? (uint)(callType - _first) < (uint)span.Length ? span[callType - _first] : null
            : _sparse!.GetValueOrDefault(callType);
}
