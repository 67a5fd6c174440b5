using CrisisSim.Benchmarks.Grains;
using CrisisSim.Scenarios;

try
{
    return await GrainThroughput.RunAsync(args, Console.Out);
}
catch (Exception ex) when (ex is FormatException or OverflowException or ScenarioException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("usage: [--scenario FILE] [--repeat N] [--replications N] [--in-flight N] [--only one|replications|model] [--model-runs N] [--gateways PORT,...]");
    return 2;
}
