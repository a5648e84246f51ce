using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Until client authentication exists, the service answers loopback callers in Development only.</summary>
public class DevelopmentAccessTests
{
    [Fact]
    public async Task A_request_from_a_non_loopback_address_is_refused_with_403()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Development"));

        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/cds-services";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Fact]
    public void Outside_development_the_service_refuses_to_start()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var error = Assert.Throws<InvalidOperationException>(() => factory.Server);

        Assert.Contains("client authentication is not implemented", error.Message, StringComparison.Ordinal);
    }
}
