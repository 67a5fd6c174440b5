using System.Text.Json;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>run.json</c>: facts about the execution (host, replications, events, elapsed seconds, processors,
/// version, the scenario file's SHA-256), kept apart so that <c>summary.json</c> depends only on the scenario and seed.
/// Always written.</summary>
public sealed class RunJson : IExporter
{
    public const string FormatName = "run";
    public const string FileName = "run.json";

    public string Name => FormatName;

    public string Description => $"{FileName}: facts about the execution (host, events, elapsed time, version); always written";

    public void Export(RunReport report, ExportTarget target)
    {
        using var stream = target.Create(FileName);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var run = report.Run;
        var facts = report.Facts;
        json.WriteStartObject();
        json.WriteString("host", facts.Host);
        json.WriteNumber("replications", run.ReplicationCount);
        json.WriteNumber("events", run.Events);
        json.WriteNumber("elapsedSeconds", Math.Round(facts.Elapsed.TotalSeconds, 3));
        json.WriteNumber("processors", facts.Processors);
        json.WriteString("version", facts.Version);
        if (report.ScenarioFile is { } file)
        {
            json.WriteString("scenarioSha256", file.Sha256);
        }
        json.WriteEndObject();
    }
}

/// <summary>Writes <c>scenario.yaml</c>: the scenario file exactly as the run read it. Always written (when the run read
/// a file).</summary>
public sealed class ScenarioCopy : IExporter
{
    public const string FormatName = "scenario";
    public const string FileName = "scenario.yaml";

    public string Name => FormatName;

    public string Description => $"{FileName}: a copy of the scenario file the run read; always written";

    public void Export(RunReport report, ExportTarget target)
    {
        if (report.ScenarioFile is { } file)
        {
            target.WriteAllBytes(FileName, file.Content);
        }
    }

    /// <summary>Writes a scenario's text as <c>scenario.yaml</c> (UTF-8 without byte order mark): the file a planning
    /// command read or made.</summary>
    public static void WriteText(string text, ExportTarget target) => target.WriteAllBytes(FileName, new System.Text.UTF8Encoding(false).GetBytes(text));
}
