using System.Globalization;

namespace CrisisSim.Grains;

/// <summary>Grain keys of a run. The clock and the replication grain are keyed by the run id, a component grain by
/// <c>RUNID#ADDRESS</c>; placement puts every grain whose key has the same run id on the same silo.</summary>
public static class RunKeys
{
    public const char ComponentSeparator = '#';

    public static string Component(string runId, int address) =>
        runId + ComponentSeparator + address.ToString(CultureInfo.InvariantCulture);

    /// <summary>The run id of a run grain's key: the key up to its last <c>#</c>, or the whole key.</summary>
    public static string RunIdOf(string grainKey)
    {
        var i = grainKey.LastIndexOf(ComponentSeparator);
        return i < 0 ? grainKey : grainKey[..i];
    }

    /// <summary>The component address in a component grain's key.</summary>
    public static int AddressOf(string componentKey)
    {
        var i = componentKey.LastIndexOf(ComponentSeparator);
        if (i < 0 || !int.TryParse(componentKey.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var address))
        {
            throw new ArgumentException($"'{componentKey}' is not a component key (RUNID#ADDRESS)", nameof(componentKey));
        }
        return address;
    }

    /// <summary>The id of replication <paramref name="replication"/> of the run <paramref name="runId"/>.</summary>
    public static string Replication(string runId, int replication) =>
        runId + "/r" + replication.ToString(CultureInfo.InvariantCulture);

    /// <summary>The id of attempt <paramref name="attempt"/> (1 for the first) of a replication: a replication lost with
    /// its silo runs again under a new id, which placement may put on another silo.</summary>
    public static string Replication(string runId, int replication, int attempt) =>
        attempt <= 1 ? Replication(runId, replication) : Replication(runId, replication) + "-a" + attempt.ToString(CultureInfo.InvariantCulture);

    public static void Validate(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId.Contains(ComponentSeparator))
        {
            throw new ArgumentException($"A run id may not contain '{ComponentSeparator}': '{runId}'", nameof(runId));
        }
    }

    /// <summary>A hash of the run id that is the same in every process (unlike <see cref="string.GetHashCode()"/>):
    /// FNV-1a over the UTF-16 code units.</summary>
    public static ulong StableHash(string runId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in runId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
