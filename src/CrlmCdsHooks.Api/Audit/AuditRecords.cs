namespace CrlmCdsHooks.Api.Audit;

/// <summary>
/// One card the service returned: who asked, about whom (a pseudonym), what model said what. Never the token, never a
/// patient id, never a clinical value.
/// </summary>
public sealed class CardRecord
{
    /// <summary>The card's uuid, as sent to the EHR; feedback names it.</summary>
    public Guid CardId { get; set; }
    /// <summary>When the card was built (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    public string Service { get; set; } = "";
    public string HookInstance { get; set; } = "";
    /// <summary>The calling EHR's issuer (or the Development caller's fixed name).</summary>
    public string Client { get; set; } = "";
    /// <summary>HMAC-SHA256 of the patient id under the site secret, hex.</summary>
    public string PatientPseudonym { get; set; } = "";
    public string ModelId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    /// <summary>kebab-case risk group (<c>high</c>, <c>not-applicable</c>…), <c>incomplete</c> when data could not be read.</summary>
    public string RiskGroup { get; set; } = "";
    /// <summary>kebab-case recommendation kind.</summary>
    public string Recommendation { get; set; } = "";
    /// <summary>Records the clinician was asked to check (SPEC 7.7).</summary>
    public int ReviewItems { get; set; }
}

/// <summary>What a clinician did with a card, as the EHR reported it.</summary>
public sealed class FeedbackRecord
{
    public long Id { get; set; }
    /// <summary>The card's uuid. Feedback for a card the store does not hold is kept (orphaned), not refused.</summary>
    public Guid CardId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime OutcomeAt { get; set; }
    public string Client { get; set; } = "";
    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    public string Outcome { get; set; } = "";
    public string? OverrideReasonSystem { get; set; }
    public string? OverrideReasonCode { get; set; }
    /// <summary>Ids of the accepted suggestions, space-separated.</summary>
    public string? AcceptedSuggestions { get; set; }
}
