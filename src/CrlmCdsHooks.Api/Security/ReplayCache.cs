namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// Remembers each token's (<c>iss</c>, <c>jti</c>) until the token expires, so a captured token cannot be replayed.
/// In memory, per instance: behind a load balancer a replay to another instance is not caught without a shared store.
/// </summary>
internal sealed class ReplayCache(TimeProvider clock)
{
    private readonly Dictionary<(string Issuer, string Jti), DateTimeOffset> _seen = [];
    private readonly Lock _lock = new();

    /// <summary>Records the token; false when it was seen before.</summary>
    public bool TryRecord(string issuer, string jti, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_seen.Count > 10_000)
                foreach (var expired in _seen.Where(e => e.Value < now).Select(e => e.Key).ToList())
                    _seen.Remove(expired);
            if (_seen.TryGetValue((issuer, jti), out var until) && until >= now)
                return false;
            _seen[(issuer, jti)] = expires;
            return true;
        }
    }
}
