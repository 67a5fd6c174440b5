using CrisisSim.Benchmarks.Grains;

return await GrainThroughput.RunAsync(args, Console.Out);
