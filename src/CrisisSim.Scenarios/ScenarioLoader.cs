using System.Globalization;
using System.Text;
using CrisisSim.Inputs;
using CrisisSim.Model.Scenario;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Reads a scenario YAML file into a validated <see cref="ScenarioDefinition"/>.</summary>
/// <remarks>Every problem is reported as a <see cref="ScenarioException"/> that names the file, line, column and key;
/// no other exception leaves these methods, and no input makes them read more than
/// <see cref="ScenarioLimits.MaxFileBytes"/> bytes or build a scenario beyond <see cref="ScenarioLimits"/>. The format
/// is documented in <c>scenarios/README.md</c>.</remarks>
public static class ScenarioLoader
{
    /// <summary>Far above the 4 levels a scenario uses.</summary>
    private const int MaxNesting = 64;

    /// <summary>Values, lists and maps in one file: room for the per-interval values of call types and groups at their
    /// limit (<see cref="ScenarioLimits.MaxCells"/> each), and a million more.</summary>
    internal const int MaxNodes = 2 * ScenarioLimits.MaxCells + 1_000_000;

    /// <summary>The longest text that cannot hold more than <see cref="MaxNodes"/> nodes: no text makes more than two
    /// nodes of one character (<c>[?,?]</c>: a pair's map, its empty key and its empty value per two characters).</summary>
    private const int MaxNodesWithoutCounting = MaxNodes / 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ScenarioDefinition LoadFile(string path) => Parse(ReadText(path ?? ""), path ?? "");

    /// <summary>The text of a scenario file: a regular file of at most <see cref="ScenarioLimits.MaxFileBytes"/> bytes,
    /// strict UTF-8.</summary>
    internal static string ReadText(string path)
    {
        byte[] bytes;
        int length;
        try
        {
            (bytes, length) = InputFile.Read(path, ScenarioLimits.MaxFileBytes, "a scenario file");
        }
        catch (InputFileException ex)
        {
            throw Failure(path, ex.Reason, ex);
        }
        return Decode(bytes.AsSpan(0, length), path);
    }

    /// <param name="yamlText">The scenario text.</param>
    /// <param name="fileName">The name errors are reported under.</param>
    public static ScenarioDefinition Parse(string yamlText, string fileName) => Parse(yamlText, fileName, null);

    /// <param name="keyRead">Told of each key the reader looks up, as (map of <see cref="ScenarioFormat"/>, key).</param>
    internal static ScenarioDefinition Parse(string yamlText, string fileName, Action<string, string>? keyRead) =>
        new ScenarioReader(fileName ?? "", keyRead).Read(ParseYaml(yamlText, fileName ?? ""));

    /// <summary>The YAML tree of a scenario text, within the size, nesting and node limits, without aliases.</summary>
    internal static YamlStream ParseYaml(string yamlText, string fileName)
    {
        yamlText ??= "";
        if (yamlText.Length > ScenarioLimits.MaxFileBytes)
        {
            throw Failure(fileName, Inv($"the text is {yamlText.Length:N0} characters long; the limit is {ScenarioLimits.MaxFileBytes:N0} (16 MiB)"));
        }
        var stream = new YamlStream();
        // A byte order mark left in the text (File.ReadAllText strips it) would otherwise become part of the first key.
        var text = yamlText.TrimStart('\uFEFF');
        var scanner = new Scanner(new StringReader(text));
        try
        {
            if (text.Length > MaxNodesWithoutCounting)
            {
                // The representation model keeps ~200 bytes per node: a text that may hold more nodes than the limit is
                // counted first, event by event, so that it is refused before any node is built.
                var counter = new DepthLimitedParser(new Parser(scanner), MaxNesting, MaxNodes);
                while (counter.MoveNext())
                {
                }
                scanner = new Scanner(new StringReader(text));
            }
            stream.Load(new DepthLimitedParser(new Parser(scanner), MaxNesting, MaxNodes));
        }
        catch (YamlException ex)
        {
            if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is var (tabLine, tabColumn))
            {
                // The scanner reports tabs in indentation at the start of the enclosing block (often 1:1): point at the tab.
                throw new ScenarioException(new ScenarioError(fileName, tabLine, tabColumn, "",
                    "invalid YAML: a tab character in the indentation; YAML indents with spaces only"), ex);
            }
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
        return stream;
    }

    internal static int Position(long oneBased) => oneBased is > 0 and <= int.MaxValue ? (int)oneBased : 0;

    /// <summary>Strict UTF-8 (a byte order mark is allowed): an invalid byte is reported at its line and column.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new ScenarioException(new ScenarioError(file, 1, 1, "", "the file is UTF-16 text; save it as UTF-8"));
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var valid, out _, replaceInvalidSequences: false)
                == System.Buffers.OperationStatus.Done ? 0 : valid;
            var (line, lineStart) = (1, 0);
            for (var i = 0; i < at; i++)
            {
                if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.Length || bytes[i + 1] != '\n'))
                {
                    (line, lineStart) = (line + 1, i + 1);
                }
            }
            var column = Encoding.UTF8.GetCharCount(bytes[lineStart..at]) + 1;
            throw new ScenarioException(new ScenarioError(file, line, column, "",
                Inv($"invalid UTF-8: byte 0x{bytes[at]:X2} cannot start or continue a character here; save the file as UTF-8")), ex);
        }
    }

    /// <summary>Line and column (1-based) of the first tab in the indentation of a line with content; null if none.</summary>
    private static (int Line, int Column)? FirstIndentingTab(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                line++;
                lineStart = i + 1;
                continue;
            }
            if (i == lineStart)
            {
                var j = i;
                var tab = -1;
                while (j < text.Length && text[j] is ' ' or '\t')
                {
                    if (text[j] == '\t' && tab < 0)
                    {
                        tab = j;
                    }
                    j++;
                }
                if (tab >= 0 && j < text.Length && text[j] is not ('\n' or '\r' or '#'))
                {
                    return (line, tab - lineStart + 1);
                }
            }
        }
        return null;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static ScenarioException Failure(string file, string reason, Exception? inner = null) =>
        new(new ScenarioError(file, 0, 0, "", reason), inner);
}
