using System.Globalization;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Validation.Cohort;

/// <summary>The dates a resource carries, to the day: when its information became clinically true, and the latest date it mentions.</summary>
public static class ResourceDates
{
    /// <summary>
    /// The date the as-of rule compares with the recurrence: a Condition's onset (else its recorded date), an
    /// Observation's effective date, a Procedure's performed date (a period's start). Null when none is recorded to the day.
    /// </summary>
    public static DateOnly? Clinical(Resource resource) => resource switch
    {
        Condition c => Day(Start(c.Onset)) ?? Day(c.RecordedDateElement?.Value),
        Observation o => Day(Start(o.Effective)),
        Procedure p => Day(Start(p.Performed)),
        _ => null,
    };

    /// <summary>The latest day the resource mentions (period ends and abatements included): how long the patient was followed.</summary>
    public static DateOnly? Latest(Resource resource)
    {
        IEnumerable<string?> texts = resource switch
        {
            Condition c => [Start(c.Onset), End(c.Onset), c.RecordedDateElement?.Value, Start(c.Abatement), End(c.Abatement)],
            Observation o => [Start(o.Effective), End(o.Effective)],
            Procedure p => [Start(p.Performed), End(p.Performed)],
            _ => [],
        };
        return texts.Select(Day).Where(d => d is not null).Max();
    }

    /// <summary>The death date of a patient: <c>deceasedDateTime</c> to the day; null when alive or when only <c>deceasedBoolean</c> is recorded.</summary>
    public static DateOnly? Death(Patient patient) => patient.Deceased is FhirDateTime died ? Day(died.Value) : null;

    /// <summary>True when the record says the patient died, with or without a date.</summary>
    public static bool Died(Patient patient) => patient.Deceased is FhirDateTime || patient.Deceased is FhirBoolean { Value: true };

    private static string? Start(DataType? value) => value switch
    {
        FhirDateTime dateTime => dateTime.Value,
        Period period => period.Start,
        Date date => date.Value,
        Instant instant => instant.Value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? End(DataType? value) => value is Period period ? period.End : null;

    private static DateOnly? Day(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;
}
