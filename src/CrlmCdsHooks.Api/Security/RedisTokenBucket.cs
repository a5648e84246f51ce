using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// A token bucket kept in Redis, so every instance draws on one budget per client. The bucket is refilled and drawn
/// in one Lua script on Redis's own clock (atomic, no skew between instances). When Redis cannot answer, the request
/// is let through and logged: an outage of the shared counter does not take the service down.
/// </summary>
/// <remarks>
/// Redis is only asked asynchronously: <see cref="AttemptAcquireCore"/> answers "not acquired" without a lease, and the
/// rate-limiting middleware then calls <see cref="AcquireAsyncCore"/>. This limiter must come first in a chain, so no
/// other limiter is drawn on before that second call.
/// </remarks>
internal sealed class RedisTokenBucket(IConnectionMultiplexer redis, string partition, int perSecond, int burst, TimeProvider clock, ILogger logger) : RateLimiter
{
    public const string KeyPrefix = "crlm:rate:";

    private const string Script = """
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        if allowed == 1 then return {1, 0} end
        return {0, math.ceil((1 - tokens) * 1000 / rate)}
        """;

    private readonly RedisKey _key = KeyPrefix + partition;
    private long _lastUsed = clock.GetTimestamp();

    public override TimeSpan? IdleDuration => clock.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotAskedYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, clock.GetTimestamp());
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [_key], [perSecond, burst]))!;
            return (long)result[0] == 1 ? Lease.Acquired : Lease.Refused(TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.RedisUnavailable(logger, "rate limits", e.GetType().Name, "the request is let through");
            return Lease.Acquired;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);
        public static readonly Lease NotAskedYet = new(false, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
