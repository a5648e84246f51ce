namespace CrlmCdsHooks.Api.Audit;

/// <summary>The audit and feedback store (configuration section <c>Audit</c>; the PostgreSQL connection string is <c>ConnectionStrings:AuditDb</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Audit";
    /// <summary>Name of the PostgreSQL connection string; without it the store is the SQLite file at <see cref="SqlitePath"/>.</summary>
    public const string ConnectionStringName = "AuditDb";

    /// <summary>False turns the audit off: no card and no feedback is kept (the benchmark's baseline).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>The SQLite file, relative to the content root unless absolute.</summary>
    public string SqlitePath { get; set; } = "App_Data/audit.db";
    /// <summary>Key of the HMAC that turns a patient id into a pseudonym; required outside Development.</summary>
    public string? PseudonymSecret { get; set; }
    /// <summary>Records older than this are purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(730);
    /// <summary>How often the purge runs.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Records waiting to be written; past this, new records are dropped (counted and logged), never the hook delayed.</summary>
    public int QueueCapacity { get; set; } = 10_000;
    /// <summary>Records written in one transaction at most.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Secrets shorter than this are refused: the pseudonym is only as strong as its key.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>Refuses a configuration that would store weak pseudonyms, with a message saying what to fix.</summary>
    public void Validate(bool isDevelopment)
    {
        if (!Enabled)
            return;
        if (PseudonymSecret is null && isDevelopment)
            return;
        if (PseudonymSecret is null || PseudonymSecret.Length < MinimumSecretLength)
            throw new InvalidOperationException($"{Section}:PseudonymSecret must be set to a random secret of at least {MinimumSecretLength} characters outside Development: the audit keeps a keyed pseudonym of each patient, never the id (see README, 'Audit and governance'). Set {Section}:Enabled=false to run without the audit.");
        if (Retention <= TimeSpan.Zero || QueueCapacity <= 0 || BatchSize <= 0)
            throw new InvalidOperationException($"{Section}:Retention, QueueCapacity and BatchSize must be positive.");
    }
}
