using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Benchmarks;

/// <summary>The cost of evaluating a playbook: warm inline replications of a workload with a playbook of 5 rules that
/// never fire (a queue threshold held for 10 min, the service level, abandonment and ASA over sliding windows, calls
/// offered since the start, a clock time, combined with all/any), against the same workload without one; interleaved,
/// after warm-up runs, medians of wall and CPU time.</summary>
public static class PlaybookRuns
{
    private const int Runs = 20;
    private const int WarmupRuns = 10;

    /// <summary>5 rules whose conditions are evaluated at every evaluation (every 60 s, the default) but never hold.</summary>
    public static PlaybookSpec NeverFiring(ScenarioDefinition scenario)
    {
        var type = scenario.CallTypes[0].Name;
        var action = new SetPriorityAction(type, 9);
        return new PlaybookSpec(
        [
            new("queue", new HeldForCondition(new QueueCondition(PlaybookScope.All, 1_000_000), 600), [action]),
            new("service-level", new AllOfCondition([
                new WindowCondition(PlaybookScope.All, WindowMeasure.ServiceLevel, false, -1, 1800),
                new WindowCondition(new PlaybookScope(CallType: type), WindowMeasure.Abandonment, true, 2, 900)]), [action]),
            new("asa", new AnyOfCondition([
                new WindowCondition(PlaybookScope.All, WindowMeasure.Asa, true, 1e9, 1800),
                new WindowCondition(PlaybookScope.All, WindowMeasure.Offered, true, 1e9, 3600)]), [action]),
            new("offered", new WindowCondition(PlaybookScope.All, WindowMeasure.Offered, true, 1e12, double.PositiveInfinity), [action]),
            new("chained", new AllOfCondition([new FiredCondition("queue"), new SinceOnsetCondition(0)]), [action]),
        ]);
    }

    public static void Run(string name, TextWriter output)
    {
        var without = Workloads.Load(name) with { Playbook = null };
        var with = without with { Playbook = NeverFiring(without) };
        for (var i = 0; i < WarmupRuns; i++)
        {
            InlineEngine.RunReplication(without, 1, i);
            InlineEngine.RunReplication(with, 1, i);
        }
        var process = Process.GetCurrentProcess();
        var wall = (Without: new double[Runs], With: new double[Runs]);
        var cpu = (Without: new double[Runs], With: new double[Runs]);
        long events = 0, eventsWith = 0;
        for (var i = 0; i < Runs; i++)
        {
            // Alternate which goes first, so that neither always runs in the other's wake.
            foreach (var first in i % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var s = first ? with : without;
                var c = Cpu(process);
                var sw = Stopwatch.StartNew();
                var r = InlineEngine.RunReplication(s, 42, i);
                var elapsed = sw.Elapsed.TotalMilliseconds;
                var used = Cpu(process) - c;
                if (first)
                {
                    if (r.Records.PlaybookFirings.Count > 0)
                    {
                        throw new InvalidOperationException("a rule of the never-firing playbook fired");
                    }
                    (wall.With[i], cpu.With[i]) = (elapsed, used);
                    eventsWith += r.Events;
                }
                else
                {
                    (wall.Without[i], cpu.Without[i]) = (elapsed, used);
                    events += r.Events;
                }
            }
        }
        foreach (var a in new[] { wall.Without, wall.With, cpu.Without, cpu.With })
        {
            Array.Sort(a);
        }
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"{name} without playbook: median {wall.Without[Runs / 2]:F1} ms (min {wall.Without[0]:F1}, max {wall.Without[^1]:F1}), CPU {cpu.Without[Runs / 2]:F1} ms, {events / Runs:N0} events"));
        output.WriteLine(string.Create(inv,
            $"{name} with 5 rules never firing: median {wall.With[Runs / 2]:F1} ms (min {wall.With[0]:F1}, max {wall.With[^1]:F1}), CPU {cpu.With[Runs / 2]:F1} ms, {eventsWith / Runs:N0} events"));
        output.WriteLine(string.Create(inv,
            $"{name} playbook / none: wall {wall.With[Runs / 2] / wall.Without[Runs / 2]:F3}x, CPU {cpu.With[Runs / 2] / cpu.Without[Runs / 2]:F3}x (medians; target <= 1.10x)"));
    }

    private static double Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalMilliseconds;
    }
}
