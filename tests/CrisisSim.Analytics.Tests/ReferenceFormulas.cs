namespace CrisisSim.Analytics.Tests;

/// <summary>
/// Textbook closed forms written directly from their definitions (sums of a^k/k! evaluated in
/// log space), used as independent references for the recurrences under test.
/// </summary>
internal static class ReferenceFormulas
{
    /// <summary>log(a^k / k!).</summary>
    public static double LogPoissonTerm(int k, double load) =>
        (k * Math.Log(load)) - MathNet.Numerics.SpecialFunctions.GammaLn(k + 1.0);

    public static double LogSumExp(IEnumerable<double> logs)
    {
        double[] values = logs.ToArray();
        double max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>Erlang B as (a^n/n!) / Σ_{k=0..n} a^k/k!.</summary>
    public static double ErlangBDirect(int servers, double load)
    {
        double logDenominator = LogSumExp(Enumerable.Range(0, servers + 1).Select(k => LogPoissonTerm(k, load)));
        return Math.Exp(LogPoissonTerm(servers, load) - logDenominator);
    }

    /// <summary>Erlang C as (a^n/n! · n/(n−a)) / (Σ_{k&lt;n} a^k/k! + a^n/n! · n/(n−a)).</summary>
    public static double ErlangCDirect(int agents, double load)
    {
        double logQueued = LogPoissonTerm(agents, load) + Math.Log(agents / (agents - load));
        double logBelow = LogSumExp(Enumerable.Range(0, agents).Select(k => LogPoissonTerm(k, load)));
        return 1.0 / (1.0 + Math.Exp(logBelow - logQueued));
    }
}
