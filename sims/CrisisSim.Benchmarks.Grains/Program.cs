using CrisisSim.Benchmarks.Grains;
using CrisisSim.Scenarios;

try
{
    return args.Length > 0 && args[0] == "live-memory" ? await LiveMemory.RunAsync(args[1..], Console.Out) : await GrainThroughput.RunAsync(args, Console.Out);
}
catch (Exception ex) when (ex is FormatException or OverflowException or ScenarioException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("usage: [--scenario FILE] [--repeat N] [--replications N] [--in-flight N] [--only one|replications|model] [--model-runs N] [--gateways PORT,...] | live-memory [--scenario FILE] [--speed N] [--every SECONDS] [--warm-up SECONDS]");
    return 2;
}
