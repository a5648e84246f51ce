using Microsoft.EntityFrameworkCore;

namespace CrlmCdsHooks.Api.Audit;

/// <summary>
/// The one model of the audit store. Each database has its own subclass only so that each keeps its own migrations
/// (EF Core migrations are provider-specific); the tables are the same.
/// </summary>
public abstract class AuditDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<CardRecord> Cards => Set<CardRecord>();
    public DbSet<FeedbackRecord> Feedback => Set<FeedbackRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var card = modelBuilder.Entity<CardRecord>();
        card.ToTable("cards").HasKey(c => c.CardId);
        card.Property(c => c.CardId).ValueGeneratedNever();
        card.HasIndex(c => c.CreatedAt);
        foreach (var text in new[] { nameof(CardRecord.Service), nameof(CardRecord.HookInstance), nameof(CardRecord.Client) })
            card.Property(text).HasMaxLength(256);
        card.Property(c => c.PatientPseudonym).HasMaxLength(64);
        card.Property(c => c.ModelId).HasMaxLength(64);
        card.Property(c => c.ModelVersion).HasMaxLength(32);
        card.Property(c => c.RiskGroup).HasMaxLength(32);
        card.Property(c => c.Recommendation).HasMaxLength(32);

        var feedback = modelBuilder.Entity<FeedbackRecord>();
        feedback.ToTable("feedback").HasKey(f => f.Id);
        feedback.HasIndex(f => f.CardId);
        feedback.HasIndex(f => f.ReceivedAt);
        feedback.Property(f => f.Client).HasMaxLength(256);
        feedback.Property(f => f.Outcome).HasMaxLength(16);
        feedback.Property(f => f.OverrideReasonSystem).HasMaxLength(256);
        feedback.Property(f => f.OverrideReasonCode).HasMaxLength(64);
        feedback.Property(f => f.AcceptedSuggestions).HasMaxLength(1024);
    }
}

/// <summary>The embedded default store.</summary>
public sealed class SqliteAuditDbContext(DbContextOptions<SqliteAuditDbContext> options) : AuditDbContext(options);

/// <summary>The store when <c>ConnectionStrings:AuditDb</c> is set.</summary>
public sealed class PostgresAuditDbContext(DbContextOptions<PostgresAuditDbContext> options) : AuditDbContext(options);
