using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>What a call log observed of each caller of one call type (a <see cref="RecordedArrivalSpec"/> with recorded
/// values): the caller source issues the recorded calls in order, so the caller of index i (<see cref="CallIds.Index"/>)
/// is the i-th recorded call. Read by the caller source (patience) and the operator groups (handle time), the same in
/// every host; values are NaN where nothing was observed.</summary>
/// <remarks>
/// <para>Patience: observed exactly for a call the log shows abandoned (its time in queue, no patience factor applied:
/// it is what happened); for a call the log shows served, at least its time in queue, so drawn from the type's patience
/// (patience factors included) conditioned on exceeding that wait, by rejection from the caller source's patience
/// stream, at most <see cref="PatienceTries"/> draws, after which the wait itself is taken (the bound). Otherwise drawn as
/// for any caller. Only the first attempt uses it: a redial draws a fresh patience (the log recorded one attempt), a
/// transfer leg the target's.</para>
/// <para>Handle time: every talk of an operator with a recorded caller on its first leg lasts the recorded talk time
/// times the operator's multiplier, whatever brought them together (answered at the first attempt or at a redial, called
/// back, an outbound call): it is the caller's business that takes that long. A transfer leg is another call type's
/// business and draws its handle time.</para>
/// </remarks>
public sealed class RecordedCalls
{
    /// <summary>Draws a served caller's patience may take to exceed its recorded wait: with a patience of mean m and a
    /// wait w, the chance that all fail is (1 - P(patience &gt; w))^100, below 1 % for an exponential up to w = 3.1 m.</summary>
    public const int PatienceTries = 100;

    private readonly IReadOnlyList<float>? _handle;
    private readonly IReadOnlyList<float>? _patience;
    private readonly IReadOnlyList<float>? _patienceAtLeast;

    private RecordedCalls(RecordedArrivalSpec spec)
    {
        var count = spec.TimesSeconds.Count;
        _handle = Checked(spec.HandleSeconds, count, nameof(spec.HandleSeconds), spec.Source);
        _patience = Checked(spec.PatienceSeconds, count, nameof(spec.PatienceSeconds), spec.Source);
        _patienceAtLeast = Checked(spec.PatienceAtLeastSeconds, count, nameof(spec.PatienceAtLeastSeconds), spec.Source);
    }

    /// <summary>The recorded calls of a call type's arrivals; null when they are not recorded calls, or only their times.</summary>
    public static RecordedCalls? Of(ArrivalSpec arrivals) =>
        arrivals is RecordedArrivalSpec { HasRecordedCalls: true } recorded ? new RecordedCalls(recorded) : null;

    public bool HasHandleTimes => _handle is not null;

    /// <summary>The recorded talk time of caller <paramref name="index"/>; NaN: not observed.</summary>
    public double HandleTime(long index) => At(_handle, index);

    /// <summary>The patience caller <paramref name="index"/> was seen to have (it abandoned); NaN: not observed.</summary>
    public double Patience(long index) => At(_patience, index);

    /// <summary>A lower bound of caller <paramref name="index"/>'s patience (it was served after this wait); NaN: none.</summary>
    public double PatienceAtLeast(long index) => At(_patienceAtLeast, index);

    private static double At(IReadOnlyList<float>? values, long index) =>
        values is not null && index < values.Count ? values[(int)index] : double.NaN;

    private static IReadOnlyList<float>? Checked(IReadOnlyList<float>? values, int count, string name, string source)
    {
        if (values is null)
        {
            return null;
        }
        if (values.Count != count)
        {
            throw new InvalidOperationException($"Recorded arrivals of {source}: {name} holds {values.Count} values for {count} arrival times");
        }
        foreach (var v in values)
        {
            if (v < 0 || float.IsInfinity(v))
            {
                throw new InvalidOperationException($"Recorded arrivals of {source}: {name} holds {v}, not a duration (NaN: not observed)");
            }
        }
        return values;
    }
}
