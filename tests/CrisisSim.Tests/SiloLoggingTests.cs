using CrisisSim.Cli.Commands;
using CrisisSim.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrisisSim.Tests;

/// <summary>A command's embedded silo writes errors only to standard error: Orleans' warnings (a thread-pool stall under
/// load, a slow grain call) never reach the user of a command that promises nothing on stderr but errors.</summary>
public sealed class SiloLoggingTests
{
    [Fact]
    public async Task The_commands_silo_logs_errors_and_no_warning()
    {
        using var host = await EmbeddedSilo.StartAsync(PreparedHost.SiloOptions);
        try
        {
            var loggers = host.Services.GetRequiredService<ILoggerFactory>();
            foreach (var category in new[] { "Orleans.Runtime.ThreadPoolMonitor", "Orleans.Runtime.Messaging.IncomingRequestMonitor", "Orleans.Runtime.Catalog", "CrisisSim" })
            {
                var logger = loggers.CreateLogger(category);
                Assert.False(logger.IsEnabled(LogLevel.Warning), $"{category} logs warnings");
                Assert.True(logger.IsEnabled(LogLevel.Error), $"{category} does not log errors");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
