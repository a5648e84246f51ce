using CrlmCdsHooks.Api.CdsHooks;
using Microsoft.AspNetCore.Http;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The registry alone, with stand-in services: what a newcomer adding a service relies on.</summary>
public class CdsServiceRegistryTests
{
    private sealed class StandIn(string id, string hook) : ICdsService
    {
        public ServiceDescriptor Descriptor { get; } = new(hook, $"{id} title", $"{id} description", id, new Dictionary<string, string>(), "none");

        public Task<IResult> HandleAsync(HookCall call, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public void Discovery_lists_the_services_in_registration_order_and_finds_each_by_id()
    {
        var first = new StandIn("first", "patient-view");
        var second = new StandIn("second", "order-sign");

        var registry = new CdsServiceRegistry([first, second]);

        Assert.Equal([first.Descriptor, second.Descriptor], registry.Discovery().Services);
        Assert.Same(second, registry.Find("second"));
        Assert.Null(registry.Find("SECOND"));
        Assert.Null(registry.Find("third"));
    }

    [Fact]
    public void Two_services_with_one_id_stop_the_service_from_starting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CdsServiceRegistry([new StandIn("same", "patient-view"), new StandIn("same", "order-sign")]));

        Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
    }
}
