namespace CrisisSim.Testing;

/// <summary>The whole <c>crisissim</c> command line run in process, its output and errors captured.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CrisisSim.Cli.CliApp.InvokeAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
