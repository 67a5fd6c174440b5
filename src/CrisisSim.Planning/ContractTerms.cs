using System.Globalization;
using CrisisSim.Inputs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Planning;

/// <summary>The money side of a contract: what a committed seat and an on-demand agent-hour cost, the fee to activate
/// on-demand seats, and the penalties for missing the SLA. A value left null falls back to the scenario (a group's
/// <c>costPerHour</c>) or to 0.</summary>
/// <param name="CommittedCostPerHour">Per committed seat and hour of the horizon (committed seats are paid whether busy
/// or not).</param>
/// <param name="OnDemandCostPerHour">Per on-demand operator on duty and hour.</param>
/// <param name="ActivationFee">Once per scenario in which on-demand seats are activated (more than 0 of them).</param>
/// <param name="PenaltyPerInterval">Per interval whose service level misses the target.</param>
/// <param name="PenaltyPerDay">Per day whose service level (calls of the day together) misses the target.</param>
/// <param name="Risk">The probability of meeting the SLA every day that the recommendation must reach.</param>
public sealed record ContractTerms(
    double? CommittedCostPerHour = null,
    double? OnDemandCostPerHour = null,
    double ActivationFee = 0,
    double PenaltyPerInterval = 0,
    double PenaltyPerDay = 0,
    double? Risk = null)
{
    private static readonly string[] RootKeys = ["committed", "onDemand", "penalty", "risk"];
    private static readonly string[] CommittedKeys = ["costPerHour"];
    private static readonly string[] OnDemandKeys = ["costPerHour", "activationFee"];
    private static readonly string[] PenaltyKeys = ["perInterval", "perDay"];

    /// <summary>Reads a contract file:
    /// <code>
    /// committed: { costPerHour: 28 }
    /// onDemand: { costPerHour: 40, activationFee: 1500 }
    /// penalty: { perInterval: 250, perDay: 5000 }
    /// risk: 0.9
    /// </code>
    /// Every key is optional; an unknown key, a value that is not a number, a negative amount or one above
    /// <see cref="PlanningLimits.MaxMoney"/>, and a risk outside (0, 1] are refused with the file, line and column.</summary>
    public static ContractTerms Load(string path)
    {
        string text;
        try
        {
            var (bytes, length) = InputFile.Read(path, PlanningLimits.MaxContractFileBytes, "a contract file");
            // As File.ReadAllText: UTF-8 unless a byte order mark says otherwise.
            using var reader = new StreamReader(new MemoryStream(bytes, 0, length), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (InputFileException ex)
        {
            throw new PlanningException(ex.Message);
        }
        YamlStream stream;
        try
        {
            stream = CrisisSim.Scenarios.BoundedYaml.Load(text);
        }
        catch (YamlException ex)
        {
            throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{path}:{ex.Start.Line}:{ex.Start.Column}: invalid YAML: {ex.Message}"));
        }
        var terms = new ContractTerms();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return terms;
        }
        var root = Map(stream.Documents[0].RootNode, path, "the contract", RootKeys);
        if (root.TryGetValue("committed", out var committed))
        {
            var m = Map(committed, path, "committed", CommittedKeys);
            if (m.TryGetValue("costPerHour", out var v))
            {
                terms = terms with { CommittedCostPerHour = Money(v, path, "committed.costPerHour") };
            }
        }
        if (root.TryGetValue("onDemand", out var onDemand))
        {
            var m = Map(onDemand, path, "onDemand", OnDemandKeys);
            if (m.TryGetValue("costPerHour", out var v))
            {
                terms = terms with { OnDemandCostPerHour = Money(v, path, "onDemand.costPerHour") };
            }
            if (m.TryGetValue("activationFee", out var fee))
            {
                terms = terms with { ActivationFee = Money(fee, path, "onDemand.activationFee") };
            }
        }
        if (root.TryGetValue("penalty", out var penalty))
        {
            var m = Map(penalty, path, "penalty", PenaltyKeys);
            if (m.TryGetValue("perInterval", out var v))
            {
                terms = terms with { PenaltyPerInterval = Money(v, path, "penalty.perInterval") };
            }
            if (m.TryGetValue("perDay", out var d))
            {
                terms = terms with { PenaltyPerDay = Money(d, path, "penalty.perDay") };
            }
        }
        if (root.TryGetValue("risk", out var risk))
        {
            var r = Number(risk, path, "risk");
            if (!(r > 0 && r <= 1))
            {
                throw Error(risk, path, "risk", "must be a probability above 0 and at most 1, such as 0.9");
            }
            terms = terms with { Risk = r };
        }
        return terms;
    }

    /// <summary>Checks an amount given on the command line.</summary>
    public static double CheckMoney(double value, string option) =>
        double.IsFinite(value) && value >= 0 && value <= PlanningLimits.MaxMoney
            ? value
            : throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{option} must be an amount from 0 to {PlanningLimits.MaxMoney:G} (got {value})"));

    private static Dictionary<string, YamlNode> Map(YamlNode node, string path, string key, string[] allowed)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(node, path, key, "expected a map of keys");
        }
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                throw Error(k, path, key == "the contract" ? name : key + "." + name, "unknown key; allowed keys: " + string.Join(", ", allowed));
            }
            result[name] = v;
        }
        return result;
    }

    private static double Money(YamlNode node, string path, string key)
    {
        var v = Number(node, path, key);
        if (!(v >= 0 && v <= PlanningLimits.MaxMoney))
        {
            throw Error(node, path, key, string.Create(CultureInfo.InvariantCulture, $"must be an amount from 0 to {PlanningLimits.MaxMoney:G}"));
        }
        return v;
    }

    private static double Number(YamlNode node, string path, string key)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            return v;
        }
        throw Error(node, path, key, "expected a number");
    }

    private static PlanningException Error(YamlNode node, string path, string key, string reason) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}:{node.Start.Line}:{node.Start.Column}: {key}: {reason}"));
}
