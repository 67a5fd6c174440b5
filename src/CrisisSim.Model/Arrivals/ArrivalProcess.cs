using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Arrivals;

/// <summary>What an arrival process of one replication may use besides its own stream.</summary>
/// <param name="Grid">The scenario's intervals and clock start.</param>
/// <param name="Stream">The named streams of the replication (seed, replication, name): a process that needs a draw
/// shared with other call types (a busyness factor) takes it from the stream of the same name.</param>
public sealed record ArrivalContext(ArrivalGrid Grid, Func<string, RandomStream> Stream);

/// <summary>The arrivals of one call type in one replication: a stateful generator of increasing arrival times.</summary>
public abstract class ArrivalProcess
{
    /// <summary>The next arrival time after the previous one returned (or after 0), drawn from
    /// <paramref name="stream"/>; <see cref="double.PositiveInfinity"/> when no arrival is left before the horizon.</summary>
    public abstract double Next(RandomStream stream);
}

/// <summary>Poisson arrivals with a rate constant within each interval, by inversion of the cumulative rate: one
/// exponential draw per arrival, exact, zero-rate intervals skipped.</summary>
public sealed class PiecewisePoissonProcess : ArrivalProcess
{
    private readonly double[] _ratePerSecond;
    private readonly double _intervalSeconds;
    private double _last;

    public PiecewisePoissonProcess(IReadOnlyList<double> callsPerInterval, double intervalSeconds, int intervalCount)
    {
        _intervalSeconds = intervalSeconds;
        _ratePerSecond = [.. callsPerInterval.Take(intervalCount).Select(c => c / intervalSeconds)];
    }

    public override double Next(RandomStream stream)
    {
        var work = stream.NextExponential(1.0);
        var k = (int)(_last / _intervalSeconds);
        var t = _last;
        while (k < _ratePerSecond.Length)
        {
            var end = (k + 1) * _intervalSeconds;
            var rate = _ratePerSecond[k];
            if (rate > 0)
            {
                var dt = work / rate;
                if (t + dt < end)
                {
                    _last = t + dt;
                    return _last;
                }
                work -= rate * (end - t);
            }
            t = end;
            k++;
        }
        _last = t;
        return double.PositiveInfinity;
    }
}

/// <summary>Poisson arrivals of a time-varying rate, exact, by thinning: candidates from a Poisson process of the
/// piecewise-constant upper bound (inversion, one exponential per candidate), each kept with probability
/// rate / bound. Where the rate is constant on a piece every candidate is kept without a draw.</summary>
public sealed class ThinningProcess : ArrivalProcess
{
    private readonly Intensity _intensity;
    private double _last;
    private double _pieceEnd = double.NegativeInfinity;
    private double _bound;
    private bool _constant;

    public ThinningProcess(Intensity intensity)
    {
        _intensity = intensity;
    }

    public override double Next(RandomStream stream)
    {
        var horizon = _intensity.Horizon;
        var work = stream.NextExponential(1.0);
        var t = _last;
        while (t < horizon)
        {
            if (t >= _pieceEnd)
            {
                var piece = _intensity.Piece(t);
                (_bound, _pieceEnd, _constant) = (piece.Bound, Math.Min(piece.End, horizon), piece.Constant);
            }
            if (_bound > 0)
            {
                var dt = work / _bound;
                if (t + dt < _pieceEnd)
                {
                    t += dt;
                    if (_constant || stream.NextDouble() * _bound < _intensity.Rate(t))
                    {
                        _last = t;
                        return t;
                    }
                    work = stream.NextExponential(1.0);
                    continue;
                }
                work -= _bound * (_pieceEnd - t);
            }
            t = _pieceEnd;
        }
        _last = t;
        return double.PositiveInfinity;
    }
}

/// <summary>A Hawkes process with exponential kernel on a baseline rate mu(t): the rate is
/// mu(t) + sum over past calls of (n / decay) exp(-(t - ti) / decay). Generated exactly by Ogata's thinning: the
/// excitation only decays between calls, so baseline bound + current excitation bounds the rate until the next
/// piece.</summary>
public sealed class HawkesProcess : ArrivalProcess
{
    private readonly Intensity _baseline;
    private readonly double _jump;
    private readonly double _beta;
    private double _last;
    private double _excitation;
    private double _pieceEnd = double.NegativeInfinity;
    private double _bound;

    public HawkesProcess(Intensity baseline, double branchingRatio, double decaySeconds)
    {
        _baseline = baseline;
        _beta = 1 / decaySeconds;
        _jump = branchingRatio / decaySeconds;
    }

    public override double Next(RandomStream stream)
    {
        var horizon = _baseline.Horizon;
        var t = _last;
        var e = _excitation;
        while (t < horizon)
        {
            if (t >= _pieceEnd)
            {
                var piece = _baseline.Piece(t);
                (_bound, _pieceEnd) = (piece.Bound, Math.Min(piece.End, horizon));
            }
            var bound = _bound + e;
            var dt = bound > 0 ? stream.NextExponential(1.0) / bound : double.PositiveInfinity;
            if (t + dt >= _pieceEnd)
            {
                e *= Math.Exp(-_beta * (_pieceEnd - t));
                t = _pieceEnd;
                continue;
            }
            t += dt;
            e *= Math.Exp(-_beta * dt);
            if (stream.NextDouble() * bound < _baseline.Rate(t) + e)
            {
                _last = t;
                _excitation = e + _jump;
                return t;
            }
        }
        _last = t;
        _excitation = e;
        return double.PositiveInfinity;
    }
}

/// <summary>Arrivals at given times, in order, up to the horizon; draws nothing from the stream.</summary>
public sealed class RecordedProcess(IReadOnlyList<double> times, double horizonSeconds) : ArrivalProcess
{
    private int _next;

    public override double Next(RandomStream stream)
    {
        if (_next < times.Count && times[_next] < horizonSeconds)
        {
            return times[_next++];
        }
        return double.PositiveInfinity;
    }
}
