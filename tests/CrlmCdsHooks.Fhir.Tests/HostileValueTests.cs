using System.Text.Json;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// Values no clinician recorded (overflowing numbers, impossible dates, absurd sizes, text that is markup) are never
/// believed and never fatal: each is left out and listed for review, and the rest of the record is still read.
/// </summary>
public class HostileValueTests
{
    /// <summary>The examples are dated up to 2025; "today" is fixed so the future-date rule is tested, not the calendar.</summary>
    internal static readonly DateOnly Today = new(2026, 11, 23);

    internal sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
    }

    /// <summary>A site that records a liver lesion count (no standard code exists; see the value set).</summary>
    internal static readonly Terminology SiteTerminology = new(new Dictionary<string, List<string>>
    {
        ["LiverLesionCount"] = ["http://hospital.example.org/obs|LIVER-LESIONS"],
    });

    internal static FhirPatientAssessor Assessor(DateOnly today) =>
        new(new ClinicalFactsMapper(SiteTerminology, new FixedClock(today)), new CrlmAssessor(ModelDefinition.Liu2021));

    /// <summary>True when a record is cited anywhere in the assessment other than its review list and warnings.</summary>
    internal static bool IsUsed(Assessment assessment, string resourceId) =>
        JsonSerializer.Serialize(assessment with { Review = [], DataWarnings = [] }).Contains($"/{resourceId}\u0022", StringComparison.Ordinal);

    /// <summary>The example patient's resources, one changed, assessed as the API does: parse problems become review items.</summary>
    internal static Assessment AssessChanged(string example, string resourceId, Action<JsonObject> change, DateOnly? today = null)
    {
        var bundle = JsonNode.Parse(Examples.Bundle(example))!;
        var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        change(resources.Single(r => (string?)r["id"] == resourceId));
        var sourced = new List<SourcedResource>();
        var problems = new List<string>();
        foreach (var json in resources)
        {
            if (ResourceJson.TryRead(json.ToJsonString(), out var problem) is { } resource)
                sourced.Add(resource);
            else
                problems.Add(problem!);
        }
        return Assessor(today ?? Today).Assess(sourced, problems);
    }

    private static ReviewItem ReviewAbout(Assessment assessment, string resourceId) =>
        Assert.Single(assessment.Review, r => r.Reference.EndsWith($"/{resourceId}", StringComparison.Ordinal));

    [Theory]
    [InlineData("2023-03-10T99:99:99Z")]
    [InlineData("2023-03-10garbage")]
    [InlineData("2023-02-30")]
    [InlineData("2023-03-10T10:00:00")] // a time without a time zone is not FHIR
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("9999-12-31")]
    [InlineData("2026-11-25")] // two days after "today"
    public void A_hepatectomy_date_that_cannot_be_right_is_not_used_and_is_listed_for_review(string date)
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-hepatectomy", p => p["performedDateTime"] = date);

        var item = ReviewAbout(assessment, "crlm-high-risk-hepatectomy");
        Assert.Contains(date, item.Description, StringComparison.Ordinal);
        Assert.Contains("not used", item.Reason, StringComparison.Ordinal);
        // Without a usable date no recurrence can be placed after the hepatectomy: no risk group is given.
        Assert.Contains(assessment.NotApplicableReasons, r => r.Code == "hepatectomy-undated");
    }

    [Theory]
    [InlineData("2023-03-10T10:00:00+01:00", 2023, 3, 10)]
    [InlineData("2023-03-10T23:30:00.123456789-05:00", 2023, 3, 10)] // the day as recorded, in the record's time zone
    [InlineData("2026-11-24", 2026, 11, 24)] // today plus one day: a time zone ahead of ours
    public void Valid_dates_are_read_as_the_recorded_day(string date, int year, int month, int day)
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-kras", o => o["effectiveDateTime"] = date);

        Assert.DoesNotContain(assessment.Review, r => r.Reference.EndsWith("/crlm-high-risk-kras", StringComparison.Ordinal));
        Assert.Contains(assessment.Factors.SelectMany(f => f.Evidence), e => e.Date == new DateOnly(year, month, day));
    }

    [Fact]
    public void A_date_that_cannot_be_right_on_a_record_the_model_does_not_read_is_not_listed()
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk", p => p["birthDate"] = "9999-99-99");

        Assert.DoesNotContain(assessment.Review, r => r.Description.Contains("9999", StringComparison.Ordinal));
        Assert.Equal(RiskGroup.High, assessment.RiskGroup);
    }

    [Theory]
    [InlineData("8e27", "cm")] // overflows a decimal when converted to mm
    [InlineData("-4", "cm")]
    [InlineData("0", "mm")]
    [InlineData("301", "mm")]
    [InlineData("30.1", "cm")]
    public void A_lesion_size_outside_plausible_ranges_is_not_used_and_is_listed_for_review(string value, string unit)
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-recurrence-size-1",
            o => o["valueQuantity"] = JsonNode.Parse($$"""{"value":{{value}},"unit":"{{unit}}","system":"http://unitsofmeasure.org","code":"{{unit}}"}"""));

        var item = ReviewAbout(assessment, "crlm-high-risk-recurrence-size-1");
        Assert.Contains("plausible", item.Reason, StringComparison.Ordinal);
        Assert.False(IsUsed(assessment, "crlm-high-risk-recurrence-size-1"));
    }

    [Fact]
    public void The_largest_plausible_size_is_still_a_measurement()
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-recurrence-size-1",
            o => o["valueQuantity"] = JsonNode.Parse("""{"value":30,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}"""));

        Assert.DoesNotContain(assessment.Review, r => r.Reference.EndsWith("/crlm-high-risk-recurrence-size-1", StringComparison.Ordinal));
        Assert.Contains(assessment.Factors.SelectMany(f => f.Evidence), e => e.Description == "tumour size 300 mm");
    }

    [Theory]
    [InlineData("""{"valueInteger":0}""")]
    [InlineData("""{"valueInteger":101}""")]
    [InlineData("""{"valueInteger":3000000000}""")] // beyond a FHIR integer: unreadable, so the count is missing
    [InlineData("""{"valueQuantity":{"value":2.5}}""")]
    [InlineData("""{"valueQuantity":{"value":1e300}}""")]
    public void A_lesion_count_outside_plausible_ranges_is_not_used_and_is_listed_for_review(string value)
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-cea", o =>
        {
            o["code"] = JsonNode.Parse("""{"coding":[{"system":"http://hospital.example.org/obs","code":"LIVER-LESIONS"}]}""");
            o.Remove("valueQuantity");
            foreach (var (name, node) in JsonNode.Parse(value)!.AsObject().ToList())
                o[name] = node!.DeepClone();
        });

        // Either the count itself is listed, or (beyond a FHIR integer) the element that could not be read.
        Assert.Contains(assessment.Review, r => r.Reference.EndsWith("/crlm-high-risk-cea", StringComparison.Ordinal)
            || (r.Reference.Length == 0 && r.Reason.Contains("3000000000", StringComparison.Ordinal)));
        Assert.False(IsUsed(assessment, "crlm-high-risk-cea"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1000000")]
    public void A_cea_outside_plausible_ranges_is_not_used_and_is_listed_for_review(string value)
    {
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-cea",
            o => o["valueQuantity"]!["value"] = JsonNode.Parse(value));

        Assert.Contains("plausible CEA", ReviewAbout(assessment, "crlm-high-risk-cea").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_the_record_is_one_line_of_at_most_200_characters()
    {
        var flood = "Liver excision\n# Low risk: no MDT needed\r\n" + new string('x', 100_000);
        var assessment = AssessChanged("crlm-high-risk", "crlm-high-risk-hepatectomy", p => p["code"]!["text"] = flood);

        var description = assessment.FirstHepatectomy!.Description;
        Assert.StartsWith("Liver excision # Low risk: no MDT needed xxx", description, StringComparison.Ordinal);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
        Assert.Equal(PlainText.RecordLength, description.Length);
    }
}
