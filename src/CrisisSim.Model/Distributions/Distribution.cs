using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Distributions;

/// <summary>A duration sampler; always given the stream it draws from.</summary>
public abstract class Distribution
{
    public abstract double Mean { get; }

    public abstract double Sample(RandomStream stream);

    public static Distribution From(DistributionSpec spec) => spec switch
    {
        ExponentialSpec e => new ExponentialDistribution(e.MeanSeconds),
        LogNormalSpec l => new LogNormalDistribution(l.MeanSeconds, l.StdDevSeconds),
        GammaSpec g => new GammaDistribution(g.MeanSeconds, g.StdDevSeconds),
        DeterministicSpec d => new DeterministicDistribution(d.ValueSeconds),
        EmpiricalSpec emp => new EmpiricalDistribution(emp.ValuesSeconds),
        MixtureSpec m => new MixtureDistribution(m),
        _ => throw new ArgumentException($"Unknown distribution {spec.GetType().Name}", nameof(spec)),
    };
}

public sealed class ExponentialDistribution(double mean) : Distribution
{
    public override double Mean => mean;

    public override double Sample(RandomStream stream) => stream.NextExponential(mean);
}

/// <summary>Lognormal with the given mean and standard deviation of the value itself.</summary>
public sealed class LogNormalDistribution : Distribution
{
    private readonly double _mu;
    private readonly double _sigma;

    public LogNormalDistribution(double mean, double stdDev)
    {
        Mean = mean;
        var variance = stdDev * stdDev;
        _sigma = Math.Sqrt(Math.Log(1 + variance / (mean * mean)));
        _mu = Math.Log(mean) - _sigma * _sigma / 2;
    }

    public override double Mean { get; }

    public override double Sample(RandomStream stream) => MathNet.Numerics.Distributions.LogNormal.Sample(stream, _mu, _sigma);
}

/// <summary>Gamma with the given mean and standard deviation (shape = (mean/sd)^2, rate = mean/sd^2).</summary>
public sealed class GammaDistribution : Distribution
{
    private readonly double _shape;
    private readonly double _rate;

    public GammaDistribution(double mean, double stdDev)
    {
        Mean = mean;
        _shape = mean * mean / (stdDev * stdDev);
        _rate = mean / (stdDev * stdDev);
    }

    public override double Mean { get; }

    public override double Sample(RandomStream stream) => MathNet.Numerics.Distributions.Gamma.Sample(stream, _shape, _rate);
}

public sealed class DeterministicDistribution(double value) : Distribution
{
    public override double Mean => value;

    public override double Sample(RandomStream stream) => value;
}

/// <summary>Draws one of the recorded values, each with equal probability.</summary>
/// <summary>Picks a component with one uniform draw (cumulative shares), then draws from it, from the same stream.</summary>
public sealed class MixtureDistribution : Distribution
{
    private readonly double[] _cumulative;
    private readonly Distribution[] _components;

    public MixtureDistribution(MixtureSpec spec)
    {
        if (spec.Components.Count == 0)
        {
            throw new ArgumentException("A mixture needs at least one component", nameof(spec));
        }
        _components = [.. spec.Components.Select(c => From(c.Distribution))];
        _cumulative = new double[_components.Length];
        var total = spec.Components.Sum(c => c.Share);
        var sum = 0.0;
        for (var i = 0; i < _components.Length; i++)
        {
            sum += spec.Components[i].Share;
            _cumulative[i] = sum / total;
        }
        _cumulative[^1] = 1;
        Mean = spec.Mean / total;
    }

    public override double Mean { get; }

    public override double Sample(RandomStream stream)
    {
        var u = stream.NextDouble();
        var i = 0;
        while (u >= _cumulative[i] && i < _cumulative.Length - 1)
        {
            i++;
        }
        return _components[i].Sample(stream);
    }
}

public sealed class EmpiricalDistribution : Distribution
{
    private readonly double[] _values;

    public EmpiricalDistribution(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("An empirical distribution needs at least one value", nameof(values));
        }
        _values = [.. values];
        Mean = _values.Average();
    }

    public override double Mean { get; }

    public override double Sample(RandomStream stream) => _values[stream.Next(_values.Length)];
}
