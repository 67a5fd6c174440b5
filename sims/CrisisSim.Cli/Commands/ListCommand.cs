using System.CommandLine;
using System.Globalization;
using System.Text;
using CrisisSim.Inputs;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim list [DIR]</c>: the scenarios of a folder, one line each (by default the crisis library,
/// <c>scenarios/library</c>).</summary>
/// <remarks>The crisis column is the first line of the comment block at the top of the file, up to its first colon
/// (<c># Storm: a snowstorm hits ...</c> gives <c>Storm</c>); the library's files follow that convention.</remarks>
public static class ListCommand
{
    /// <summary>Where the library lives, relative to a checkout or to the executable.</summary>
    public static readonly string LibraryFolder = Path.Combine("scenarios", "library");

    private const int MaxCrisisWidth = 30;

    public static Command Create()
    {
        var directory = new Argument<string?>("dir")
        {
            Description = "Folder of scenario files (default: scenarios/library in the working directory or the nearest parent holding one, else beside the executable).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("list", "List the scenarios of a folder: name, crisis, horizon, call types, groups and description.") { directory };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var given = parse.GetValue(directory);
            string? folder;
            if (given is not null)
            {
                folder = given;
                if (!Directory.Exists(folder))
                {
                    e.WriteLine($"crisissim: no scenario folder '{folder}'.");
                    return CliApp.BadInput;
                }
            }
            else
            {
                folder = DefaultFolder(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
                if (folder is null)
                {
                    e.WriteLine($"crisissim: no {LibraryFolder} folder in the working directory, its parents, or beside the executable ({AppContext.BaseDirectory}); name one: crisissim list DIR.");
                    return CliApp.BadInput;
                }
            }
            // Listing a folder someone sent runs none of its code: plug-ins are inspected, never loaded.
            using var plugins = Plugins.PluginTrust.Use(Plugins.PluginTrust.InspectOnly());
            return List(folder, o, e);
        });
        return command;
    }

    /// <summary>The default folder: <c>scenarios/library</c> in <paramref name="workingDirectory"/> or its nearest
    /// parent holding one (so the command works anywhere in a checkout), else beside the executable in
    /// <paramref name="baseDirectory"/> (where the build copies the library); null when neither exists.</summary>
    public static string? DefaultFolder(string workingDirectory, string baseDirectory)
    {
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, LibraryFolder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        var beside = Path.Combine(baseDirectory, LibraryFolder);
        return Directory.Exists(beside) ? beside : null;
    }

    private static int List(string folder, TextWriter o, TextWriter e)
    {
        List<string> files;
        try
        {
            files = [.. Directory.EnumerateFiles(folder, "*.yaml", SearchOption.TopDirectoryOnly)
                .Concat(Directory.EnumerateFiles(folder, "*.yml", SearchOption.TopDirectoryOnly))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            e.WriteLine($"crisissim: cannot read the folder '{folder}': {ex.Message}");
            return CliApp.BadInput;
        }
        var rows = new List<string[]>();
        var ok = true;
        foreach (var file in files)
        {
            var s = CommonOptions.LoadScenario(file, e);
            if (s is null)
            {
                ok = false;
                continue;
            }
            string crisis;
            try
            {
                crisis = Crisis(file);
            }
            catch (InputFileException ex)
            {
                // Replaced since it was loaded (by a FIFO, a larger file …).
                e.WriteLine($"error: {ex.Message}");
                ok = false;
                continue;
            }
            rows.Add(
            [
                Path.GetFileName(file),
                s.Name,
                crisis,
                Horizon(s),
                s.CallTypes.Count.ToString(CultureInfo.InvariantCulture),
                s.Groups.Count.ToString(CultureInfo.InvariantCulture),
                OneLine(s.Description),
            ]);
        }
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} scenario(s) in {folder}; run one with: crisissim run {Path.Combine(folder, "FILE")}"));
        if (rows.Count > 0)
        {
            string[] header = ["file", "name", "crisis", "horizon", "call types", "groups", "description"];
            var widths = Enumerable.Range(0, header.Length - 1)
                .Select(c => rows.Append(header).Max(r => r[c].Length))
                .ToArray();
            foreach (var row in rows.Prepend(header))
            {
                var line = new StringBuilder();
                for (var c = 0; c < widths.Length; c++)
                {
                    // Counts read best right-aligned.
                    line.Append(c is 4 or 5 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c])).Append("  ");
                }
                o.WriteLine(line.Append(row[^1]).ToString().TrimEnd());
            }
        }
        return ok ? 0 : CliApp.BadInput;
    }

    /// <summary>The first line of the file's leading comment block up to its first colon, or "-" without one; the
    /// editors' <c># yaml-language-server: ...</c> line is not part of the block.</summary>
    /// <exception cref="InputFileException">The path names no regular file of at most the scenario size limit.</exception>
    public static string Crisis(string file)
    {
        using var reader = new StreamReader(InputFile.OpenRead(file, ScenarioLimits.MaxFileBytes, "a scenario file"), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? line;
        while ((line = reader.ReadLine()) is not null
               && (line.Trim().Length == 0 || line.TrimStart().TrimStart('#').TrimStart().StartsWith("yaml-language-server:", StringComparison.Ordinal)))
        {
        }
        if (line is null || !line.TrimStart().StartsWith('#'))
        {
            return "-";
        }
        var text = line.TrimStart().TrimStart('#').Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        text = (colon > 0 ? text[..colon] : text).Trim().TrimEnd('.');
        if (text.Length == 0)
        {
            return "-";
        }
        return text.Length <= MaxCrisisWidth ? text : text[..(MaxCrisisWidth - 3)] + "...";
    }

    /// <summary>"17 h (68 x 15 min)": the horizon, then the intervals.</summary>
    public static string Horizon(ScenarioDefinition s) =>
        $"{Duration(s.HorizonSeconds)} ({s.IntervalCount.ToString(CultureInfo.InvariantCulture)} x {Duration(s.IntervalSeconds)})";

    private static string Duration(double seconds)
    {
        static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        return seconds switch
        {
            >= 2 * 86400 when seconds % 86400 == 0 => N(seconds / 86400) + " d",
            >= 3600 when seconds % 3600 == 0 || seconds >= 86400 => N(seconds / 3600) + " h",
            >= 60 when seconds % 60 == 0 || seconds >= 3600 => N(seconds / 60) + " min",
            _ => N(seconds) + " s",
        };
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
