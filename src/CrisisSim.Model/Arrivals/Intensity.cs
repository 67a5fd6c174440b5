using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Arrivals;

/// <summary>A piece of an intensity: from the time asked for up to <see cref="End"/> the rate is at most
/// <see cref="Bound"/>, and equal to it when <see cref="Constant"/>.</summary>
public readonly record struct RatePiece(double Bound, double End, bool Constant);

/// <summary>An arrival rate (calls per second) that depends on time only, over [0, <see cref="Horizon"/>).</summary>
public abstract class Intensity
{
    public abstract double Horizon { get; }

    public abstract double Rate(double t);

    /// <summary>The piece holding <paramref name="t"/>; its end is after <paramref name="t"/>. Pieces are asked for in
    /// increasing time.</summary>
    public abstract RatePiece Piece(double t);
}

/// <summary>A piecewise-constant rate: <c>rate[i]</c> (calls per second) from <c>start[i]</c> to the next start, the
/// last one up to <see cref="End"/>; 0 before the first start and from the end on.</summary>
public sealed class StepRate
{
    private readonly double[] _starts;
    private readonly double[] _rates;
    private int _cursor;

    public StepRate(double[] starts, double[] ratesPerSecond, double end)
    {
        _starts = starts;
        _rates = ratesPerSecond;
        End = end;
    }

    public double End { get; }

    public int Count => _starts.Length;

    public double StartOf(int i) => _starts[i];

    public double EndOf(int i) => i + 1 < _starts.Length ? Math.Min(_starts[i + 1], End) : End;

    public double RateOf(int i) => _rates[i];

    public static StepRate PerInterval(IReadOnlyList<double> callsPerInterval, ArrivalGrid grid)
    {
        var n = Math.Min(callsPerInterval.Count, grid.IntervalCount);
        var starts = new double[n];
        var rates = new double[n];
        for (var k = 0; k < n; k++)
        {
            starts[k] = k * grid.IntervalSeconds;
            rates[k] = callsPerInterval[k] / grid.IntervalSeconds;
        }
        return new StepRate(starts, rates, n * grid.IntervalSeconds);
    }

    /// <summary>Expected calls in [from, to) of <see cref="PerInterval"/>'s steps, computed as <see cref="Integral"/>
    /// computes them (the same terms in the same order) without building the steps.</summary>
    /// <remarks>The reader checks the calls of every call type: two arrays per call type would otherwise be allocated
    /// for a sum.</remarks>
    public static double PerIntervalIntegral(IReadOnlyList<double> callsPerInterval, ArrivalGrid grid, double from, double to)
    {
        var n = Math.Min(callsPerInterval.Count, grid.IntervalCount);
        var end = n * grid.IntervalSeconds;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var a = Math.Max(from, i * grid.IntervalSeconds);
            var b = Math.Min(to, i + 1 < n ? Math.Min((i + 1) * grid.IntervalSeconds, end) : end);
            if (b > a)
            {
                sum += callsPerInterval[i] / grid.IntervalSeconds * (b - a);
            }
        }
        return sum;
    }

    public static StepRate FromTable(IReadOnlyList<double> startSeconds, IReadOnlyList<double> callsPerHour, double horizon)
    {
        var n = 0;
        while (n < startSeconds.Count && startSeconds[n] < horizon)
        {
            n++;
        }
        return new StepRate([.. startSeconds.Take(n)], [.. callsPerHour.Take(n).Select(c => c / 3600)], horizon);
    }

    /// <summary>Clock hours over the horizon, the first and last ones cut at the start and at the horizon.</summary>
    public static StepRate DailyProfile(IReadOnlyList<double> callsPerHour, IReadOnlyList<double> dayFactors, ArrivalGrid grid)
    {
        var horizon = grid.HorizonSeconds;
        var starts = new List<double>();
        var rates = new List<double>();
        var hour = (long)Math.Floor(grid.ClockStartSeconds / 3600);
        for (var start = 0.0; start < horizon; hour++, start = hour * 3600 - grid.ClockStartSeconds)
        {
            var day = (int)(hour / 24);
            var factor = dayFactors.Count == 0 ? 1 : dayFactors[day % dayFactors.Count];
            starts.Add(start);
            rates.Add(callsPerHour[(int)(hour % 24)] * factor / 3600);
        }
        return new StepRate([.. starts], [.. rates], horizon);
    }

    /// <summary>The step holding <paramref name="t"/>, or -1 before the first start. Fast when asked in increasing time.</summary>
    public int Find(double t)
    {
        if (_starts.Length == 0 || t < _starts[0])
        {
            return -1;
        }
        if (t < _starts[_cursor])
        {
            var i = Array.BinarySearch(_starts, t);
            _cursor = i >= 0 ? i : ~i - 1;
            return _cursor;
        }
        while (_cursor + 1 < _starts.Length && _starts[_cursor + 1] <= t)
        {
            _cursor++;
        }
        return _cursor;
    }

    public double Rate(double t)
    {
        if (t >= End)
        {
            return 0;
        }
        var i = Find(t);
        return i < 0 ? 0 : _rates[i];
    }

    /// <summary>Expected calls in [from, to).</summary>
    public double Integral(double from, double to)
    {
        var sum = 0.0;
        for (var i = 0; i < _starts.Length; i++)
        {
            var a = Math.Max(from, _starts[i]);
            var b = Math.Min(to, EndOf(i));
            if (b > a)
            {
                sum += _rates[i] * (b - a);
            }
        }
        return sum;
    }

    public double Max() => _rates.Length == 0 ? 0 : _rates.Max();
}

/// <summary>A piecewise-constant rate as an intensity: each step is one piece, no thinning draw.</summary>
public sealed class StepIntensity(StepRate steps) : Intensity
{
    public override double Horizon => steps.End;

    public override double Rate(double t) => steps.Rate(t);

    public override RatePiece Piece(double t)
    {
        var i = steps.Find(t);
        if (i < 0)
        {
            return new RatePiece(0, steps.Count > 0 ? steps.StartOf(0) : steps.End, true);
        }
        return new RatePiece(steps.RateOf(i), steps.EndOf(i), true);
    }
}

/// <summary>Baseline steps times (1 + sum of (multiplier - 1) x shape): pieces are the steps cut to at most
/// <see cref="MaxPieceSeconds"/>, bounded by each surge's largest value on the piece.</summary>
public sealed class SurgeIntensity : Intensity
{
    /// <summary>Short pieces keep the bound close to the rate, so few candidates are thrown away.</summary>
    public const double MaxPieceSeconds = 600;

    private readonly StepRate _steps;
    private readonly SurgeSpec[] _surges;

    public SurgeIntensity(StepRate steps, IReadOnlyList<SurgeSpec> surges)
    {
        _steps = steps;
        _surges = [.. surges];
    }

    public override double Horizon => _steps.End;

    public override double Rate(double t)
    {
        var baseline = _steps.Rate(t);
        return baseline == 0 ? 0 : baseline * Factor(t);
    }

    private double Factor(double t)
    {
        var factor = 1.0;
        foreach (var s in _surges)
        {
            factor += (s.Multiplier - 1) * s.Shape(t);
        }
        return factor;
    }

    public override RatePiece Piece(double t)
    {
        var i = _steps.Find(t);
        if (i < 0)
        {
            return new RatePiece(0, _steps.Count > 0 ? _steps.StartOf(0) : _steps.End, true);
        }
        var start = _steps.StartOf(i);
        var end = _steps.EndOf(i);
        var rate = _steps.RateOf(i);
        if (_surges.Length == 0 || rate == 0)
        {
            return new RatePiece(rate, end, true);
        }
        var chunkEnd = Math.Min(end, start + (Math.Floor((t - start) / MaxPieceSeconds) + 1) * MaxPieceSeconds);
        if (chunkEnd <= t)
        {
            chunkEnd = Math.Min(end, t + MaxPieceSeconds);
        }
        var bound = 1.0;
        foreach (var s in _surges)
        {
            bound += (s.Multiplier - 1) * s.MaxShape(t, chunkEnd);
        }
        return new RatePiece(rate * bound, chunkEnd, false);
    }

    /// <summary>Expected calls in [from, to): exact, from the closed-form integral of each shape.</summary>
    public double Integral(double from, double to)
    {
        var sum = 0.0;
        for (var i = 0; i < _steps.Count; i++)
        {
            var a = Math.Max(from, _steps.StartOf(i));
            var b = Math.Min(to, _steps.EndOf(i));
            if (b <= a || _steps.RateOf(i) == 0)
            {
                continue;
            }
            var area = b - a;
            foreach (var s in _surges)
            {
                area += (s.Multiplier - 1) * (s.ShapeIntegral(b) - s.ShapeIntegral(a));
            }
            sum += _steps.RateOf(i) * area;
        }
        return sum;
    }

    /// <summary>The largest rate found at every step start, every surge's peak and on a grid of at most 100,000 points.</summary>
    public double PeakRate()
    {
        var horizon = _steps.End;
        var times = new List<double>();
        for (var i = 0; i < _steps.Count; i++)
        {
            times.Add(_steps.StartOf(i));
        }
        times.AddRange(_surges.Select(s => s.PeakSeconds).Where(p => p >= 0 && p < horizon));
        var step = Math.Max(60, horizon / 100_000);
        for (var t = 0.0; t < horizon; t += step)
        {
            times.Add(t);
        }
        times.Sort();
        var peak = 0.0;
        foreach (var t in times)
        {
            peak = Math.Max(peak, Rate(t));
        }
        return peak;
    }
}

/// <summary>An intensity times a busyness factor B ~ Gamma(alpha, alpha) per day (or per replication), drawn from the
/// stream <c>busyness/day&lt;d&gt;</c> (<c>busyness/replication</c>): the same for every call type on the same day.</summary>
public sealed class BusyIntensity : Intensity
{
    private readonly Intensity _inner;
    private readonly double _alpha;
    private readonly BusynessPeriod _period;
    private readonly ArrivalContext _context;
    private int _day = int.MinValue;
    private double _factor;

    public BusyIntensity(Intensity inner, double alpha, BusynessPeriod period, ArrivalContext context)
    {
        _inner = inner;
        _alpha = alpha;
        _period = period;
        _context = context;
    }

    public override double Horizon => _inner.Horizon;

    public override double Rate(double t) => _inner.Rate(t) * FactorAt(t);

    public override RatePiece Piece(double t)
    {
        var piece = _inner.Piece(t);
        var end = piece.End;
        if (_period == BusynessPeriod.Day)
        {
            var grid = _context.Grid;
            var day = grid.DayOf(t);
            var nextDay = grid.DayStart(day + 1);
            // Rounding at a day boundary may place t in the day before: the next start is then a day later.
            end = Math.Min(end, nextDay > t ? nextDay : grid.DayStart(day + 2));
        }
        return new RatePiece(piece.Bound * FactorAt(t), end, piece.Constant);
    }

    /// <summary>The factor of day <paramref name="day"/> (any day when per replication) of a replication.</summary>
    public static double Factor(Func<string, Randomness.RandomStream> streams, double alpha, BusynessPeriod period, int day)
    {
        var name = period == BusynessPeriod.Day ? "busyness/day" + day.ToString(System.Globalization.CultureInfo.InvariantCulture) : "busyness/replication";
        return MathNet.Numerics.Distributions.Gamma.Sample(streams(name), alpha, alpha);
    }

    private double FactorAt(double t)
    {
        var day = _period == BusynessPeriod.Day ? _context.Grid.DayOf(t) : 0;
        if (day != _day)
        {
            _day = day;
            _factor = Factor(_context.Stream, _alpha, _period, day);
        }
        return _factor;
    }
}
