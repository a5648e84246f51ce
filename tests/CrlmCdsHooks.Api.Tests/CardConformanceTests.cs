using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.TestData;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Hosting;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The CDS Hooks 2.0 card members beyond the text: source.topic and source.icon, overrideReasons on every card, and
/// the RAS-testing suggestion where the model lacks the RAS status.
/// </summary>
[Collection(nameof(ServiceHost))]
public class CardConformanceTests(ServiceHost service)
{
    private static readonly string Profiles = Path.Combine(Examples.RepositoryRoot(), "fhir-profiles");

    public static TheoryData<string> ExamplesWithACard => new(
        "crlm-low-risk", "crlm-high-risk", "crlm-indeterminate-ras", "crlm-ras-unknown-low", "crlm-not-applicable-extrahepatic", "crlm-already-treated");

    [Theory]
    [MemberData(nameof(ExamplesWithACard))]
    public async Task Every_card_names_its_model_as_topic_from_the_published_code_system(string example)
    {
        var card = await CardAsync(Examples.Hook(example));

        var topic = card["source"]!["topic"]!;
        var models = CodeSystem("crlm-decision-model");
        Assert.Equal((string)models["url"]!, (string)topic["system"]!);
        var concept = Assert.Single(models["concept"]!.AsArray(), c => (string)c!["code"]! == (string)topic["code"]!);
        Assert.Equal((string)concept!["display"]!, (string)topic["display"]!);
        Assert.Equal("liu-2021", (string)topic["code"]!);
    }

    [Fact]
    public async Task The_card_icon_is_an_absolute_url_the_service_serves_as_an_opaque_100_pixel_png()
    {
        var card = await CardAsync(Examples.Hook("crlm-low-risk"));
        var icon = new Uri((string)card["source"]!["icon"]!, UriKind.Absolute);

        using var client = service.CreateClient();
        using var response = await client.GetAsync(new Uri(icon.PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(100, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(100, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        // Colour type 2 is RGB without alpha: "SHOULD be a 100x100 pixel PNG image without any transparent regions".
        Assert.Equal(2, png[25]);
    }

    [Theory]
    [MemberData(nameof(ExamplesWithACard))]
    public async Task Every_card_offers_the_published_override_reasons_by_default(string example)
    {
        var card = await CardAsync(Examples.Hook(example));

        var reasons = CodeSystem("crlm-override-reason");
        Assert.Equal(
            reasons["concept"]!.AsArray().Select(c => ((string)reasons["url"]!, (string)c!["code"]!, (string)c["display"]!)),
            card["overrideReasons"]!.AsArray().Select(r => ((string)r!["system"]!, (string)r["code"]!, (string)r["display"]!)));
    }

    [Fact]
    public void Override_reasons_without_a_code_or_with_a_code_twice_are_refused_at_start_up()
    {
        var withoutCode = new CdsHooksOptions { OverrideReasons = [new() { Display = "Other" }] };
        var twice = new CdsHooksOptions { OverrideReasons = [new() { Code = "mdt", Display = "MDT" }, new() { Code = "mdt", Display = "MDT again" }] };

        Assert.Contains("OverrideReasons:0", Assert.Throws<InvalidOperationException>(() => withoutCode.Validate(isDevelopment: true)).Message, StringComparison.Ordinal);
        Assert.Contains("'mdt' twice", Assert.Throws<InvalidOperationException>(() => twice.Validate(isDevelopment: true)).Message, StringComparison.Ordinal);
    }

    [Theory]
    // RAS unknown and decisive: the suggestion is recommended (preselected); unknown but not decisive: offered only.
    [InlineData("crlm-indeterminate-ras", true)]
    [InlineData("crlm-ras-unknown-low", false)]
    public async Task A_card_whose_ras_status_is_unknown_suggests_a_draft_order_for_extended_ras_testing(string example, bool recommended)
    {
        var card = await CardAsync(Examples.Hook(example));

        Assert.Equal("any", (string)card["selectionBehavior"]!);
        var suggestion = Assert.Single(card["suggestions"]!.AsArray())!;
        Assert.Contains("RAS testing", (string)suggestion["label"]!, StringComparison.Ordinal);
        Assert.Equal(recommended, suggestion["isRecommended"] is not null && (bool)suggestion["isRecommended"]!);
        if (!recommended)
            Assert.Null(suggestion["isRecommended"]);
        var action = Assert.Single(suggestion["actions"]!.AsArray())!;
        Assert.Equal("create", (string)action["type"]!);
        // The resource is FHIR R4 as the strict Firely parser reads it: a draft proposal about this patient.
        var order = Assert.IsType<ServiceRequest>(JsonSerializer.Deserialize<Resource>(action["resource"]!.ToJsonString(), new JsonSerializerOptions().ForFhir()));
        Assert.Equal(RequestStatus.Draft, order.Status);
        Assert.Equal(RequestIntent.Proposal, order.Intent);
        Assert.Equal($"Patient/{example}", order.Subject.Reference);
        Assert.Contains("KRAS and NRAS", order.Code?.Text ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_with_a_known_ras_status_suggests_nothing()
    {
        var card = await CardAsync(Examples.Hook("crlm-high-risk"));

        Assert.Null(card["suggestions"]);
        Assert.Null(card["selectionBehavior"]);
    }

    [Fact]
    public async Task A_variant_of_uncertain_significance_is_discussed_with_molecular_pathology_not_re_tested()
    {
        var card = await CardAsync(Corpus.Record("7.6-values/val-ras-vus-indeterminate.json").HookJson(withPrefetch: true));

        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.Null(card["suggestions"]);
        Assert.Contains("molecular pathology", (string)card["detail"]!, StringComparison.Ordinal);
    }

    private async Task<JsonNode> CardAsync(string hookJson)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hookJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = Assert.Single(body!["cards"]!.AsArray())!;
        CdsHooksWire.AssertValidCard(card);
        CdsHooksWire.AssertNoEmptyValues(body);
        return card;
    }

    private static JsonNode CodeSystem(string id) => JsonNode.Parse(File.ReadAllText(Path.Combine(Profiles, $"CodeSystem-{id}.json")))!;
}

/// <summary>A site that configures its own override reasons gets exactly those on every card.</summary>
public sealed class SiteOverrideReasonTests : IClassFixture<SiteOverrideReasonTests.SiteReasonsHost>
{
    private readonly SiteReasonsHost _service;

    public SiteOverrideReasonTests(SiteReasonsHost service) => _service = service;

    public sealed class SiteReasonsHost : ServiceHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("CdsHooks:OverrideReasons:0:System", "https://hospital.example/fhir/CodeSystem/cds-override")
                .UseSetting("CdsHooks:OverrideReasons:0:Code", "tumour-board")
                .UseSetting("CdsHooks:OverrideReasons:0:Display", "Tumour board decision");
        }
    }

    [Fact]
    public async Task The_configured_list_replaces_the_defaults()
    {
        var (_, body) = await _service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"));

        var reason = Assert.Single(body!["cards"]![0]!["overrideReasons"]!.AsArray())!;
        Assert.Equal("https://hospital.example/fhir/CodeSystem/cds-override", (string)reason["system"]!);
        Assert.Equal("tumour-board", (string)reason["code"]!);
        Assert.Equal("Tumour board decision", (string)reason["display"]!);
    }
}
