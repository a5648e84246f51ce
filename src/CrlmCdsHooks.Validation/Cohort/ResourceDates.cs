using System.Globalization;
using System.Text.Json;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Validation.Cohort;

/// <summary>The dates a resource carries, to the day: when its information became clinically true, and the latest date it mentions.</summary>
public static class ResourceDates
{
    /// <summary>
    /// The date the as-of rule compares with the recurrence: a Condition's onset (else its recorded date), an
    /// Observation's effective date, a Procedure's performed date (a period's start). Null when none is recorded to the day.
    /// </summary>
    public static DateOnly? Clinical(SourcedResource resource) => resource.TypeName switch
    {
        "Condition" => Day(Start(resource, "onset")) ?? Day(Read(resource, r => r.StringValue("recordedDate"))),
        "Observation" => Day(Start(resource, "effective")),
        "Procedure" => Day(Start(resource, "performed")),
        _ => null,
    };

    /// <summary>The latest day the resource mentions (period ends and abatements included): how long the patient was followed.</summary>
    public static DateOnly? Latest(SourcedResource resource)
    {
        IEnumerable<string?> texts = resource.TypeName switch
        {
            "Condition" => [Start(resource, "onset"), End(resource, "onset"), Read(resource, r => r.StringValue("recordedDate")),
                Start(resource, "abatement"), End(resource, "abatement")],
            "Observation" => [Start(resource, "effective"), End(resource, "effective")],
            "Procedure" => [Start(resource, "performed"), End(resource, "performed")],
            _ => [],
        };
        return texts.Select(Day).Where(d => d is not null).Max();
    }

    /// <summary>The death date of a patient: <c>deceasedDateTime</c> to the day; null when alive or when only <c>deceasedBoolean</c> is recorded.</summary>
    public static DateOnly? Death(SourcedResource patient) => Day(Read(patient, p => p.StringValue("deceasedDateTime")));

    /// <summary>True when the record says the patient died, with or without a date.</summary>
    public static bool Died(SourcedResource patient) =>
        Read(patient, p => p.Has("deceasedDateTime"))
        || Read(patient, p => p.Json.TryGetProperty("deceasedBoolean", out var died) && died.ValueKind == JsonValueKind.True);

    /// <summary>A choice element's start: its dateTime, its instant, or its Period's start.</summary>
    private static string? Start(SourcedResource resource, string element) =>
        Read(resource, r => r.StringValue($"{element}DateTime") ?? r.StringValue($"{element}Instant") ?? r.Node($"{element}Period")?.StringValue("start"));

    private static string? End(SourcedResource resource, string element) => Read(resource, r => r.Node($"{element}Period")?.StringValue("end"));

    /// <summary>An element read leniently: one in an invalid form gives no date, as it would to the hook.</summary>
    private static T? Read<T>(SourcedResource resource, Func<FhirNode, T?> read) => FhirJson.ValueOrDefault(() => read(resource.Resource));

    private static DateOnly? Day(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;
}
