using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.Playwright;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// Everything a SMART EHR launch needs, started once for all browser tests: the SMART authorization server (playing the
/// EHR), the FHIR server in SMART mode loaded with the example patients, the service with the app, and headless Chromium.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes collection fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class SmartLaunchFixture : IAsyncLifetime
{
    public const string ClientId = "crlm-browser-tests";
    public const string ChromiumPath = "/usr/bin/chromium";
    /// <summary>
    /// The high-risk example under another id, with what a tumour board reads beside the score: CEA and CA 19-9 over
    /// time, BRAF and MSI, a lesion in the right lobe, systemic therapy coded four ways and a medicine that is none.
    /// </summary>
    public const string MdtPatient = "crlm-mdt";
    /// <summary>The patient the authorization server picks at a standalone launch (a real one would ask the user).</summary>
    public const string StandalonePatient = "crlm-low-risk";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string _adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private NodeFixtureProcess? _authServer;
    private NodeFixtureProcess? _fhirServer;
    private SmartAppService? _service;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The service, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <summary>The FHIR base URL the EHR launches with (<c>iss</c>), e.g. http://127.0.0.1:41235/fhir.</summary>
    public string FhirBase { get; private set; } = "";

    /// <summary>
    /// The same FHIR server behind a proxy that collapses every <c>//</c> in the URL, as the SMART App Launcher's does
    /// (the FHIR server's proxy mode); a second registered issuer.
    /// </summary>
    public string ProxyFhirBase { get; private set; } = "";

    /// <summary>The SMART authorization server, which also plays the EHR (<c>/ehr/launch</c>).</summary>
    public string AuthUrl { get; private set; } = "";

    public string LaunchUrl => ServiceUrl + "/smart/launch";

    public string AppUrl => ServiceUrl + "/smart/app";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>The origins a page of the app may reach: the service, the FHIR server and the authorization server.</summary>
    public IReadOnlySet<string> AllowedOrigins => new HashSet<string>([Origin(ServiceUrl), Origin(FhirBase), Origin(AuthUrl)]);

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        // First, so a machine without the browser fails at once with what to do.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}: run `apt-get install chromium`. (Playwright's own browser downloads are not used.)");

        // The authorization server must know the app's redirect URI and the service must know the servers' URLs, each
        // when it starts: so pick the service's port first.
        var port = FreeLoopbackPort();
        ServiceUrl = $"http://127.0.0.1:{port}";

        await NodeFixtureProcess.EnsurePackagesAsync();
        _authServer = await NodeFixtureProcess.StartAsync("smart-auth-server.js", "SMART authorization server listening on ", new Dictionary<string, string>
        {
            ["SMART_CLIENT_ID"] = ClientId,
            ["SMART_REDIRECT_URIS"] = AppUrl,
            ["SMART_STANDALONE_PATIENT"] = StandalonePatient,
        });
        AuthUrl = _authServer.Url;
        _fhirServer = await NodeFixtureProcess.StartAsync("server.js", "FHIR server listening on ", new Dictionary<string, string>
        {
            ["SMART_AUTHORIZATION_SERVER"] = AuthUrl,
            ["FHIR_ADMIN_TOKEN"] = _adminToken,
        });
        FhirBase = _fhirServer.Url;
        ProxyFhirBase = Origin(FhirBase) + "/proxy" + new Uri(FhirBase).AbsolutePath;
        await Examples.LoadIntoAsync(new Uri(FhirBase), _adminToken);
        await LoadMdtPatientAsync();

        _service = new SmartAppService(port, new Dictionary<string, string>
        {
            ["SmartApp:ClientId"] = ClientId,
            ["SmartApp:Issuers:0"] = FhirBase,
            ["SmartApp:Issuers:1"] = ProxyFhirBase,
            ["SmartApp:ConnectOrigins:0"] = AuthUrl,
            // The authorization server's origin also plays the EHR page that shows the app in a frame.
            ["SmartApp:FrameAncestors:0"] = AuthUrl,
            ["Audit:SqlitePath"] = Path.Combine(Path.GetTempPath(), "crlm-audit-tests", $"{Guid.NewGuid():N}.db"),
        });
        await EnsureAppIsBuiltAsync();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        // Idempotent: also called when starting failed half-way.
        if (_browser is not null)
            await _browser.DisposeAsync();
        _browser = null;
        _playwright?.Dispose();
        _playwright = null;
        if (_service is not null)
            await _service.DisposeAsync();
        _service = null;
        _fhirServer?.Dispose();
        _fhirServer = null;
        _authServer?.Dispose();
        _authServer = null;
    }

    /// <summary>
    /// The EHR's launch of the app: <c>/ehr/launch</c> remembers the context and redirects to <paramref name="app"/>.
    /// <paramref name="ehr"/> adds the fixture EHR's own launch settings (e.g. <c>refuse_scopes</c>, <c>need_patient_banner</c>).
    /// </summary>
    public string EhrLaunchUrl(string patient, string? appContext = null, string? iss = null, string? app = null,
        IReadOnlyDictionary<string, string>? ehr = null)
    {
        var query = new List<string>
        {
            "iss=" + Uri.EscapeDataString(iss ?? FhirBase),
            "patient=" + Uri.EscapeDataString(patient),
            "app=" + Uri.EscapeDataString(app ?? LaunchUrl),
        };
        if (appContext is not null)
            query.Add("appContext=" + Uri.EscapeDataString(appContext));
        query.AddRange((ehr ?? new Dictionary<string, string>()).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return $"{AuthUrl}/ehr/launch?{string.Join('&', query)}";
    }

    /// <summary>The authorization server's counters: codesIssued, codesRedeemed, tokensIssued, tokenRequestsRefused.</summary>
    public async Task<TokenCounters> TokenCountersAsync()
    {
        var body = JsonNode.Parse(await Http.GetStringAsync(new Uri($"{AuthUrl}/fixture/tokens")))!;
        return new TokenCounters((int)body["codesIssued"]!, (int)body["codesRedeemed"]!, (int)body["tokensIssued"]!, (int)body["tokenRequestsRefused"]!);
    }

    /// <summary>How many resources of <paramref name="type"/> the FHIR server holds for the patient (read with the admin token).</summary>
    public Task<int> CountAsync(string type, string patient) =>
        SearchCountAsync($"{FhirBase}/{type}?patient=Patient/{Uri.EscapeDataString(patient)}");

    /// <summary>How many entries a search answers, read with the admin token (the URL is sent exactly as given).</summary>
    public async Task<int> SearchCountAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Absolute));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return bundle["entry"]?.AsArray().Count ?? 0;
    }

    /// <summary>The service's CDS Hooks answer to one example hook request (Development: unsigned from loopback).</summary>
    public async Task<JsonNode> CallHookAsync(string example)
    {
        using var content = new StringContent(Examples.Hook(example), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri($"{ServiceUrl}/cds-services/crlm-recurrence-liu2021"), content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"The hook answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task LoadMdtPatientAsync()
    {
        var bundle = JsonNode.Parse(Examples.Bundle("crlm-high-risk").Replace("crlm-high-risk", MdtPatient, StringComparison.Ordinal))!;
        var extra = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mdt-context-resources.json")))!;
        foreach (var resource in extra.AsArray().Select(r => r!.DeepClone()))
            bundle["entry"]!.AsArray().Add(new JsonObject
            {
                ["resource"] = resource,
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
            });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(FhirBase));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        request.Content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Loading the MDT patient failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The app is bundled into wwwroot/smart by the Api project's build (Node.js needed): say so when it is not.</summary>
    private async Task EnsureAppIsBuiltAsync()
    {
        using var response = await Http.GetAsync(new Uri(AppUrl));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {AppUrl} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed record TokenCounters(int CodesIssued, int CodesRedeemed, int TokensIssued, int TokenRequestsRefused);

[CollectionDefinition(nameof(SmartLaunchFixture))]
public sealed class SmartLaunchGroup : ICollectionFixture<SmartLaunchFixture>;
