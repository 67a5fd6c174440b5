using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrisisSim.Reporting;

/// <summary>How a table column aligns its cells.</summary>
public enum ColumnAlign
{
    Left,
    Right,
}

/// <summary>How a cell stands out on a terminal (plain text shows every cell alike).</summary>
public enum CellStyle
{
    Normal,
    /// <summary>A value that misses its target (red).</summary>
    Warning,
    /// <summary>A value of little weight (dim).</summary>
    Dim,
}

/// <param name="KeepWithPrevious">On a terminal too narrow for the whole table, the column stays beside the one before
/// it (a marker column).</param>
public readonly record struct ConsoleColumn(string Header, ColumnAlign Align = ColumnAlign.Right, bool KeepWithPrevious = false);

/// <summary>A table's borders on a terminal (plain text has none).</summary>
public enum ConsoleBorder
{
    /// <summary>Rounded lines around every cell: short tables.</summary>
    Rounded,
    /// <summary>A rule under the header only: wide tables stay narrow.</summary>
    Simple,
}

public readonly record struct ConsoleCell(string Text, CellStyle Style = CellStyle.Normal)
{
    public static implicit operator ConsoleCell(string text) => new(text);
}

/// <summary>A table for the console: written as aligned plain text (columns two spaces apart, a header line, one line
/// per row, no trailing blanks: easy to grep and to read in a log), or on a terminal as a Spectre.Console table; a
/// table wider than the terminal is drawn as several tables of a few columns each, every one led by the first column,
/// rather than with its cells wrapped.</summary>
public sealed class ConsoleTable(IReadOnlyList<ConsoleColumn> columns)
{
    private readonly List<ConsoleCell[]> _rows = [];

    public ConsoleTable(params ConsoleColumn[] columns)
        : this((IReadOnlyList<ConsoleColumn>)columns)
    {
    }

    public IReadOnlyList<ConsoleColumn> Columns { get; } = columns.Count > 0 ? columns : throw new ArgumentException("A table needs a column", nameof(columns));

    public IReadOnlyList<IReadOnlyList<ConsoleCell>> Rows => _rows;

    /// <summary>Spaces before every line of the plain text.</summary>
    public int Indent { get; init; } = 2;

    /// <summary>Borders on a terminal.</summary>
    public ConsoleBorder Border { get; init; } = ConsoleBorder.Rounded;

    public ConsoleTable AddRow(params ConsoleCell[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"A row of this table has {Columns.Count} cells, not {cells.Length}", nameof(cells));
        }
        _rows.Add(cells);
        return this;
    }

    public ConsoleTable AddRow(IEnumerable<ConsoleCell> cells) => AddRow([.. cells]);

    /// <summary>The plain text: a header line, then one line per row.</summary>
    public void WritePlain(TextWriter writer)
    {
        var widths = new int[Columns.Count];
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = Math.Max(Columns[c].Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Text.Length));
        }
        writer.WriteLine(PlainLine(Columns.Select(c => c.Header).ToArray(), widths));
        foreach (var row in _rows)
        {
            writer.WriteLine(PlainLine([.. row.Select(c => c.Text)], widths));
        }
    }

    private string PlainLine(string[] cells, int[] widths)
    {
        var line = new StringBuilder().Append(' ', Indent);
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }
            line.Append(Columns[c].Align == ColumnAlign.Right ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        return line.ToString().TrimEnd();
    }

    /// <summary>The table as Spectre.Console draws it on <paramref name="console"/>, split by columns when wider than
    /// the console.</summary>
    public void WriteRich(IAnsiConsole console)
    {
        foreach (var part in ColumnGroups(console.Profile.Width))
        {
            console.Write(ToRenderable(part));
        }
    }

    /// <summary>The columns of each table drawn on a console <paramref name="width"/> characters wide: all of them when
    /// they fit; otherwise groups that fit, each led by the first column (a column that does not fit even so is drawn
    /// alone beside it).</summary>
    public IReadOnlyList<IReadOnlyList<int>> ColumnGroups(int width)
    {
        var widths = RichWidths();
        // Each column takes its width, a space of padding on either side and a border; the table one border more.
        int Cost(IEnumerable<int> columns) => 1 + columns.Sum(c => widths[c] + 3);
        var groups = new List<IReadOnlyList<int>>();
        var current = new List<int> { 0 };
        var c = 1;
        while (c < Columns.Count)
        {
            // A column and the marker columns kept with it go together.
            var block = new List<int> { c++ };
            while (c < Columns.Count && Columns[c].KeepWithPrevious)
            {
                block.Add(c++);
            }
            if (current.Count > 1 && Cost(current.Concat(block)) > width)
            {
                groups.Add(current);
                current = [0];
            }
            current.AddRange(block);
        }
        groups.Add(current);
        return groups;
    }

    /// <summary>Headers up to this long stay on one line on a terminal; a longer one wraps at its spaces.</summary>
    private const int ShortHeader = 14;

    /// <summary>Each column's width on a terminal: its widest cell, and its header (or, for a long header, its longest
    /// word: a header wraps at its spaces, cells never do).</summary>
    private int[] RichWidths() =>
    [
        .. Columns.Select((column, c) => Math.Max(
            column.Header.Length <= ShortHeader ? column.Header.Length : column.Header.Split(' ').Max(w => w.Length),
            _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Text.Length))),
    ];

    /// <summary>A Spectre.Console table of the given columns (all by default).</summary>
    public Table ToRenderable(IReadOnlyList<int>? columns = null)
    {
        columns ??= [.. Enumerable.Range(0, Columns.Count)];
        var widths = RichWidths();
        var table = new Table().Border(Border == ConsoleBorder.Simple ? TableBorder.Simple : TableBorder.Rounded);
        foreach (var c in columns)
        {
            var column = Columns[c];
            var header = new TableColumn(new Text(column.Header, new Style(decoration: Decoration.Bold))) { Width = widths[c], NoWrap = true };
            table.AddColumn(column.Align == ColumnAlign.Right ? header.RightAligned() : header.LeftAligned());
        }
        foreach (var row in _rows)
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(row[c].Text, StyleOf(row[c].Style))));
        }
        return table;
    }

    private static Style StyleOf(CellStyle style) => style switch
    {
        CellStyle.Warning => new Style(Color.Red, decoration: Decoration.Bold),
        CellStyle.Dim => new Style(decoration: Decoration.Dim),
        _ => Style.Plain,
    };
}
