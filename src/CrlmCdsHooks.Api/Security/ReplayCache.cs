namespace CrlmCdsHooks.Api.Security;

/// <summary>Remembers each token's (<c>iss</c>, <c>jti</c>) until the token expires, so a captured token cannot be replayed.</summary>
internal interface IReplayCache
{
    /// <summary>Records the token; false when it was seen before (or, for a shared store, when the store cannot tell).</summary>
    ValueTask<bool> TryRecordAsync(string issuer, string jti, DateTimeOffset expires);
}

/// <summary>
/// In memory, per instance: behind a load balancer a replay to another instance is not caught. With
/// <c>ConnectionStrings:Redis</c> configured, <see cref="RedisReplayCache"/> is used instead.
/// </summary>
internal sealed class InMemoryReplayCache(TimeProvider clock) : IReplayCache
{
    private readonly Dictionary<(string Issuer, string Jti), DateTimeOffset> _seen = [];
    // Soonest expiry first, so forgetting expired tokens costs a look at the front, not a scan of every token held: a
    // scan per request once 10,000 were held made each signed request slower as load went on (docs/performance.md).
    private readonly PriorityQueue<(string Issuer, string Jti), DateTimeOffset> _expiries = new();
    private readonly Lock _lock = new();

    public ValueTask<bool> TryRecordAsync(string issuer, string jti, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            while (_expiries.TryPeek(out var token, out var expiry) && expiry < now)
            {
                _expiries.Dequeue();
                _seen.Remove(token);
            }
            if (_seen.TryGetValue((issuer, jti), out var until) && until >= now)
                return ValueTask.FromResult(false);
            _seen[(issuer, jti)] = expires;
            _expiries.Enqueue((issuer, jti), expires);
            return ValueTask.FromResult(true);
        }
    }
}
