using System.Globalization;
using System.Text.RegularExpressions;

namespace CrlmCdsHooks.Fhir;

/// <summary>A date read from a record: the day it falls on, or why there is none.</summary>
/// <param name="Day">The day as recorded (the record's own time zone), when the value is valid, precise to the day and plausible.</param>
/// <param name="Unusable">Why a value that is present cannot be used: malformed, or outside plausible clinical dates. A
/// valid date that is only less precise than a day (<c>2023</c>, <c>2023-03</c>) is not unusable, only imprecise.</param>
internal readonly record struct RecordedDay(DateOnly? Day, string? Unusable);

/// <summary>
/// Reads FHIR <c>date</c> and <c>dateTime</c> values whole, as the FHIR R4 grammar defines them: a time needs seconds
/// and a time zone, the calendar must exist (no 30 February, no hour 99), and nothing may follow. A valid date before
/// <see cref="Earliest"/> or after <paramref name="latest"/> is a recording error, not a clinical date.
/// </summary>
/// <param name="latest">The last plausible day: today plus one day, so a date written in a time zone ahead of ours is not refused.</param>
internal sealed partial class RecordDates(DateOnly latest)
{
    /// <summary>No clinical record of a living patient's cancer predates this.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    [GeneratedRegex(@"^(?<year>[0-9]{4})(-(?<month>[0-9]{2})(-(?<day>[0-9]{2})(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex FhirDateTime();

    public RecordedDay Read(string text)
    {
        var match = FhirDateTime().Match(text);
        if (!match.Success)
            return new(null, "is not a valid FHIR date (year-month-day, and a time only with seconds and a time zone)");
        var year = int.Parse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        var month = match.Groups["month"].Success ? int.Parse(match.Groups["month"].ValueSpan, CultureInfo.InvariantCulture) : 1;
        var dayOfMonth = match.Groups["day"].Success ? int.Parse(match.Groups["day"].ValueSpan, CultureInfo.InvariantCulture) : 1;
        // Stryker disable once Equality : equivalent for year 1, which is refused below as before 1900
        if (month is < 1 or > 12 || year < 1 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
            return new(null, "is not a date of the calendar");
        var day = new DateOnly(year, month, dayOfMonth);
        if (day < Earliest)
            return new(null, $"is before {Earliest.Year}, which cannot be right for this record");
        if (day > latest)
            return new(null, "is in the future, which cannot be right for this record");
        return new(match.Groups["day"].Success ? day : null, null);
    }
}
