using StackExchange.Redis;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// Replay detection shared by every instance: one atomic <c>SET key NX PX ttl</c> per token, so of two instances
/// that receive the same token only the first accepts it. When Redis cannot answer, the token is refused (fail
/// closed): a replay check that cannot be made is not passed.
/// </summary>
internal sealed class RedisReplayCache(IConnectionMultiplexer redis, TimeProvider clock, ILogger<RedisReplayCache> logger) : IReplayCache
{
    public const string KeyPrefix = "crlm:jti:";

    public async ValueTask<bool> TryRecordAsync(string issuer, string jti, DateTimeOffset expires)
    {
        var ttl = expires - clock.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
            return false;
        try
        {
            // Issuer and jti are length-prefixed so no pair can be spelled as another.
            return await redis.GetDatabase().StringSetAsync($"{KeyPrefix}{issuer.Length}:{issuer}:{jti}", 1, ttl, When.NotExists);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.RedisUnavailable(logger, "replay detection", e.GetType().Name, "the token is refused");
            return false;
        }
    }
}
