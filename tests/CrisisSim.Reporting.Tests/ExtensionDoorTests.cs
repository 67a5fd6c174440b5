using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>The exporter door of docs/architecture.md: a format written in test code, touching no project file, takes part
/// in a run as the built-in ones do (replication by replication while the run goes, then once at its end).</summary>
public sealed class ExtensionDoorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-door-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes each replication's offered calls as it comes, then the run's mean.</summary>
    private sealed class OfferedExporter : IExporter
    {
        public string Name => "offered";

        public string Description => "offered calls per replication";

        public IReplicationWriter Begin(ScenarioDefinition scenario, ExportTarget target) => new Writer(target.CreateText("offered.txt"));

        public void Export(RunReport report, ExportTarget target)
        {
            using var text = target.CreateText("offered-mean.txt");
            text.WriteLine(report.Run.Overall.Scalars[KpiCatalog.Offered].Mean.ToString("R", CultureInfo.InvariantCulture));
        }

        private sealed class Writer(StreamWriter text) : IReplicationWriter
        {
            public void Add(ReplicationKpis replication) =>
                text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{replication.Replication} {replication.Overall[KpiCatalog.Offered]:R}"));

            public void Dispose() => text.Dispose();
        }
    }

    [Fact]
    public async Task A_format_from_test_code_is_written_beside_the_built_in_ones()
    {
        var scenario = CrisisSim.Scenarios.ScenarioLoader.LoadFile(Repo.Scenario("erlang-c-textbook.yaml"));
        var exporters = new List<IExporter>(Exporters.Select(["summary"], out var error)!) { new OfferedExporter() };
        Assert.Null(error);
        var target = new ExportTarget(_dir);
        var writers = exporters.Select(x => x.Begin(scenario, target)).OfType<IReplicationWriter>().ToList();
        var run = await ReplicationPipeline.RunAsync(new LocalThreadsHost(2), scenario, 11, 4, ReplicationOutput.Kpis,
            new ReplicationSink(OnKpis: k => writers.ForEach(w => w.Add(k))), CancellationToken.None);
        writers.ForEach(w => w.Dispose());
        Exporters.Export(new RunReport(run, ReportRun.Facts), target, exporters);

        var rows = File.ReadAllLines(Path.Combine(_dir, "offered.txt"));
        Assert.Equal(["0", "1", "2", "3"], rows.Select(r => r.Split(' ')[0]));
        var mean = rows.Average(r => double.Parse(r.Split(' ')[1], CultureInfo.InvariantCulture));
        Assert.Equal(mean, double.Parse(File.ReadAllText(Path.Combine(_dir, "offered-mean.txt")), CultureInfo.InvariantCulture), 9);
        Assert.Contains("summary.json", target.Files);
        Assert.Contains("offered-mean.txt", target.Files);
    }
}
