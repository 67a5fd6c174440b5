using System.Globalization;
using System.Text;

namespace CrisisSim.Inputs;

/// <summary>Text from the user or from a file as it may appear in a message: a control character (NUL, escape, a line
/// break …) would otherwise reach the terminal raw, cut a message or fake another line.</summary>
public static class Printable
{
    /// <summary>Whether the text holds a character that <see cref="Escape"/> rewrites.</summary>
    public static bool HasControl(string? text) =>
        text is not null && (text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0);

    /// <summary>The text with each control character written as an escape: <c>\0</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>,
    /// <c>\e</c>, else <c>\u00XX</c>; a backslash stays as it is.</summary>
    public static string Escape(string? text)
    {
        if (text is null || !HasControl(text))
        {
            return text ?? "";
        }
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\0' => escaped.Append("\\0"),
                '\t' => escaped.Append("\\t"),
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\u001B' => escaped.Append("\\e"),
                < ' ' or (>= '\u007F' and <= '\u009F') => escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => escaped.Append(c),
            };
        }
        return escaped.ToString();
    }
}
