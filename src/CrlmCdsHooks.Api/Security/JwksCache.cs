using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// Signing keys of the EHRs, fetched from their JWKS URLs and cached; a token naming an unknown key id triggers a
/// refresh, at most once per <see cref="CdsHooksOptions.JwksRefreshInterval"/> per URL, so bad tokens cannot make the
/// service hammer an EHR.
/// </summary>
internal sealed class JwksCache(IHttpClientFactory httpClients, TimeProvider clock, IOptions<CdsHooksOptions> options) : IDisposable
{
    public const string HttpClientName = "jwks";
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, KeySet> _keySets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    public async Task<IReadOnlyList<SecurityKey>> GetKeysAsync(Uri jwksUri, string? keyId, CancellationToken cancellationToken)
    {
        var url = jwksUri.AbsoluteUri;
        if (Usable(url, keyId, out var cached))
            return cached;
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (Usable(url, keyId, out cached))
                return cached;
            using var http = httpClients.CreateClient(HttpClientName);
            var json = await http.GetStringAsync(jwksUri, cancellationToken);
            var keys = new JsonWebKeySet(json).GetSigningKeys().ToList();
            _keySets[url] = new KeySet(keys, clock.GetUtcNow());
            return keys;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Dispose() => _fetching.Dispose();

    // Cached keys serve when they hold the key id, or when the last fetch is too recent to fetch again.
    private bool Usable(string url, string? keyId, out IReadOnlyList<SecurityKey> keys)
    {
        keys = [];
        if (!_keySets.TryGetValue(url, out var set))
            return false;
        keys = set.Keys;
        var age = clock.GetUtcNow() - set.FetchedAt;
        var known = keyId is null || set.Keys.Any(k => k.KeyId == keyId);
        return (known && age < MaxAge) || age < options.Value.JwksRefreshInterval;
    }
}
