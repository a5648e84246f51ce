using System.Text.Json.Serialization;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Governance;

/// <summary>Which cards a report covers: created from <see cref="From"/> to <see cref="To"/> (whole UTC days, both included), of one model version.</summary>
internal sealed record ReportFilter(DateOnly? From, DateOnly? To, string? ModelVersion)
{
    [JsonIgnore]
    public DateTime? Start => From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant after the range.</summary>
    [JsonIgnore]
    public DateTime? End => To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}

/// <summary>Cards of one risk group in one month, and how many asked the clinician to check data.</summary>
internal sealed record MonthRow(string Month, string RiskGroup, int Cards, int NeedingReview);

/// <summary>Feedback on one risk group's cards. The rates are shares of that feedback, null when there is none.</summary>
internal sealed record OutcomeRow(string RiskGroup, int Cards, int Accepted, int Overridden, double? AcceptanceRate, double? OverrideRate);

internal sealed record ReasonRow(string System, string Code, string Display, int Count);

/// <summary>What the service advised and what clinicians did with it, for one filter.</summary>
internal sealed record GovernanceReportBody(
    ReportFilter Filter,
    int Cards,
    int Feedback,
    int OrphanedFeedback,
    int CardsNeedingReview,
    IReadOnlyList<string> ModelVersions,
    IReadOnlyList<MonthRow> CardsByMonth,
    IReadOnlyList<OutcomeRow> OutcomesByRiskGroup,
    IReadOnlyList<ReasonRow> OverrideReasons);

/// <summary>Builds the report from the audit store; the counting happens in the database.</summary>
internal sealed class GovernanceReport(IDbContextFactory<AuditDbContext> contexts, IOptions<CdsHooksOptions> options)
{
    public async Task<GovernanceReportBody> BuildAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cards = db.Cards.AsNoTracking();
        if (filter.Start is { } start)
            cards = cards.Where(c => c.CreatedAt >= start);
        if (filter.End is { } end)
            cards = cards.Where(c => c.CreatedAt < end);
        if (filter.ModelVersion is { } version)
            cards = cards.Where(c => c.ModelVersion == version);

        var months = await cards
            .GroupBy(c => new { c.CreatedAt.Year, c.CreatedAt.Month, c.RiskGroup })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.RiskGroup, Cards = g.Count(), NeedingReview = g.Count(c => c.ReviewItems > 0) })
            .ToListAsync(cancellationToken);
        var outcomes = await (from f in db.Feedback
                              join c in cards on f.CardId equals c.CardId
                              group f by new { c.RiskGroup, f.Outcome } into g
                              select new { g.Key.RiskGroup, g.Key.Outcome, Count = g.Count() }).ToListAsync(cancellationToken);
        var reasons = await (from f in db.Feedback
                             join c in cards on f.CardId equals c.CardId
                             where f.OverrideReasonCode != null
                             group f by new { f.OverrideReasonSystem, f.OverrideReasonCode } into g
                             select new { g.Key.OverrideReasonSystem, g.Key.OverrideReasonCode, Count = g.Count() }).ToListAsync(cancellationToken);
        // Feedback whose card the store does not hold (dropped, purged, or never sent by this service), by its own date.
        var orphans = db.Feedback.Where(f => !db.Cards.Any(c => c.CardId == f.CardId));
        if (filter.Start is { } orphansStart)
            orphans = orphans.Where(f => f.ReceivedAt >= orphansStart);
        if (filter.End is { } orphansEnd)
            orphans = orphans.Where(f => f.ReceivedAt < orphansEnd);
        var orphaned = await orphans.CountAsync(cancellationToken);
        var versions = await db.Cards.Select(c => c.ModelVersion).Distinct().OrderBy(v => v).ToListAsync(cancellationToken);

        var cardsByGroup = months.GroupBy(m => m.RiskGroup).ToDictionary(g => g.Key, g => g.Sum(m => m.Cards));
        var outcomeRows = cardsByGroup.Keys.Union(outcomes.Select(o => o.RiskGroup)).Order(StringComparer.Ordinal).Select(group =>
        {
            var accepted = outcomes.Where(o => o.RiskGroup == group && o.Outcome == "accepted").Sum(o => o.Count);
            var overridden = outcomes.Where(o => o.RiskGroup == group && o.Outcome == "overridden").Sum(o => o.Count);
            var total = accepted + overridden;
            return new OutcomeRow(group, cardsByGroup.GetValueOrDefault(group), accepted, overridden,
                total == 0 ? null : (double)accepted / total, total == 0 ? null : (double)overridden / total);
        }).ToList();
        // A reason no longer configured keeps its code as its name.
        string Display(string? system, string code) =>
            options.Value.EffectiveOverrideReasons.FirstOrDefault(r => r.System == system && r.Code == code)?.Display ?? code;
        return new GovernanceReportBody(
            filter,
            Cards: months.Sum(m => m.Cards),
            Feedback: outcomes.Sum(o => o.Count),
            OrphanedFeedback: orphaned,
            CardsNeedingReview: months.Sum(m => m.NeedingReview),
            ModelVersions: versions,
            CardsByMonth: [.. months.OrderBy(m => m.Year).ThenBy(m => m.Month).ThenBy(m => m.RiskGroup, StringComparer.Ordinal)
                .Select(m => new MonthRow($"{m.Year:0000}-{m.Month:00}", m.RiskGroup, m.Cards, m.NeedingReview))],
            OutcomesByRiskGroup: outcomeRows,
            OverrideReasons: [.. reasons.OrderByDescending(r => r.Count).ThenBy(r => r.OverrideReasonCode, StringComparer.Ordinal)
                .Select(r => new ReasonRow(r.OverrideReasonSystem ?? "", r.OverrideReasonCode!, Display(r.OverrideReasonSystem, r.OverrideReasonCode!), r.Count))]);
    }
}
