using CrisisSim.Grains;
using Microsoft.Extensions.Hosting;

namespace CrisisSim.Tests;

/// <summary>One embedded silo for the live runs of a test class.</summary>
public sealed class LiveSiloFixture : IAsyncLifetime
{
    private IHost? _silo;

    public IGrainFactory Grains => _silo!.GrainFactory();

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions { MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error });

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
    }
}
