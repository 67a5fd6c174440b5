namespace CrisisSim.Reporting;

/// <summary>The fonts charts are drawn with: DejaVu Sans, regular and bold, registered from their files. Headless, the
/// graphics library finds no system font by itself and would draw charts without any text, so charts are refused
/// instead when the files are missing.</summary>
public static class ChartFonts
{
    public const string Family = "DejaVu Sans";
    public const string RegularFile = "DejaVuSans.ttf";
    public const string BoldFile = "DejaVuSans-Bold.ttf";

    /// <summary>An environment variable naming a folder to search first.</summary>
    public const string FolderVariable = "CRISISSIM_FONTS";

    /// <summary>Set to 1: search <see cref="FolderVariable"/> only, not the system's font folders (to see what a run
    /// does on a machine without the fonts).</summary>
    public const string OnlyVariable = "CRISISSIM_FONTS_ONLY";

    private static readonly Lock Gate = new();
    private static (string Regular, string Bold)? _registered;

    /// <summary>Where the font files are looked for (sub-folders included), in order.</summary>
    public static IReadOnlyList<string> SearchFolders()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } custom)
        {
            folders.Add(custom);
        }
        if (Environment.GetEnvironmentVariable(OnlyVariable) == "1")
        {
            return folders;
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
        {
            folders.Add(Environment.GetFolderPath(Environment.SpecialFolder.Fonts));
            folders.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Microsoft", "Windows", "Fonts"));
        }
        else if (OperatingSystem.IsMacOS())
        {
            folders.AddRange([Path.Combine(home, "Library", "Fonts"), "/Library/Fonts", "/opt/homebrew/share/fonts", "/usr/local/share/fonts"]);
        }
        else
        {
            folders.AddRange(["/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".local", "share", "fonts"), Path.Combine(home, ".fonts")]);
        }
        return folders;
    }

    /// <summary>Registers DejaVu Sans for every chart of the process (once; later calls do nothing) and makes it the
    /// default font. Throws <see cref="ChartFontsException"/> when the files are not found.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered is not null)
            {
                return;
            }
            var (regular, bold) = Find(SearchFolders());
            ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
            ScottPlot.Fonts.Default = Family;
            ScottPlot.Fonts.Sans = Family;
            _registered = (regular, bold);
        }
    }

    /// <summary>The regular and bold files of DejaVu Sans in the first folder (searched with its sub-folders) that holds
    /// both; throws <see cref="ChartFontsException"/> naming the folders searched when none does.</summary>
    public static (string Regular, string Bold) Find(IEnumerable<string> folders)
    {
        var searched = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive, MaxRecursionDepth = 8 };
        foreach (var folder in folders)
        {
            searched.Add(folder);
            if (!Directory.Exists(folder))
            {
                continue;
            }
            var regular = Directory.EnumerateFiles(folder, RegularFile, options).Order(StringComparer.Ordinal).FirstOrDefault();
            var bold = Directory.EnumerateFiles(folder, BoldFile, options).Order(StringComparer.Ordinal).FirstOrDefault();
            if (regular is not null && bold is not null)
            {
                return (regular, bold);
            }
        }
        throw new ChartFontsException(
            $"charts need the font {Family} ({RegularFile} and {BoldFile}), found in none of: {string.Join(", ", searched)}. "
            + $"Install it (Debian, Ubuntu: apt-get install fonts-dejavu-core), set {FolderVariable} to the folder holding the two files, "
            + "or leave charts and report out of --format.");
    }
}

/// <summary>The chart fonts are missing: charts cannot be drawn.</summary>
public sealed class ChartFontsException(string message) : Exception(message);
