namespace CrisisSim.Benchmarks;

/// <summary>An M/M/n+M queue (Poisson arrivals, exponential handle times, n operators, FIFO, exponential patience):
/// the workload as one purpose-written event loop would run it.</summary>
/// <param name="CallsPerSecond">Arrival rate.</param>
/// <param name="HorizonSeconds">Calls arrive until then; those still waiting after <paramref name="DrainSeconds"/> more are unserved.</param>
/// <param name="WarmupSeconds">Calls arriving before this are run but not counted.</param>
public sealed record ReferenceWorkload(
    double CallsPerSecond,
    double MeanHandleSeconds,
    int Operators,
    double MeanPatienceSeconds,
    double HorizonSeconds,
    double ThresholdSeconds,
    double DrainSeconds = 4 * 3600,
    double WarmupSeconds = 0)
{
    /// <summary>Workload W (scenarios/bench/w.yaml).</summary>
    public static ReferenceWorkload W { get; } = new(50, 60, 3100, 120, 2 * 3600, 20);

    /// <summary>Workload W-small (scenarios/bench/w-small.yaml).</summary>
    public static ReferenceWorkload WSmall { get; } = new(1, 180, 190, 300, 8 * 3600, 20);

    public static ReferenceWorkload Named(string name) => name switch
    {
        "w" => W,
        "w-small" => WSmall,
        _ => throw new ArgumentException($"No reference loop for workload '{name}': use w or w-small", nameof(name)),
    };
}

/// <summary>What one run of the reference loop counted, over the calls that arrived after the warm-up.</summary>
public readonly record struct ReferenceKpis(
    long Offered,
    long Answered,
    long Abandoned,
    long Unserved,
    long AnsweredWithinThreshold,
    double AnsweredWaitSum,
    double AbandonedWaitSum,
    double BusySeconds,
    long Events)
{
    /// <summary>Answered within the threshold over offered (the engine's service level counts the same way).</summary>
    public double ServiceLevel => (double)AnsweredWithinThreshold / Offered;

    public double AbandonmentRate => (double)Abandoned / Offered;

    /// <summary>Mean time in queue over answered and abandoned calls (W in Erlang A).</summary>
    public double MeanWait => (AnsweredWaitSum + AbandonedWaitSum) / (Answered + Abandoned);

    public double AverageSpeedOfAnswer => AnsweredWaitSum / Answered;
}

/// <summary>A minimal M/M/n+M event loop over a binary heap: the speed yardstick for the inline engine. Three kinds of
/// event (arrival, end of service, patience expired) on one <see cref="PriorityQueue{TElement,TPriority}"/>; waiting
/// calls in a ring in arrival order, an abandoned one left in place until it reaches the front. No allocation per
/// event once the heap and the ring have grown.</summary>
public sealed class ReferenceLoop
{
    private const long Arrival = 0;
    private const long ServiceEnd = 1;
    private const long PatienceEnd = 2;

    private readonly PriorityQueue<long, double> _calendar = new(4096);
    private double[] _waitingArrival = new double[1024];
    private bool[] _waitingGone = new bool[1024];
    private long _head;
    private long _tail;
    private Xoshiro _random;

    public ReferenceLoop(ulong seed) => _random = new Xoshiro(seed);

    /// <summary>One replication: the generator goes on from where the last run left it.</summary>
    public ReferenceKpis Run(ReferenceWorkload w)
    {
        _calendar.Clear();
        _head = _tail = 0;
        var meanArrival = 1 / w.CallsPerSecond;
        var close = w.HorizonSeconds + w.DrainSeconds;
        var idle = w.Operators;
        long offered = 0, answered = 0, abandoned = 0, unserved = 0, within = 0, events = 0;
        double answeredWaits = 0, abandonedWaits = 0, busySeconds = 0;
        var now = 0.0;

        _calendar.Enqueue(Arrival, Exponential(meanArrival));
        while (_calendar.TryDequeue(out var ev, out var time))
        {
            if (time > close)
            {
                break;
            }
            events++;
            // Operator time over [warm-up, horizon), as the engine's occupancy counts it.
            busySeconds += (w.Operators - idle) * Overlap(now, time, w.WarmupSeconds, w.HorizonSeconds);
            now = time;
            switch (ev & 3)
            {
                case Arrival:
                {
                    var counted = now >= w.WarmupSeconds;
                    offered += counted ? 1 : 0;
                    var next = now + Exponential(meanArrival);
                    if (next < w.HorizonSeconds)
                    {
                        _calendar.Enqueue(Arrival, next);
                    }
                    var patience = Exponential(w.MeanPatienceSeconds);
                    if (idle > 0)
                    {
                        idle--;
                        answered += counted ? 1 : 0;
                        within += counted ? 1 : 0;
                        _calendar.Enqueue(ServiceEnd, now + Exponential(w.MeanHandleSeconds));
                        break;
                    }
                    var index = Enqueue(now);
                    _calendar.Enqueue(PatienceEnd | (index << 2), now + patience);
                    break;
                }
                case ServiceEnd:
                {
                    var index = DequeueLive();
                    if (index < 0)
                    {
                        idle++;
                        break;
                    }
                    var arrival = _waitingArrival[index & (_waitingArrival.Length - 1)];
                    if (arrival >= w.WarmupSeconds)
                    {
                        var wait = now - arrival;
                        answered++;
                        answeredWaits += wait;
                        within += wait <= w.ThresholdSeconds ? 1 : 0;
                    }
                    _calendar.Enqueue(ServiceEnd, now + Exponential(w.MeanHandleSeconds));
                    break;
                }
                default:
                {
                    var index = ev >> 2;
                    var slot = index & (_waitingArrival.Length - 1);
                    if (index < _head || _waitingGone[slot])
                    {
                        break; // answered already
                    }
                    _waitingGone[slot] = true;
                    var arrival = _waitingArrival[slot];
                    if (arrival >= w.WarmupSeconds)
                    {
                        abandoned++;
                        abandonedWaits += now - arrival;
                    }
                    break;
                }
            }
        }
        for (var index = _head; index < _tail; index++)
        {
            var slot = index & (_waitingArrival.Length - 1);
            unserved += !_waitingGone[slot] && _waitingArrival[slot] >= w.WarmupSeconds ? 1 : 0;
        }
        return new ReferenceKpis(offered, answered, abandoned, unserved, within, answeredWaits, abandonedWaits, busySeconds, events);
    }

    private static double Overlap(double from, double to, double start, double end) =>
        Math.Max(0, Math.Min(to, end) - Math.Max(from, start));

    private long Enqueue(double arrival)
    {
        if (_tail - _head == _waitingArrival.Length)
        {
            Grow();
        }
        var slot = _tail & (_waitingArrival.Length - 1);
        _waitingArrival[slot] = arrival;
        _waitingGone[slot] = false;
        return _tail++;
    }

    /// <summary>The index of the oldest call still waiting, taken out of the ring, or -1.</summary>
    private long DequeueLive()
    {
        var mask = _waitingArrival.Length - 1;
        while (_head < _tail)
        {
            var index = _head++;
            if (!_waitingGone[index & mask])
            {
                _waitingGone[index & mask] = true;
                return index;
            }
        }
        return -1;
    }

    private void Grow()
    {
        var arrival = new double[_waitingArrival.Length * 2];
        var gone = new bool[arrival.Length];
        for (var index = _head; index < _tail; index++)
        {
            arrival[index & (arrival.Length - 1)] = _waitingArrival[index & (_waitingArrival.Length - 1)];
            gone[index & (arrival.Length - 1)] = _waitingGone[index & (_waitingArrival.Length - 1)];
        }
        _waitingArrival = arrival;
        _waitingGone = gone;
    }

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    /// <summary>xoshiro256** seeded through splitmix64: the loop's own generator.</summary>
    private struct Xoshiro
    {
        private ulong _s0, _s1, _s2, _s3;

        public Xoshiro(ulong seed)
        {
            _s0 = SplitMix(ref seed);
            _s1 = SplitMix(ref seed);
            _s2 = SplitMix(ref seed);
            _s3 = SplitMix(ref seed);
        }

        public double NextDouble()
        {
            var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return (result >> 11) * (1.0 / (1UL << 53));
        }

        private static ulong SplitMix(ref ulong x)
        {
            var z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
