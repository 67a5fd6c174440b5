using System.Runtime.InteropServices;
using CrisisSim.Cli;

// Methods compiled by the last run of this kind of command are compiled again ahead of use, on another core.
StartupJit.Start(args);

// Ctrl+C or SIGTERM cancels the command, which stops its work, writes nothing half-done and exits with 130. A second
// signal, or a command still running 5 s after the first, ends the process at once; the run's staging folder is
// removed all the same (see RunWatch).
using var interrupt = new CancellationTokenSource();
var signals = 0;
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    if (Interlocked.Increment(ref signals) > 1)
    {
        RunWatch.EndingOnPurpose();
        Environment.Exit(CliApp.Interrupted);
    }
    interrupt.Cancel();
    _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ =>
    {
        RunWatch.EndingOnPurpose();
        Environment.Exit(CliApp.Interrupted);
    }, TaskScheduler.Default);
}
// This process may end itself when a routing plug-in's decision never ends (see RunWatch).
RunWatch.MayEndProcess = true;
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return await CliApp.InvokeAsync(args, Console.Out, Console.Error, interrupt.Token);
