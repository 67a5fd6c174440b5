using System.Security;
using CrisisSim.Model.Scenario;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Reads a scenario YAML file into a validated <see cref="ScenarioDefinition"/>.</summary>
/// <remarks>Every problem is reported as a <see cref="ScenarioException"/> that names the file, line, column and key;
/// no other exception leaves these methods. The format is documented in <c>scenarios/README.md</c>.</remarks>
public static class ScenarioLoader
{
    /// <summary>Far above the 4 levels a scenario uses.</summary>
    private const int MaxNesting = 64;

    public static ScenarioDefinition LoadFile(string path)
    {
        path ??= "";
        string text;
        try
        {
            if (!File.Exists(path))
            {
                throw Failure(path, Directory.Exists(path) ? "is a directory, not a scenario file" : "file not found");
            }
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
                                       or NotSupportedException or SecurityException)
        {
            throw Failure(path, "cannot read the file: " + ex.Message, ex);
        }
        return Parse(text, path);
    }

    /// <param name="yamlText">The scenario text.</param>
    /// <param name="fileName">The name errors are reported under.</param>
    public static ScenarioDefinition Parse(string yamlText, string fileName)
    {
        fileName ??= "";
        var stream = new YamlStream();
        // A byte order mark left in the text (File.ReadAllText strips it) would otherwise become part of the first key.
        var scanner = new Scanner(new StringReader((yamlText ?? "").TrimStart('\uFEFF')));
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(scanner), MaxNesting));
        }
        catch (YamlException ex)
        {
            var line = Position(ex.Start.Line);
            var column = Position(ex.Start.Column);
            throw new ScenarioException(new ScenarioError(fileName, line, column, "", "invalid YAML: " + ex.Message), ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The parser is third-party code: whatever it throws on malformed text is still a bad scenario file,
            // reported where the scanner stopped.
            var line = Position(scanner.CurrentPosition.Line);
            var column = Position(scanner.CurrentPosition.Column);
            throw new ScenarioException(new ScenarioError(fileName, line, column, "",
                "invalid YAML: the parser stopped here (check brackets, quotes and indentation)"), ex);
        }

        return new ScenarioReader(fileName).Read(stream);
    }

    internal static int Position(long oneBased) => oneBased is > 0 and <= int.MaxValue ? (int)oneBased : 0;

    private static ScenarioException Failure(string file, string reason, Exception? inner = null) =>
        new(new ScenarioError(file, 0, 0, "", reason), inner);
}
