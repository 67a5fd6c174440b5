using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Reporting;

/// <summary>One output format of a run: writes its files into a run's result folder. A new format is one class
/// implementing this interface, listed in <see cref="Exporters.All"/>.</summary>
public interface IExporter
{
    /// <summary>The format's name, as given to <c>--format</c>.</summary>
    string Name { get; }

    /// <summary>What it writes, one line (for help and docs).</summary>
    string Description { get; }

    /// <summary>Whether the run must keep every replication's call log for this format (streamed to disk as calls end,
    /// see <see cref="ReplicationSink.CallLogs"/>).</summary>
    bool NeedsCallLog => false;

    /// <summary>Whether the format draws charts: a run asking for it checks the chart fonts before it starts.</summary>
    bool DrawsCharts => false;

    /// <summary>Called before the replications run, for a format written replication by replication (the call log);
    /// the writer returned is given each replication's records in replication order and disposed when the run ends.</summary>
    IReplicationWriter? Begin(ScenarioDefinition scenario, ExportTarget target) => null;

    /// <summary>Writes the format's files for a finished run.</summary>
    void Export(RunReport report, ExportTarget target);
}

/// <summary>Receives each replication as a run goes, in replication order.</summary>
public interface IReplicationWriter : IDisposable
{
    /// <summary>A replication's KPI rows, as they are folded in.</summary>
    void Add(ReplicationKpis replication)
    {
    }

    /// <summary>A replication's records (its call log): given only when a format <see cref="IExporter.NeedsCallLog"/>.</summary>
    void Add(ReplicationResult replication)
    {
    }
}

/// <summary>The folder an export writes to, and the files written so far (relative names, <c>/</c> separated).</summary>
public sealed class ExportTarget(string folder)
{
    private readonly List<string> _files = [];

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The files created so far, in order, relative to <see cref="Folder"/>.</summary>
    public IReadOnlyList<string> Files => _files;

    public bool Has(string name) => _files.Contains(name);

    public string PathOf(string name) => Path.Combine(Folder, name.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Creates (or replaces) a binary file, and the folders above it.</summary>
    public Stream Create(string name)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = File.Create(path);
        if (!_files.Contains(name))
        {
            _files.Add(name);
        }
        return stream;
    }

    /// <summary>Creates a text file as every exporter writes them: UTF-8 without byte order mark, <c>\n</c> line ends.</summary>
    public StreamWriter CreateText(string name) => new(Create(name), new System.Text.UTF8Encoding(false)) { NewLine = "\n" };

    public void WriteAllBytes(string name, ReadOnlySpan<byte> content)
    {
        using var stream = Create(name);
        stream.Write(content);
    }
}

/// <summary>The formats a run can write, by name (<c>--format</c>).</summary>
public static class Exporters
{
    /// <summary>Every format, in the order they are written. <c>replications</c>, <c>run</c> and <c>scenario</c> are
    /// always written.</summary>
    public static IReadOnlyList<IExporter> All { get; } =
    [
        new SummaryJson(), new IntervalsCsv(), new ReplicationsFile(), new CallsCsv(), new ChartFiles(), new HtmlReport(), new RunJson(), new ScenarioCopy(),
    ];

    /// <summary>Written whatever <c>--format</c> says: they identify the run, and <c>compare</c> pairs runs by their
    /// replications.</summary>
    public static IReadOnlyList<string> Always { get; } = [ReplicationsFile.FormatName, RunJson.FormatName, ScenarioCopy.FormatName];

    /// <summary>Written when <c>--format</c> is not given.</summary>
    public static IReadOnlyList<string> Defaults { get; } = ["summary", "intervals", "charts", "report"];

    /// <summary>The names <c>--format</c> accepts: every format that is not always written, and <c>all</c>.</summary>
    public static IEnumerable<string> Selectable => All.Select(e => e.Name).Except(Always);

    /// <summary>The exporters for a list of names (comma-separated items, <c>all</c> for every format; null or an empty
    /// list: the defaults), plus those always written, in <see cref="All"/> order; null with a message when a name is
    /// unknown or a value names no format at all (<c>""</c>, <c>","</c>).</summary>
    public static IReadOnlyList<IExporter>? Select(IEnumerable<string>? names, out string? error)
    {
        error = null;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var given = (names ?? []).ToList();
        if (given.FirstOrDefault(n => string.IsNullOrWhiteSpace(n?.Replace(',', ' '))) is { } empty)
        {
            // An empty value (--format "") is a mistake, not a request for the defaults.
            error = $"--format '{empty}': no format named; the formats are {string.Join(", ", Selectable)} (or all).";
            return null;
        }
        var items = given.SelectMany(n => n.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var item in items.Count == 0 ? Defaults : items)
        {
            var name = item.ToLowerInvariant();
            if (name == "all")
            {
                wanted.UnionWith(Selectable);
            }
            else if (Selectable.Contains(name))
            {
                wanted.Add(name);
            }
            else
            {
                error = $"--format: unknown format '{item}'; the formats are {string.Join(", ", Selectable)} (or all).";
                return null;
            }
        }
        wanted.UnionWith(Always);
        return [.. All.Where(e => wanted.Contains(e.Name))];
    }

    /// <summary>Writes every format of a finished run to a folder; returns the files written (relative names).</summary>
    public static IReadOnlyList<string> Export(RunReport report, ExportTarget target, IEnumerable<IExporter> exporters)
    {
        foreach (var exporter in exporters)
        {
            exporter.Export(report, target);
        }
        return target.Files;
    }
}
