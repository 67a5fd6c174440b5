using System.Globalization;
using CrisisSim.Model.Arrivals;
using MathNet.Numerics;

namespace CrisisSim.Model.Scenario;

/// <summary>The rate under the surges: constant on steps (intervals, or clock hours of a daily profile).</summary>
public abstract record BaselineSpec
{
    public abstract StepRate Steps(ArrivalGrid grid);

    public abstract string Describe();
}

/// <summary>Expected calls in each interval, one value per interval.</summary>
public sealed record PerIntervalBaseline(IReadOnlyList<double> CallsPerInterval) : BaselineSpec
{
    public override StepRate Steps(ArrivalGrid grid) => StepRate.PerInterval(CallsPerInterval, grid);

    public override string Describe() => "per interval";
}

/// <summary>An hour-of-day profile repeated every day: <c>CallsPerHour[h]</c> from h:00 to h+1:00 (clock time), times
/// <c>DayFactors[(d - 1) mod 7]</c> on day d of the run (no factor when the list is empty).</summary>
public sealed record DailyProfileBaseline(IReadOnlyList<double> CallsPerHour, IReadOnlyList<double> DayFactors) : BaselineSpec
{
    public override StepRate Steps(ArrivalGrid grid) => StepRate.DailyProfile(CallsPerHour, DayFactors, grid);

    public override string Describe() => DayFactors.Count == 0 ? "daily profile" : "daily profile x day factors";
}

/// <summary>A surge on top of the baseline: it multiplies the baseline by up to <see cref="Multiplier"/> (at least 1),
/// following a shape between 0 and 1 that starts at <see cref="AtSeconds"/> (run time).</summary>
public abstract record SurgeSpec(double AtSeconds, double Multiplier)
{
    /// <summary>The shape, between 0 and 1, at run time <paramref name="t"/>.</summary>
    public abstract double Shape(double t);

    /// <summary>The largest value of the shape on [<paramref name="a"/>, <paramref name="b"/>].</summary>
    public abstract double MaxShape(double a, double b);

    /// <summary>The integral of the shape from the onset to <paramref name="t"/> (0 before the onset).</summary>
    public abstract double ShapeIntegral(double t);

    /// <summary>Where the shape reaches 1 first.</summary>
    public abstract double PeakSeconds { get; }

    public abstract string Describe();

    protected static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The rate jumps to <c>Multiplier</c> x baseline at <c>AtSeconds</c> and stays there until <c>UntilSeconds</c>
/// (infinity: to the end).</summary>
public sealed record StepSurge(double AtSeconds, double Multiplier, double UntilSeconds) : SurgeSpec(AtSeconds, Multiplier)
{
    public override double Shape(double t) => t >= AtSeconds && t < UntilSeconds ? 1 : 0;

    public override double MaxShape(double a, double b) => b >= AtSeconds && a < UntilSeconds ? 1 : 0;

    public override double ShapeIntegral(double t) => Math.Clamp(t, AtSeconds, Math.Max(AtSeconds, UntilSeconds)) - AtSeconds;

    public override double PeakSeconds => AtSeconds;

    public override string Describe() => Inv($"step x{Multiplier}");
}

/// <summary>The multiplier rises linearly from 1 at <c>AtSeconds</c> to <c>Multiplier</c> over <c>RampSeconds</c>, then
/// stays there until <c>UntilSeconds</c> (infinity: to the end).</summary>
public sealed record RampSurge(double AtSeconds, double Multiplier, double RampSeconds, double UntilSeconds) : SurgeSpec(AtSeconds, Multiplier)
{
    public override double Shape(double t) => t < AtSeconds || t >= UntilSeconds ? 0 : Math.Min(1, (t - AtSeconds) / RampSeconds);

    public override double MaxShape(double a, double b) =>
        b < AtSeconds || a >= UntilSeconds ? 0 : Math.Min(1, Math.Max(0, (Math.Min(b, UntilSeconds) - AtSeconds) / RampSeconds));

    public override double ShapeIntegral(double t)
    {
        var x = Math.Min(t, UntilSeconds) - AtSeconds;
        return x <= 0 ? 0 : x <= RampSeconds ? x * x / (2 * RampSeconds) : RampSeconds / 2 + (x - RampSeconds);
    }

    public override double PeakSeconds => AtSeconds + RampSeconds;

    public override string Describe() => Inv($"ramp to x{Multiplier}");
}

/// <summary>The multiplier jumps to <c>Multiplier</c> at <c>AtSeconds</c>, then the excess halves every
/// <c>HalfLifeSeconds</c>.</summary>
public sealed record DecaySurge(double AtSeconds, double Multiplier, double HalfLifeSeconds) : SurgeSpec(AtSeconds, Multiplier)
{
    public override double Shape(double t) => t < AtSeconds ? 0 : Math.Pow(2, -(t - AtSeconds) / HalfLifeSeconds);

    public override double MaxShape(double a, double b) => b < AtSeconds ? 0 : Shape(Math.Max(a, AtSeconds));

    public override double ShapeIntegral(double t) =>
        t <= AtSeconds ? 0 : HalfLifeSeconds / Math.Log(2) * (1 - Math.Pow(2, -(t - AtSeconds) / HalfLifeSeconds));

    public override double PeakSeconds => AtSeconds;

    public override string Describe() => Inv($"decay from x{Multiplier}");
}

/// <summary>A gamma-shaped bump: from <c>AtSeconds</c>, the multiplier rises to <c>Multiplier</c> after
/// <c>TimeToPeakSeconds</c>, then falls with an exponential tail of time constant <c>DecaySeconds</c>:
/// shape(x) = (x / tp)^k exp(-(x - tp) / decay) with k = tp / decay, x the time since the onset.</summary>
public sealed record GammaBumpSurge(double AtSeconds, double Multiplier, double TimeToPeakSeconds, double DecaySeconds) : SurgeSpec(AtSeconds, Multiplier)
{
    private double K => TimeToPeakSeconds / DecaySeconds;

    public override double Shape(double t)
    {
        var x = t - AtSeconds;
        return x <= 0 ? 0 : Math.Exp(K * Math.Log(x / TimeToPeakSeconds) - (x - TimeToPeakSeconds) / DecaySeconds);
    }

    public override double MaxShape(double a, double b) =>
        a <= PeakSeconds && PeakSeconds <= b ? 1 : Math.Max(Shape(a), Shape(b));

    /// <summary>decay x e^k k^-k Gamma(k + 1) P(k + 1, x / decay), in logarithms so that a large k does not overflow.</summary>
    public override double ShapeIntegral(double t)
    {
        var x = t - AtSeconds;
        if (x <= 0)
        {
            return 0;
        }
        var k = K;
        return DecaySeconds * Math.Exp(k - k * Math.Log(k) + SpecialFunctions.GammaLn(k + 1))
            * SpecialFunctions.GammaLowerRegularized(k + 1, x / DecaySeconds);
    }

    public override double PeakSeconds => AtSeconds + TimeToPeakSeconds;

    public override string Describe() => Inv($"gamma bump to x{Multiplier}");
}
