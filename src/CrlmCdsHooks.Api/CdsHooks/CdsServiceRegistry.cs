namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The registered CDS services: discovery lists them, the endpoints find one by id.</summary>
internal sealed class CdsServiceRegistry
{
    private readonly Dictionary<string, ICdsService> _byId;

    /// <exception cref="InvalidOperationException">Two services share an id.</exception>
    public CdsServiceRegistry(IEnumerable<ICdsService> services)
    {
        Services = [.. services];
        var duplicate = Services.GroupBy(s => s.Descriptor.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two CDS services are registered with the id '{duplicate.Key}'.");
        _byId = Services.ToDictionary(s => s.Descriptor.Id, StringComparer.Ordinal);
    }

    /// <summary>In registration order.</summary>
    public IReadOnlyList<ICdsService> Services { get; }

    public ICdsService? Find(string id) => _byId.GetValueOrDefault(id);

    public DiscoveryResponse Discovery() => new([.. Services.Select(s => s.Descriptor)]);
}

internal static class CdsServiceRegistration
{
    /// <summary>Registers a CDS service as a singleton, resolved per request through the registry.</summary>
    public static IServiceCollection AddCdsService<TService>(this IServiceCollection services) where TService : class, ICdsService
    {
        services.AddSingleton<TService>();
        services.AddSingleton<ICdsService>(provider => provider.GetRequiredService<TService>());
        return services;
    }
}
