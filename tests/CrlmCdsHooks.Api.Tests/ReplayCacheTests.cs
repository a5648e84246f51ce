using CrlmCdsHooks.Api.Security;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The single-instance replay check: each token once while it is valid, forgotten once it has expired.</summary>
public class ReplayCacheTests
{
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_token_is_accepted_once_and_refused_again_while_it_is_valid()
    {
        var cache = new InMemoryReplayCache(new SettableClock(Start));

        Assert.True(await cache.TryRecordAsync("https://ehr", "jti-1", Start.AddMinutes(5)));
        Assert.False(await cache.TryRecordAsync("https://ehr", "jti-1", Start.AddMinutes(5)));
        Assert.True(await cache.TryRecordAsync("https://other-ehr", "jti-1", Start.AddMinutes(5))); // another issuer's jti
    }

    [Fact]
    public async Task Expired_tokens_are_forgotten_and_valid_ones_kept_whatever_order_they_expire_in()
    {
        var clock = new SettableClock(Start);
        var cache = new InMemoryReplayCache(clock);
        for (var i = 0; i < 20_000; i++) // beyond any pruning threshold, with expiries out of order
            Assert.True(await cache.TryRecordAsync("https://ehr", $"jti-{i}", Start.AddSeconds(i % 2 == 0 ? 60 : 600)));

        clock.Now = Start.AddSeconds(61);

        Assert.True(await cache.TryRecordAsync("https://ehr", "jti-0", Start.AddSeconds(700))); // expired, so forgotten
        Assert.False(await cache.TryRecordAsync("https://ehr", "jti-1", Start.AddSeconds(700))); // still valid
        Assert.False(await cache.TryRecordAsync("https://ehr", "jti-0", Start.AddSeconds(700))); // recorded again
    }
}
