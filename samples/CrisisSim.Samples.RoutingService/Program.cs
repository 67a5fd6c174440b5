using CrisisSim.Samples.RoutingService;

// dotnet run --project samples/CrisisSim.Samples.RoutingService -- --urls http://127.0.0.1:5080
await RoutingServiceApp.Create(args).RunAsync();
