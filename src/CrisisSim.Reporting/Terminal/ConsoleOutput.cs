using System.Runtime.CompilerServices;
using Spectre.Console;

namespace CrisisSim.Reporting;

/// <summary>Where a command's console text goes, and how it looks: on a terminal, tables with borders and colors
/// (Spectre.Console); anywhere else (a pipe, a file, a <see cref="StringWriter"/>), plain text with no ANSI escape and
/// no box-drawing character, one table row per line, so that it can be read by grep and scripts.</summary>
public sealed class ConsoleOutput
{
    private readonly TextWriter? _plain;
    private readonly IAnsiConsole? _rich;

    private ConsoleOutput(TextWriter plain)
    {
        _plain = plain;
    }

    private ConsoleOutput(IAnsiConsole rich)
    {
        _rich = rich;
    }

    /// <summary>Rich when <paramref name="writer"/> is the process's standard output (or error) and that is a terminal
    /// that understands ANSI escapes; plain otherwise.</summary>
    public static ConsoleOutput For(TextWriter writer) => Terminal.IsTerminal(writer) ? ForTerminal(writer) : Plain(writer);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ConsoleOutput ForTerminal(TextWriter writer) =>
        Terminal.RichConsole(writer) is { } console ? new ConsoleOutput(console) : Plain(writer);

    public static ConsoleOutput Plain(TextWriter writer) => new(writer ?? throw new ArgumentNullException(nameof(writer)));

    /// <summary>Rich output to a console of the caller's (tests give a <c>Spectre.Console.Testing.TestConsole</c>).</summary>
    public static ConsoleOutput Rich(IAnsiConsole console) => new(console ?? throw new ArgumentNullException(nameof(console)));

    public bool IsRich => _plain is null;

    // The rich paths are methods of their own: plain output never loads Spectre.Console (the JIT resolves the types a
    // method names when it compiles it).

    /// <summary>A line of text as it is (never wrapped: a path in it stays whole).</summary>
    public void Line(string text = "") => (_plain ?? RichWriter()).WriteLine(text);

    /// <summary>A line that introduces what follows (bold on a terminal).</summary>
    public void Heading(string text)
    {
        if (_plain is not null)
        {
            _plain.WriteLine(text);
        }
        else
        {
            RichText(text, bold: true);
        }
    }

    /// <summary>A remark in small print (dim on a terminal).</summary>
    public void Note(string text)
    {
        if (_plain is not null)
        {
            _plain.WriteLine(text);
        }
        else
        {
            RichText(text, bold: false);
        }
    }

    public void Table(ConsoleTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (_plain is not null)
        {
            table.WritePlain(_plain);
        }
        else
        {
            RichTable(table);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TextWriter RichWriter() => _rich!.Profile.Out.Writer;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RichText(string text, bool bold) =>
        _rich!.Write(new Text(text + "\n", new Style(decoration: bold ? Decoration.Bold : Decoration.Dim)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RichTable(ConsoleTable table) => table.WriteRich(_rich!);
}

/// <summary>Whether a writer is a terminal, and a Spectre.Console console for it when it is.</summary>
public static class Terminal
{
    /// <summary>True when <paramref name="writer"/> is <see cref="Console.Out"/> (or <see cref="Console.Error"/>) and
    /// that stream is not redirected. Any other writer (a <see cref="StringWriter"/>, a file) is not a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        ReferenceEquals(writer, Console.Out) ? !Console.IsOutputRedirected
        : ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>A console writing to <paramref name="writer"/> when it is a terminal that understands ANSI escapes (not
    /// <c>TERM=dumb</c>); null otherwise. Colors follow the terminal (none with <c>NO_COLOR</c>).</summary>
    public static IAnsiConsole? RichConsole(TextWriter writer) => IsTerminal(writer) ? AnsiConsoleOn(writer) : null;

    /// <summary>Apart, so that plain output never loads Spectre.Console.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAnsiConsole? AnsiConsoleOn(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Detect,
        });
        return console.Profile.Capabilities.Ansi ? console : null;
    }
}
