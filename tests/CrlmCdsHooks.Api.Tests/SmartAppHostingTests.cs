using System.Net;
using CrlmCdsHooks.TestData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>How the service hosts the SMART app and links to it; the app itself is tested in a real browser (Browser.Tests).</summary>
[Collection(nameof(ServiceHost))]
public class SmartAppHostingTests(ServiceHost service)
{
    [Fact]
    public async Task Every_card_links_to_the_app_launch_url_with_an_app_context_free_of_patient_data()
    {
        var (_, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"));

        var link = Assert.Single(body!["cards"]![0]!["links"]!.AsArray())!;
        Assert.Equal("smart", (string)link["type"]!);
        using var client = service.CreateClient();
        Assert.Equal(new Uri(client.BaseAddress!, "/smart/launch"), new Uri((string)link["url"]!));
        var appContext = (string)link["appContext"]!;
        Assert.Equal("""{"view":"assessment"}""", appContext);
        Assert.DoesNotContain("crlm-high-risk", appContext, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/smart/launch")]
    [InlineData("/smart/app")]
    [InlineData("/smart/assessment.js")]
    public async Task App_responses_carry_a_strict_content_security_policy(string path)
    {
        using var client = service.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", string.Join("", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_app_configuration_names_the_client_scopes_and_the_hook_queries()
    {
        var config = await service.GetJsonAsync("/smart/config.json");

        Assert.Equal("crlm-cds-hooks", (string)config["clientId"]!);
        Assert.Equal("launch patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/Procedure.rs", (string)config["scope"]!);
        Assert.True((bool)config["anyLoopbackIssuer"]!); // Development with no issuer configured
        Assert.StartsWith("Observation?patient=Patient/{{context.patientId}}&code=", (string)config["queries"]!["observations"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void An_issuer_that_is_plain_http_off_loopback_refuses_to_start()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("SmartApp:Issuers:0", "http://ehr.example.org/fhir"));

        var error = Assert.Throws<InvalidOperationException>(() => factory.Server);

        Assert.Contains("SmartApp:Issuers 'http://ehr.example.org/fhir' must be an absolute https URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_issuers_and_origins_are_the_only_ones_the_page_may_connect_to()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("SmartApp:Issuers:0", "https://ehr.example.org/fhir/r4/")
            .UseSetting("SmartApp:ConnectOrigins:0", "https://login.example.org")
            .UseSetting("SmartApp:FrameAncestors:0", "https://ehr.example.org"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/smart/app", UriKind.Relative));

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("connect-src 'self' https://ehr.example.org https://login.example.org;", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors https://ehr.example.org", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", policy, StringComparison.Ordinal);
    }
}
