using CrisisSim.Model.Scenario;
using CrisisSim.Traces;

namespace CrisisSim.Testing;

/// <summary>A hand-made call log of two weekdays (Monday 4 and Tuesday 5 March 2024): one operator answering PS calls in
/// arrival order from 09:00, no recorded message, so that the queue is the whole story: a call was answered when the
/// operator freed up before its patience ran out, abandoned otherwise (never at the same second). Replayed trace-driven
/// on a scenario of one operator (<see cref="Scenario"/>), the model must give this history back exactly.</summary>
internal static class RecordedTrace
{
    public static readonly DateTime Monday = new(2024, 3, 4);
    public static readonly DateTime Tuesday = new(2024, 3, 5);

    public const string Csv = """
        call_id,arrival,call_type,priority,number,message_seconds,queue_seconds,outcome,handle_seconds,operator
        1,2024-03-04T09:03:37,PS,0,L1,0,0,answered,249,A1
        2,2024-03-04T09:08:09,PS,0,L1,0,0,answered,380,A1
        3,2024-03-04T09:09:12,PS,0,L1,0,11,abandoned,0,
        4,2024-03-04T09:13:42,PS,0,L1,0,47,answered,192,A1
        5,2024-03-04T09:16:11,PS,0,L1,0,90,answered,158,A1
        6,2024-03-04T09:20:41,PS,0,L1,0,0,answered,336,A1
        7,2024-03-04T09:25:14,PS,0,L1,0,63,answered,263,A1
        8,2024-03-04T09:27:01,PS,0,L1,0,219,answered,178,A1
        9,2024-03-04T09:28:48,PS,0,L1,0,204,abandoned,0,
        10,2024-03-04T09:29:25,PS,0,L1,0,37,abandoned,0,
        11,2024-03-04T09:31:16,PS,0,L1,0,26,abandoned,0,
        12,2024-03-04T09:34:20,PS,0,L1,0,0,answered,75,A1
        13,2024-03-04T09:38:52,PS,0,L1,0,0,answered,364,A1
        14,2024-03-04T09:42:40,PS,0,L1,0,136,answered,278,A1
        15,2024-03-04T09:46:57,PS,0,L1,0,157,answered,128,A1
        16,2024-03-04T09:48:16,PS,0,L1,0,74,abandoned,0,
        17,2024-03-05T09:06:34,PS,0,L1,0,0,answered,192,A1
        18,2024-03-05T09:10:47,PS,0,L1,0,0,answered,380,A1
        19,2024-03-05T09:14:52,PS,0,L1,0,135,answered,319,A1
        20,2024-03-05T09:18:21,PS,0,L1,0,245,answered,333,A1
        21,2024-03-05T09:22:19,PS,0,L1,0,123,abandoned,0,
        22,2024-03-05T09:25:41,PS,0,L1,0,19,abandoned,0,
        23,2024-03-05T09:28:34,PS,0,L1,0,0,answered,370,A1
        24,2024-03-05T09:30:27,PS,0,L1,0,172,abandoned,0,
        25,2024-03-05T09:31:50,PS,0,L1,0,113,abandoned,0,
        26,2024-03-05T09:34:36,PS,0,L1,0,8,answered,205,A1
        27,2024-03-05T09:35:38,PS,0,L1,0,151,answered,306,A1
        28,2024-03-05T09:40:15,PS,0,L1,0,180,answered,105,A1
        29,2024-03-05T09:41:19,PS,0,L1,0,82,abandoned,0,
        30,2024-03-05T09:41:59,PS,0,L1,0,181,answered,210,A1
        31,2024-03-05T09:46:01,PS,0,L1,0,27,abandoned,0,
        32,2024-03-05T09:46:54,PS,0,L1,0,96,answered,253,A1

        """;

    /// <summary>The scenario the log is replayed on, as a file: one day from 00:00 in hours, one operator all day, the
    /// type's patience exponential with mean 300 s (served callers' patience is drawn from it above their wait).</summary>
    public const string Yaml = """
        name: one-operator
        start: "00:00"
        interval: 60m
        intervals: 24
        drain: 30m
        serviceLevel:
          threshold: 60s
          target: 0.8
        routing: fifo
        callTypes:
          - name: PS
            arrivals:
              callsPerInterval: [0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            patience: { dist: exponential, mean: 300s }
            handleTime: { dist: lognormal, mean: 200s, sd: 100s }
        groups:
          - name: agents
            serves: [PS]
            staffing: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

        """;

    /// <summary>The log's calls, read as <c>crisissim replay</c> reads them.</summary>
    public static IReadOnlyList<TraceRecord> Records()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Csv);
            var report = new TraceReport();
            var records = TraceReader.Read(path, TraceFormat.Csv, report).ToList();
            return report.Malformed == 0 ? records : throw new InvalidOperationException("The hand-made log has rows that cannot be read");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The calls of <paramref name="day"/>, in the log's order.</summary>
    public static IReadOnlyList<TraceRecord> Day(DateTime day) => [.. Records().Where(r => r.Arrival.Date == day)];

    /// <summary>The scenario of <see cref="Yaml"/> replaying the recorded calls of <paramref name="day"/>, as
    /// <c>crisissim replay --trace-driven</c> builds it.</summary>
    public static ScenarioDefinition Scenario(DateTime day, int operators = 1, DistributionSpec? patience = null, double proficiency = 1, DistributionSpec? handleTime = null)
    {
        var calls = new RecordedCallList();
        foreach (var r in Day(day))
        {
            calls.Add(r);
        }
        var arrays = calls.TakeArrays();
        var arrivals = new RecordedArrivalSpec(arrays.TimesSeconds, "hand-made " + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
        {
            HandleSeconds = arrays.HandleSeconds,
            PatienceSeconds = arrays.PatienceSeconds,
            PatienceAtLeastSeconds = arrays.PatienceAtLeastSeconds,
        };
        return new ScenarioDefinition
        {
            Name = "one-operator",
            IntervalSeconds = 3600,
            IntervalCount = 24,
            DrainSeconds = 1800,
            ServiceLevel = new ServiceLevelSpec(60),
            CallTypes = [new CallTypeSpec("PS", arrivals, patience ?? new ExponentialSpec(300), handleTime ?? new LogNormalSpec(200, 100))],
            Groups =
            [
                new OperatorGroupSpec("agents", ["PS"], [.. Enumerable.Repeat(operators, 24)], null)
                {
                    Proficiency = proficiency == 1 ? null : new Dictionary<string, double> { ["PS"] = proficiency },
                },
            ],
        };
    }
}
