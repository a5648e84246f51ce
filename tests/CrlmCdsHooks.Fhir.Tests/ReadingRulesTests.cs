using System.Text.Json;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// The reading rules every path shares: which patient a resource is about, whether a search Bundle holds all its
/// results, what an unreadable resource is called, and text from a record reduced to one safe line.
/// </summary>
public class ReadingRulesTests
{
    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"p1"}""", "p1")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p1"}}""", "p1")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"https://ehr.example.org/fhir/Patient/p1"}}""", "p1")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"https://ehr.example.org/fhir/Patient/p1/_history/4"}}""", "p1")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"urn:uuid:9d1c"}}""", "urn:uuid:9d1c")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"Patient"}}""", "Patient")]
    [InlineData("""{"resourceType":"Condition","id":"c"}""", null)]
    public void The_patient_of_a_resource_is_read_from_any_form_of_its_subject_reference(string json, string? patient)
    {
        Assert.Equal(patient, PatientReferences.PatientIdOf(ResourceJson.Read(json)));
    }

    [Fact]
    public void Resources_about_another_patient_are_named_and_those_about_no_patient_are_not()
    {
        var resources = new[]
        {
            ResourceJson.Read("""{"resourceType":"Condition","id":"mine","subject":{"reference":"Patient/p1"}}"""),
            ResourceJson.Read("""{"resourceType":"Condition","id":"theirs","subject":{"reference":"Patient/p2"}}"""),
            ResourceJson.Read("""{"resourceType":"Medication","id":"drug"}"""),
        };

        Assert.Equal(["Condition/theirs"], PatientReferences.NotAbout("p1", resources));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":3,"entry":[{"resource":{"resourceType":"Condition","id":"a"}},{"resource":{"resourceType":"Condition","id":"b"}}]}""", "2 of 3 search results")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":2,"entry":[{"resource":{"resourceType":"Condition","id":"a"}},{"resource":{"resourceType":"Condition","id":"b"}}]}""", null)]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":1,"entry":[{"search":{"mode":"match"},"resource":{"resourceType":"MedicationRequest","id":"a"}},{"search":{"mode":"include"},"resource":{"resourceType":"Medication","id":"m"}},{"search":{"mode":"outcome"},"resource":{"resourceType":"OperationOutcome","id":"o"}}]}""", null)]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":2,"entry":[{"search":{"mode":"match"},"resource":{"resourceType":"MedicationRequest","id":"a"}},{"search":{"mode":"include"},"resource":{"resourceType":"Medication","id":"m"}}]}""", "1 of 2 search results")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","entry":[]}""", null)]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"https://ehr/fhir/Condition"},{"relation":"next","url":"https://ehr/fhir/Condition?page=2"}],"entry":[]}""", "only the first page of the search results (the EHR's server paged them)")]
    public void A_search_bundle_says_when_it_holds_only_part_of_the_matches_included_resources_apart(string json, string? partial)
    {
        Assert.Equal(partial, SearchBundle.Partial(ResourceJson.Read(json).Resource));
    }

    [Fact]
    public void The_next_link_is_the_one_named_next()
    {
        var bundle = ResourceJson.Read("""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"https://ehr/fhir/a"},{"relation":"next","url":"https://ehr/fhir/b"}]}""");

        Assert.Equal("https://ehr/fhir/b", SearchBundle.NextLink(bundle.Resource));
        Assert.Null(SearchBundle.NextLink(ResourceJson.Read("""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"https://ehr/fhir/a"}]}""").Resource));
    }

    [Theory]
    [InlineData("""{"id":"x"}""", "it names no resourceType")]
    [InlineData("""{"resourceType":"Observaton","id":"x"}""", "'Observaton' is not a FHIR R4 resource type")]
    [InlineData("""[1,2]""", "expected a FHIR resource object, found Array")]
    public void What_is_not_a_resource_is_said_why(string json, string problem)
    {
        Assert.Null(SourcedResource.Read(Json(json), out var why));
        Assert.Equal(problem, why);
    }

    [Fact]
    public void A_resource_without_an_id_is_named_by_its_full_url_or_as_having_none()
    {
        var json = Json("""{"resourceType":"Condition"}""");

        Assert.Equal("urn:uuid:4f2a", SourcedResource.Read(json, out _, "urn:uuid:4f2a")!.Reference);
        Assert.Equal("Condition/(no id)", SourcedResource.Read(json, out _)!.Reference);
    }

    // ---- One safe line of text

    [Theory]
    [InlineData("KRAS\r\nG12D\tdetected", "KRAS G12D detected")]
    [InlineData("  leading   and trailing  ", "leading and trailing")]
    [InlineData("wild\u202Etype", "wild type")]   // right-to-left override
    [InlineData("wild\u202Atype", "wild type")]   // left-to-right embedding
    [InlineData("wild\u2066type", "wild type")]   // left-to-right isolate
    [InlineData("wild\u2069type", "wild type")]   // pop directional isolate
    [InlineData("wild\u200Ftype", "wild type")]   // right-to-left mark
    [InlineData("wild\u0007type", "wild type")]   // a control character
    [InlineData("wild\u2070type", "wild\u2070type")] // superscript zero: ordinary text
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Text_from_a_record_becomes_one_line_without_controls_or_reordering(string? text, string expected)
    {
        Assert.Equal(expected, PlainText.Clip(text, 100));
    }

    [Fact]
    public void Text_at_the_limit_is_kept_whole_and_longer_text_is_cut_at_a_word_with_an_ellipsis()
    {
        Assert.Equal("abcde fghij", PlainText.Clip("abcde fghij", 11));
        Assert.Equal("abcde fghij…", PlainText.Clip("abcde fghij klmno", 14));
    }

    [Fact]
    public void A_word_too_long_to_cut_at_a_space_is_cut_inside_never_through_a_character()
    {
        Assert.Equal("abcdefghi…", PlainText.Clip("abcdefghijklmnop", 10));
        // 🧬 is two UTF-16 units: the cut would fall between them.
        var clipped = PlainText.Clip("abcdefgh🧬ijkl", 10);
        Assert.Equal("abcdefgh…", clipped);
    }

    [Fact]
    public void A_space_near_the_start_is_not_where_a_long_text_is_cut()
    {
        // The only space is in the first half: cutting there would lose most of the text.
        Assert.Equal("a bcdefghi…", PlainText.Clip("a bcdefghijklmnop", 11));
    }
}
