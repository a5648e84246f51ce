using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Development mode lets a newcomer call without keys, from this machine only; nothing else runs unsigned.</summary>
public class DevelopmentAccessTests
{
    [Fact]
    public async Task An_unsigned_request_from_a_non_loopback_address_is_refused_with_401()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Development"));

        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/cds-services";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task An_unsigned_loopback_caller_may_name_only_a_loopback_fhir_server()
    {
        using var service = new ServiceHost();
        var hook = FhirServerTests.WithServer("crlm-low-risk", new Uri("https://ehr.example.org/fhir"));

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        HostileInputTests.AssertOutcome(body, "is not registered for this client");
    }

    [Fact]
    public void Outside_development_a_service_with_no_clients_refuses_to_start()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var error = Assert.Throws<InvalidOperationException>(() => factory.Server);

        Assert.Contains("No CDS clients are configured", error.Message, StringComparison.Ordinal);
    }
}
