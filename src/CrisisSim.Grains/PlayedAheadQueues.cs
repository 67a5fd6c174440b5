using CrisisSim.Model.Components;

namespace CrisisSim.Grains;

/// <summary>Per component, the deliveries its grain has played ahead and the clock has not reached yet.</summary>
internal sealed class PlayedAheadQueues(int components)
{
    private readonly PlayedAhead[]?[] _played = new PlayedAhead[]?[components];
    private readonly int[] _next = new int[components];

    public void Set(int address, PlayedAhead[] played)
    {
        if (_played[address] is { } pending && _next[address] < pending.Length)
        {
            throw new InvalidOperationException($"Component {address} played ahead again before its earlier deliveries were reached");
        }
        _played[address] = played;
        _next[address] = 0;
    }

    /// <summary>The effects played ahead for this delivery, or null when the component has not played it.</summary>
    public Effect[]? TryTake(double now, in Message message)
    {
        var address = message.Target;
        if (_played[address] is not { } played || _next[address] >= played.Length)
        {
            return null;
        }
        var expected = played[_next[address]++];
        if (expected.Now != now || expected.Message != message)
        {
            // The component was played ahead on the assumption that only its own timers reach it.
            throw new InvalidOperationException(
                $"Component {address} was played ahead for {expected.Message.Kind} at {expected.Now} but received {message.Kind} at {now}");
        }
        return expected.Effects;
    }

    public void EnsureAllTaken()
    {
        for (var address = 0; address < _played.Length; address++)
        {
            if (_played[address] is { } played && _next[address] < played.Length)
            {
                throw new InvalidOperationException($"Component {address} played {played.Length - _next[address]} deliveries ahead that never came");
            }
        }
    }
}
