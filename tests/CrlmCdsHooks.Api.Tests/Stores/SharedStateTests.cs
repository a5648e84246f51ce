using System.Diagnostics;
using System.Net;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests.Stores;

/// <summary>
/// Two instances of the service behind one (imagined) load balancer, sharing a real redis-server: what one instance
/// accepted, the other knows. Tokens are real ES384 JWTs of the security fixture's client A.
/// </summary>
public sealed class SharedStateTests(SecurityFixture security, RedisServer redis) : IClassFixture<SecurityFixture>, IClassFixture<RedisServer>
{
    private SecuredService Instance(int perSecond = 20, int burst = 100) => new(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = redis.ConnectionString,
        ["CdsHooks:PublicBaseUrl"] = SecurityFixture.PublicBaseUrl,
        ["CdsHooks:Clients:0:Issuer"] = SecurityFixture.IssuerA,
        ["CdsHooks:Clients:0:JwksUri"] = $"{security.JwksBase}/a.json",
        ["CdsHooks:Clients:0:Tenants:0"] = SecurityFixture.Tenant,
        ["CdsHooks:RateLimitPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CdsHooks:RateLimitBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task A_token_used_on_one_instance_is_refused_on_the_other()
    {
        using var first = Instance();
        using var second = Instance();
        var token = "Bearer " + security.TokenA();

        using var accepted = await first.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"), token);
        using var replayed = await second.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"), token);
        using var fresh = await second.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"), "Bearer " + security.TokenA());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Contains(second.Logs.Lines, line => line.Contains("jti replay", StringComparison.Ordinal));
        Assert.Contains(first.Logs.Lines, line => line.Contains("kept in Redis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_s_rate_limit_counts_its_requests_to_every_instance()
    {
        const int Burst = 4;
        using var first = Instance(perSecond: 1, burst: Burst);
        using var second = Instance(perSecond: 1, burst: Burst);
        var clock = Stopwatch.StartNew();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * Burst; i++)
        {
            using var response = await (i % 2 == 0 ? first : second).PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"), "Bearer " + security.TokenA());
            statuses.Add(response.StatusCode);
        }

        // Alone, each instance would accept all its Burst requests; together they share one bucket refilled at 1 per second.
        var accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.True(accepted <= Burst + (int)Math.Ceiling(clock.Elapsed.TotalSeconds), $"{accepted} accepted in {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", statuses)}");
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public void Without_redis_the_service_says_it_is_single_instance()
    {
        using var alone = new SecuredService(new Dictionary<string, string?>(), "Development");

        Assert.Contains(alone.Logs.Lines, line => line.Contains("Single instance: no ConnectionStrings:Redis", StringComparison.Ordinal));
    }
}
