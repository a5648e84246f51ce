using System.Threading.Channels;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.Api.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Audit;

/// <summary>
/// Drains the audit queue into the database in batches, applies the migrations first and purges records older than
/// the retention period. A database that is down costs the records written meanwhile (counted and logged), never a
/// hook: the queue stays bounded and nothing on the request path waits for this.
/// </summary>
internal sealed class AuditWriter(Channel<AuditBatch> queue, IDbContextFactory<AuditDbContext> contexts, AuditStoreState state,
    HookWarmUp warmUp, IOptions<AuditOptions> options, TimeProvider clock, CrlmTelemetry telemetry, ILogger<AuditWriter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long records gather before a write: one transaction per window instead of one per card. Measured: writing
    /// each card as it came (one SQLite commit each) halved the hook's throughput at 4 connections (docs/performance.md).
    /// </summary>
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);

    /// <summary>Stops taking records, then lets the loop write what is queued before the host stops.</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // EF Core's model and the migrations took a third of the start-up CPU, beside the first hook on two cores; cards
        // wait in the queue meanwhile (docs/performance.md).
        try
        {
            await warmUp.Finished.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping before the warm-up ended: migrate and write what is queued all the same.
        }
        await MigrateAsync(stoppingToken);
        var nextPurge = DateTimeOffset.MinValue;
        var batches = new List<AuditBatch>();
        // Not cancelled by the stop: the loop ends when the queue is completed and empty, so queued records are written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            await GatherAsync(stoppingToken);
            var records = 0;
            while (records < options.Value.BatchSize && queue.Reader.TryRead(out var batch))
            {
                batches.Add(batch);
                records += batch.Count;
            }
            var written = await TryWriteAsync(batches, records);
            batches.Clear();
            if (!written && !stoppingToken.IsCancellationRequested)
                await Task.Delay(RetryDelay, clock, CancellationToken.None);
            if (clock.GetUtcNow() >= nextPurge && !stoppingToken.IsCancellationRequested)
            {
                await PurgeAsync(stoppingToken);
                nextPurge = clock.GetUtcNow() + options.Value.PurgeInterval;
            }
        }
    }

    private async Task GatherAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(BatchWindow, clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: write what is queued now.
        }
    }

    // Until the database answers, records wait in the queue (and past its capacity are dropped by the recorder). An
    // attempt under way is not cancelled by the stop, so a quick restart does not lose what was queued.
    private async Task MigrateAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
                await db.Database.MigrateAsync(CancellationToken.None);
                state.MarkMigrated();
                return;
            }
            catch (Exception e)
            {
                Log.AuditStoreUnavailable(logger, e.GetType().Name, e.GetBaseException().Message);
            }
            if (stoppingToken.IsCancellationRequested)
                return;
            try
            {
                await Task.Delay(RetryDelay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // the queued records are tried once more, then counted as dropped
            }
        }
    }

    private async Task<bool> TryWriteAsync(List<AuditBatch> batches, int records)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            foreach (var batch in batches)
            {
                db.Cards.AddRange(batch.Cards);
                db.Feedback.AddRange(batch.Feedback);
            }
            await db.SaveChangesAsync();
            telemetry.AuditWritten(records);
            return true;
        }
        catch (Exception e)
        {
            telemetry.AuditDropped(records, "write-failed");
            Log.AuditDropped(logger, records, $"the database refused the write ({e.GetType().Name}: {e.GetBaseException().Message})");
            return false;
        }
    }

    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        var before = (clock.GetUtcNow() - options.Value.Retention).UtcDateTime;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var feedback = await db.Feedback.Where(f => f.ReceivedAt < before).ExecuteDeleteAsync(stoppingToken);
            var cards = await db.Cards.Where(c => c.CreatedAt < before).ExecuteDeleteAsync(stoppingToken);
            if (cards + feedback > 0)
                Log.AuditPurged(logger, cards, feedback, before);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AuditStoreUnavailable(logger, e.GetType().Name, e.Message);
        }
    }
}

/// <summary>Whether the store's tables are in place: the report waits for them rather than failing on a fresh database.</summary>
internal sealed class AuditStoreState
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Migrated => _migrated.Task;

    public void MarkMigrated() => _migrated.TrySetResult();
}
