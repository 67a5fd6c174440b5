namespace CrisisSim.Model.Scenario;

/// <summary>A positive random duration (seconds), as written in a scenario. Immutable parameters only:
/// <see cref="Distributions.Distribution.From"/> turns it into a sampler that is always given its stream.</summary>
public abstract record DistributionSpec
{
    public abstract double Mean { get; }
}

public sealed record ExponentialSpec(double MeanSeconds) : DistributionSpec
{
    public override double Mean => MeanSeconds;
}

/// <summary>Lognormal given by the mean and standard deviation of the duration itself (not of its logarithm).</summary>
public sealed record LogNormalSpec(double MeanSeconds, double StdDevSeconds) : DistributionSpec
{
    public override double Mean => MeanSeconds;
}

/// <summary>Gamma given by mean and standard deviation (shape = (mean/sd)^2).</summary>
public sealed record GammaSpec(double MeanSeconds, double StdDevSeconds) : DistributionSpec
{
    public override double Mean => MeanSeconds;
}

public sealed record DeterministicSpec(double ValueSeconds) : DistributionSpec
{
    public override double Mean => ValueSeconds;
}

/// <summary>A mixture: each draw picks a component with the probability of its share (the shares sum to 1), then draws
/// from it; e.g. a share of callers leaving within seconds, the rest by another distribution.</summary>
public sealed record MixtureSpec(IReadOnlyList<MixtureComponentSpec> Components) : DistributionSpec
{
    public override double Mean => Components.Sum(c => c.Share * c.Distribution.Mean);
}

/// <summary>One component of a <see cref="MixtureSpec"/>: its share of the draws and its distribution (not itself a
/// mixture).</summary>
public sealed record MixtureComponentSpec(double Share, DistributionSpec Distribution);

/// <summary>Each draw picks one of the values with equal probability.</summary>
public sealed record EmpiricalSpec(IReadOnlyList<double> ValuesSeconds) : DistributionSpec
{
    public override double Mean => ValuesSeconds.Count == 0 ? 0 : ValuesSeconds.Average();
}
