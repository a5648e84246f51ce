using System.Text.Json;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// The JSON reading the mapper relies on: an element in a form FHIR does not allow is never read as absent or as some
/// other value; it throws, so the resource holding it is skipped whole and listed for review.
/// </summary>
public class FhirNodeTests
{
    private static FhirNode Node(string json) => new(JsonSerializer.Deserialize<JsonElement>(json), "resource");

    private static readonly HashSet<string> Statuses = ["final", "preliminary"];

    [Fact]
    public void Absent_and_null_elements_read_as_absent()
    {
        var node = Node("""{"status":null}""");

        Assert.Null(node.StringValue("status"));
        Assert.Null(node.Node("code"));
        Assert.Equal(0, node.Nodes("coding").Count);
        Assert.Null(node.DecimalValue("value"));
        Assert.Null(node.IntegerValue("valueInteger"));
        Assert.Null(node.Code("status", Statuses));
    }

    [Fact]
    public void Elements_in_their_forms_are_read()
    {
        var node = Node("""{"status":"final","code":{"coding":[{"code":"a"},{"code":"b"}]},"value":2.50,"valueInteger":7}""");

        Assert.Equal("final", node.Code("status", Statuses));
        Assert.Equal(["a", "b"], Codes(node.Node("code")!.Value.Nodes("coding")));
        Assert.Equal(2.50m, node.DecimalValue("value"));
        Assert.Equal(7, node.IntegerValue("valueInteger"));
    }

    private static List<string?> Codes(NodeList codings)
    {
        var codes = new List<string?>();
        foreach (var coding in codings)
            codes.Add(coding.StringValue("code"));
        return codes;
    }

    public static TheoryData<string, Func<FhirNode, object?>, string> InvalidForms => new()
    {
        { """{"status":42}""", n => n.StringValue("status"), "'status' should be a string, found a JSON number" },
        { """{"code":"C78.7"}""", n => n.Node("code"), "'code' should be an object, found a JSON string" },
        { """{"value":"3.4"}""", n => n.DecimalValue("value"), "'value' should be a number, found a JSON string" },
        { """{"value":1e300}""", n => n.DecimalValue("value"), "'value' is a number beyond the range of a decimal" },
        { """{"valueInteger":3000000000}""", n => n.IntegerValue("valueInteger"), "'valueInteger' is 3000000000, not a whole number" },
        { """{"valueInteger":2.5}""", n => n.IntegerValue("valueInteger"), "'valueInteger' is 2.5, not a whole number" },
        { """{"status":"done"}""", n => n.Code("status", Statuses), "'status' is 'done', not one of its codes" },
        { """{"coding":{"code":"a"}}""", n => n.Nodes("coding").Count, "'coding' should be a list, found a JSON object" },
        { """{"coding":[{"code":"a"},null]}""", n => Codes(n.Nodes("coding")), "'coding' should be an object, found null" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public void An_element_in_a_form_fhir_does_not_allow_throws_naming_it(string json, Func<FhirNode, object?> read, string message)
    {
        var node = Node(json);

        var error = Assert.Throws<InvalidFhirElementException>(() => read(node));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_not_an_object_is_not_a_node()
    {
        Assert.Throws<InvalidFhirElementException>(() => new FhirNode(JsonSerializer.Deserialize<JsonElement>("[]"), "resource"));
    }

    [Fact]
    public void The_resource_types_the_service_accepts_are_those_of_fhir_r4()
    {
        Assert.Equal(Hl7.Fhir.Model.ModelInfo.SupportedResources.Order(StringComparer.Ordinal), FhirR4ResourceTypes.All.Order(StringComparer.Ordinal));
    }
}
