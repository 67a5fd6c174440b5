using ModelDistribution = CrisisSim.Model.Distributions.Distribution;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Distributions of durations (handle time, patience, after-call work), sampled at load time to check that
/// they give finite durations of at least 0.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Draws taken from each random distribution to check it gives finite durations >= 0.</summary>
    private const int CheckSamples = 2_000;

    private DistributionSpec? Distribution(YamlNode node, string path, bool allowNone)
    {
        if (allowNone && (IsNull(node) || node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "none" }))
        {
            return null;
        }
        if (node is not YamlMappingNode)
        {
            var example = "{ dist: exponential, mean: 3m }" + (allowNone ? " or none" : "");
            Error(node, path, $"expected a distribution such as {example}, found {Describe(node)}");
            return null;
        }
        var raw = Fields(node, path, "a distribution", null);
        if (raw is null)
        {
            return null;
        }
        var simple = ScenarioFormat.SimpleDistribution;
        var mixtureKey = ScenarioFormat.Mixture.KeyNames.Single();
        if (raw.Get(mixtureKey) is not null && raw.Get(simple.Discriminator) is null)
        {
            return Mixture(raw, path, nested: _inMixture);
        }
        if (Discriminator(raw, simple, path) is not { } distNode || Text(distNode, Join(path, simple.Discriminator)) is not { } dist)
        {
            return null;
        }
        if (simple.Variant(dist) is not { } variant)
        {
            Error(distNode, Join(path, simple.Discriminator), $"unknown distribution '{Shorten(dist)}'; allowed: {string.Join(", ", simple.Names)}");
            return null;
        }

        string[] parameters = [.. variant.KeyNames.Where(k => k != simple.Discriminator)];
        var unknown = !Restrict(raw, variant, path, $"unknown key for dist {dist}; allowed keys: {string.Join(", ", variant.KeyNames)}", simple.Discriminator);

        var values = new Dictionary<string, double>();
        var nodes = new Dictionary<string, YamlNode>();
        foreach (var parameter in parameters.Where(p => p != "values"))
        {
            // A lognormal with sd 0 is a constant; a gamma needs sd > 0 (checked against its mean below).
            if (raw.Get(parameter) is { } parameterNode && Duration(parameterNode, Join(path, parameter)) is { } value
                && WithinBounds(parameterNode, Join(path, parameter), value, raw.KeyFormat(parameter)))
            {
                values[parameter] = value;
                nodes[parameter] = parameterNode;
            }
        }
        if (dist == "empirical")
        {
            return Empirical(raw, path);
        }
        if (values.TryGetValue("mean", out var mean) && values.TryGetValue("sd", out var sd))
        {
            if (sd > ScenarioLimits.MaxCoefficientOfVariation * mean)
            {
                Error(nodes["sd"], Join(path, "sd"), Inv(
                    $"must be at most {ScenarioLimits.MaxCoefficientOfVariation:0} x mean ({FormatSeconds(ScenarioLimits.MaxCoefficientOfVariation * mean)}): the coefficient of variation sd/mean is limited to {ScenarioLimits.MaxCoefficientOfVariation:0}"));
                values.Remove("sd");
            }
            else if (dist == "gamma" && sd < ScenarioLimits.MinGammaCoefficientOfVariation * mean)
            {
                Error(nodes["sd"], Join(path, "sd"), Inv(
                    $"must be at least {ScenarioLimits.MinGammaCoefficientOfVariation:0.###} x mean ({FormatSeconds(ScenarioLimits.MinGammaCoefficientOfVariation * mean)}) for a gamma; for a duration that (almost) does not vary use {{ dist: deterministic, value: {FormatSeconds(mean)} }}"));
                values.Remove("sd");
            }
        }
        if (unknown || values.Count != parameters.Length)
        {
            return null;
        }
        DistributionSpec spec = dist switch
        {
            "exponential" => new ExponentialSpec(values["mean"]),
            "lognormal" => new LogNormalSpec(values["mean"], values["sd"]),
            "gamma" => new GammaSpec(values["mean"], values["sd"]),
            _ => new DeterministicSpec(values["value"]),
        };
        return Samples(spec, node, path) ? spec : null;
    }

    /// <summary>Whether a random distribution, as the model builds it, gives finite durations >= 0.</summary>
    /// <remarks>The bounds above should make this always true; the draws are a safety net against a parameter set they
    /// miss (such as a mean so small that mean x mean underflows). A fixed stream keeps the check deterministic.</remarks>
    private bool Samples(DistributionSpec spec, YamlNode node, string path)
    {
        if (spec is DeterministicSpec or EmpiricalSpec || _sampledSpecs.Contains(spec))
        {
            return true;
        }
        string? problem = null;
        switch (spec)
        {
            case LogNormalSpec l:
            {
                var sigma = Math.Sqrt(Math.Log(1 + l.StdDevSeconds * l.StdDevSeconds / (l.MeanSeconds * l.MeanSeconds)));
                var mu = Math.Log(l.MeanSeconds) - sigma * sigma / 2;
                if (!double.IsFinite(mu) || !double.IsFinite(sigma))
                {
                    problem = Inv($"mean and sd give no finite lognormal parameters (mu = {mu}, sigma = {sigma})");
                }
                break;
            }
            case GammaSpec g:
            {
                var shape = g.MeanSeconds * g.MeanSeconds / (g.StdDevSeconds * g.StdDevSeconds);
                var rate = g.MeanSeconds / (g.StdDevSeconds * g.StdDevSeconds);
                if (!double.IsFinite(shape) || !double.IsFinite(rate) || shape <= 0 || rate <= 0)
                {
                    problem = Inv($"mean and sd give no finite gamma parameters (shape = {shape}, rate = {rate})");
                }
                break;
            }
        }
        if (problem is null)
        {
            try
            {
                var distribution = ModelDistribution.From(spec);
                var stream = RandomStream.For(0, 0, "validation");
                for (var i = 0; i < CheckSamples && problem is null; i++)
                {
                    var x = distribution.Sample(stream);
                    if (!double.IsFinite(x) || x < 0)
                    {
                        problem = Inv($"these parameters draw invalid durations ({x})");
                    }
                }
            }
            catch (ArgumentException)
            {
                problem = "these parameters give no valid distribution";
            }
        }
        if (problem is not null)
        {
            Error(node, path, problem + "; use values of a more usual size");
            return false;
        }
        _sampledSpecs.Add(spec);
        return true;
    }

    private bool _inMixture;

    /// <summary><c>{ mixture: [{ share, dist }, …] }</c>: shares above 0 summing to 1, components that are not mixtures.</summary>
    private MixtureSpec? Mixture(FieldSet raw, string parentPath, bool nested)
    {
        var format = ScenarioFormat.Mixture;
        var ok = Restrict(raw, format, parentPath, $"unknown key for a mixture; allowed keys: {string.Join(", ", format.KeyNames)}");
        var node = raw.Get("mixture")!;
        var path = Join(parentPath, "mixture");
        if (nested)
        {
            Error(node, path, "a mixture component cannot itself be a mixture");
            return null;
        }
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(node, path, $"expected a list of components such as - {{ share: 0.2, dist: {{ dist: exponential, mean: 10s }} }}, found {Describe(node)}");
            return null;
        }
        if (!WithinMostItems(node, path, sequence.Children.Count, format.Key("mixture").Format))
        {
            return null;
        }
        var components = new List<MixtureComponentSpec>();
        _inMixture = true;
        try
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var itemPath = Inv($"{path}[{i}]");
                var fields = Fields(sequence.Children[i], itemPath, "a mixture component", ScenarioFormat.MixtureComponent);
                if (fields is null)
                {
                    ok = false;
                    continue;
                }
                var share = BoundedNumber(fields, "share", itemPath);
                DistributionSpec? dist = null;
                if (fields.Get("dist") is { } distNode)
                {
                    dist = Distribution(distNode, Join(itemPath, "dist"), allowNone: false);
                }
                if (share is { } sh && dist is not null)
                {
                    components.Add(new MixtureComponentSpec(sh, dist));
                }
                else
                {
                    ok = false;
                }
            }
        }
        finally
        {
            _inMixture = false;
        }
        if (!ok)
        {
            return null;
        }
        var total = components.Sum(c => c.Share);
        if (Math.Abs(total - 1) > 1e-9)
        {
            Error(node, path, Inv($"the shares sum to {total:0.######}; they must sum to 1"));
            return null;
        }
        return new MixtureSpec(components.AsReadOnly());
    }

    private EmpiricalSpec? Empirical(FieldSet raw, string path)
    {
        if (raw.Get("values") is not { } node)
        {
            return null;
        }
        var valuesPath = Join(path, "values");
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, valuesPath, $"expected a list of durations such as [60s, 2m, 5m], found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, valuesPath, "must hold at least one duration");
            return null;
        }
        var item = ((ListFormat)raw.KeyFormat("values")).Item;
        var values = new List<double>(sequence.Children.Count);
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = Inv($"{valuesPath}[{i}]");
            if (Duration(sequence.Children[i], itemPath) is { } value && WithinBounds(sequence.Children[i], itemPath, value, item))
            {
                values.Add(value);
            }
            else
            {
                ok = false;
            }
        }
        if (!ok)
        {
            return null;
        }
        if (values.Average() <= 0)
        {
            Error(node, valuesPath, "the values must have a mean > 0");
            return null;
        }
        return new EmpiricalSpec(values.AsReadOnly());
    }
}
