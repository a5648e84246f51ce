using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.TestData;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// The published data contract in fhir-profiles/ (StructureDefinitions and ValueSets) stays true to the code:
/// it parses with the Firely SDK, its ValueSets hold exactly the shipped terminology defaults, every example resource
/// the service reads meets the profile that applies to it, and a broken resource fails the rule it breaks.
/// </summary>
public class ProfileTests
{
    private const string Canonical = "http://crlm-cds-hooks.example.org/fhir";
    private const string Ucum = "http://unitsofmeasure.org";

    private static readonly string ContractDirectory = Path.GetDirectoryName(Examples.Directory)!;
    private static readonly JsonSerializerOptions Strict = new JsonSerializerOptions().ForFhir();
    private static readonly FhirPathCompiler Compiler = new();
    private static readonly string[] ResourceTypesRead = ["Observation", "Condition", "Procedure"];

    private static readonly Lazy<IReadOnlyList<StructureDefinition>> LazyProfiles = new(() =>
        Directory.GetFiles(ContractDirectory, "StructureDefinition-*.json").Order(StringComparer.Ordinal)
            .Select(f => (StructureDefinition)Parse(Path.GetFileName(f))).ToList());

    private static readonly Lazy<IReadOnlyList<ValueSet>> LazyValueSets = new(() =>
        Directory.GetFiles(ContractDirectory, "ValueSet-*.json").Order(StringComparer.Ordinal)
            .Select(f => (ValueSet)Parse(Path.GetFileName(f))).ToList());

    private static IReadOnlyList<StructureDefinition> Profiles => LazyProfiles.Value;
    private static IReadOnlyList<ValueSet> ValueSets => LazyValueSets.Value;

    public static TheoryData<string> ContractFiles => new(Directory.GetFiles(ContractDirectory, "*.json")
        .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));

    public static TheoryData<string> CodeSetProperties => new(CodeSetPropertyNames());

    public static TheoryData<string> ExampleNames => new(ExampleNameList());

    [Fact]
    public void The_contract_holds_one_profile_per_input_the_service_reads_and_one_value_set_per_code_set()
    {
        Assert.Equal(10, Profiles.Count);
        Assert.Equal(CodeSetPropertyNames().Count + 4, ValueSets.Count); // four unions bind several code sets to one element
    }

    [Theory]
    [MemberData(nameof(ContractFiles))]
    public void Every_profile_and_value_set_parses_strictly_with_the_firely_sdk_and_has_its_url_name_and_status(string file)
    {
        var resource = Parse(file);

        var (url, name, status) = resource switch
        {
            StructureDefinition sd => (sd.Url, sd.Name, sd.Status),
            ValueSet vs => (vs.Url, vs.Name, vs.Status),
            NamingSystem ns => ($"{Canonical}/NamingSystem/{ns.Id}", ns.Name, ns.Status), // R4 NamingSystem has no url
            CodeSystem cs => (cs.Url, cs.Name, cs.Status),
            _ => throw new InvalidOperationException($"{file} is a {resource.TypeName}"),
        };
        Assert.Equal($"{resource.TypeName}-{resource.Id}.json", file);
        Assert.Equal($"{Canonical}/{resource.TypeName}/{resource.Id}", url);
        Assert.Matches("^[A-Z][A-Za-z0-9]*$", name);
        Assert.Equal(PublicationStatus.Draft, status);
        Assert.False(string.IsNullOrWhiteSpace(resource switch { StructureDefinition sd => sd.Description, ValueSet vs => vs.Description, NamingSystem ns => ns.Description, CodeSystem cs => cs.Description, _ => null }));
    }

    [Fact]
    public void Every_profile_is_a_differential_only_resource_constraint_on_fhir_4_0_1()
    {
        Assert.All(Profiles, profile =>
        {
            Assert.Equal(StructureDefinition.StructureDefinitionKind.Resource, profile.Kind);
            Assert.Equal(StructureDefinition.TypeDerivationRule.Constraint, profile.Derivation);
            Assert.Equal(FHIRVersion.N4_0_1, profile.FhirVersion);
            Assert.False(profile.Abstract);
            Assert.Contains(profile.Type, ResourceTypesRead);
            Assert.Null(profile.Snapshot);
            Assert.StartsWith("http://hl7.org/fhir/", profile.BaseDefinition, StringComparison.Ordinal);
            Assert.Equal(profile.Type, Elements(profile)[0].Path);
            // The checks below read top-level elements only; a deeper or sliced element would go unchecked.
            Assert.All(Elements(profile).Skip(1), e =>
            {
                Assert.Matches($"^{profile.Type}\\.[A-Za-z]+(\\[x\\])?$", e.Path);
                Assert.Null(e.SliceName);
                Assert.Empty(e.Constraint);
            });
            var code = Assert.Single(Elements(profile), e => e.Path == $"{profile.Type}.code");
            Assert.Equal(BindingStrength.Required, code.Binding?.Strength);
        });
    }

    [Theory]
    [MemberData(nameof(CodeSetProperties))]
    public void Each_code_set_is_a_published_value_set_whose_shipped_expansion_agrees_with_its_definition(string property)
    {
        var codeSet = (CodeSet)typeof(Terminology).GetProperty(property)!.GetValue(Terminology.Default)!;
        var valueSet = Assert.Single(ValueSets, v => v.Name == $"Crlm{property}");
        var includes = valueSet.Compose?.Include ?? [];
        var systems = Terminology.Default.Systems;
        var expansion = (valueSet.Expansion?.Contains ?? []).Select(c => $"{systems.Canonical(c.System ?? "")}|{c.Code}").ToHashSet(StringComparer.Ordinal);
        var excluded = (valueSet.Compose?.Exclude ?? []).SelectMany(e => e.Concept.Select(c => $"{systems.Canonical(e.System ?? "")}|{c.Code}")).ToHashSet();

        Assert.DoesNotContain(includes, i => i.ValueSet.Any());
        // Every explicit concept and every is-a root (SNOMED CT, or an ICD header code) is shipped in the expansion…
        Assert.All(includes, include =>
        {
            var system = systems.Canonical(include.System ?? "");
            Assert.All(include.Concept, c => Assert.Contains($"{system}|{c.Code}", expansion));
            Assert.All(include.Filter.Where(f => f.Op == FilterOperator.IsA && !excluded.Contains($"{system}|{f.Value}")),
                f => Assert.Contains($"{system}|{f.Value}", expansion));
        });
        // …every expanded code is matched by the service (so none is excluded), and the service enumerates nothing else.
        Assert.All(valueSet.Expansion?.Contains ?? [], c => Assert.True(codeSet.Contains(new Coding(c.System, c.Code)), $"{property}: {c.System}|{c.Code} is expanded but not matched"));
        Assert.Equal(expansion.Order(StringComparer.Ordinal), codeSet.Entries);
    }

    [Fact]
    public void Every_other_value_set_is_a_union_of_published_code_set_value_sets()
    {
        var codeSetNames = CodeSetPropertyNames().Select(p => $"Crlm{p}").ToHashSet();
        var unions = ValueSets.Where(v => !codeSetNames.Contains(v.Name ?? "")).ToList();

        Assert.Equal(4, unions.Count);
        Assert.All(unions, union => Assert.All(union.Compose!.Include, include =>
        {
            Assert.Null(include.System);
            Assert.Contains(ValueSetNamed(Assert.Single(include.ValueSet)).Name ?? "", codeSetNames);
        }));
    }

    [Fact]
    public void Every_binding_names_a_value_set_published_here()
    {
        var bindings = Profiles.SelectMany(p => Elements(p)).Where(e => e.Binding is not null).ToList();

        Assert.NotEmpty(bindings);
        Assert.All(bindings, e => Assert.NotEmpty(Expand(ValueSetNamed(e.Binding!.ValueSet))));
    }

    [Fact]
    public void Every_constraint_compiles_with_the_firely_fhirpath_engine_and_has_a_unique_key_and_its_profile_as_source()
    {
        Assert.All(Profiles, profile =>
        {
            var constraints = Elements(profile)[0].Constraint;
            Assert.NotEmpty(constraints);
            Assert.Equal(constraints.Count, constraints.Select(c => c.Key).Distinct().Count());
            Assert.All(constraints, c =>
            {
                Assert.StartsWith("crlm-", c.Key, StringComparison.Ordinal);
                Assert.Equal(ConstraintSeverity.Error, c.Severity);
                Assert.False(string.IsNullOrWhiteSpace(c.Human));
                Assert.Equal(profile.Url, c.Source);
                Assert.NotNull(Compiler.Compile(c.Expression));
            });
        });
    }

    [Theory]
    [InlineData("crlm-ras-variant-assessment", "crlm-ras-gene-studied", "GeneStudied")]
    [InlineData("crlm-ras-variant-assessment", "crlm-ras-gene", "GeneStudied", "KrasGene", "NrasGene")]
    [InlineData("crlm-tumor-size", "crlm-size-dimension", "TumorLongestDimension")]
    [InlineData("crlm-tumor-size", "crlm-size-unit", "TumorLongestDimension")]
    [InlineData("crlm-regional-nodes-category", "crlm-n-value", "NodeNegative", "NodePositive")]
    [InlineData("crlm-liver-metastasis", "crlm-lm-body-site", "SecondaryNeoplasmAnySite", "LiverBodySite")]
    [InlineData("crlm-extrahepatic-metastasis", "crlm-em-body-site", "SecondaryNeoplasmAnySite", "LiverBodySite")]
    public void Codes_written_into_a_constraint_are_codes_of_its_code_sets(string profileId, string key, params string[] codeSets)
    {
        // A constraint names the root codes (the FHIRPath engine has no terminology); the service reads the whole expansion.
        var expression = Constraint(profileId, key).Expression ?? "";
        var codes = codeSets.SelectMany(p => ((CodeSet)typeof(Terminology).GetProperty(p)!.GetValue(Terminology.Default)!).Codes).ToHashSet();

        var codesWritten = Regex.Matches(expression, "'(HGNC:[0-9]+|[0-9]{4,}(-[0-9])?)'").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(codesWritten);
        Assert.All(codesWritten, code => Assert.Contains(code, codes));
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Every_example_resource_the_service_reads_meets_each_profile_that_applies_to_it(string name)
    {
        foreach (var resource in ExampleResources(name).Where(r => r is not Patient))
        {
            var applicable = Profiles.Where(p => AppliesTo(p, resource)).ToList();
            var (used, warnings) = MapAlone(resource);

            Assert.True(used == (applicable.Count > 0), $"{resource.TypeName}/{resource.Id}: read by the service {used}, profiles {applicable.Count}");
            Assert.Empty(warnings);
            foreach (var profile in applicable)
            {
                var violations = Violations(profile, resource);
                Assert.True(violations.Count == 0, $"{resource.TypeName}/{resource.Id} against {profile.Id}: {string.Join("; ", violations)}");
            }
        }
    }

    [Fact]
    public void Every_profile_but_liver_ablation_applies_to_some_example_resource()
    {
        var exercised = ExampleNameList()
            .SelectMany(ExampleResources)
            .SelectMany(r => Profiles.Where(p => AppliesTo(p, r)).Select(p => p.Id))
            .ToHashSet();

        Assert.Equal(Profiles.Select(p => p.Id).Where(id => id != "crlm-liver-ablation"), exercised.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> ReadableResourcesWithoutExample => new()
    {
        { "crlm-liver-ablation", """{"resourceType":"Procedure","id":"rfa","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"708625004"}]},"subject":{"reference":"Patient/p1"},"performedPeriod":{"start":"2024-02-01T09:00:00+01:00","end":"2024-02-01T11:00:00+01:00"}}""" },
        { "crlm-tumor-size", """{"resourceType":"Observation","id":"value-in-mm","status":"amended","code":{"coding":[{"system":"http://loinc.org","code":"21889-1"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-01-18T10:30:00Z","valueQuantity":{"value":18,"unit":"mm"}}""" },
    };

    [Theory]
    [MemberData(nameof(ReadableResourcesWithoutExample))]
    public void Readable_shapes_that_no_example_shows_meet_their_profile_too(string profileId, string json)
    {
        var resource = JsonSerializer.Deserialize<Resource>(json, Strict)!;
        var profile = Profile(profileId);

        Assert.True(AppliesTo(profile, resource));
        Assert.Empty(Violations(profile, resource));
        var (used, warnings) = MapAlone(resource);
        Assert.True(used);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("""[{"coding":[{"system":"http://snomed.info/sct","code":"10200004"}]}]""", "crlm-liver-metastasis")]
    [InlineData("""[{"coding":[{"system":"http://snomed.info/sct","code":"39607008"}]}]""", "crlm-extrahepatic-metastasis")]
    [InlineData(null, null)]
    public void A_generic_secondary_neoplasm_falls_under_both_bindings_and_conforms_to_the_one_its_body_site_names(string? bodySite, string? conformsTo)
    {
        var json = $$"""{"resourceType":"Condition","id":"generic","code":{"coding":[{"system":"http://snomed.info/sct","code":"128462008"}]},{{(bodySite is null ? "" : $"\"bodySite\":{bodySite},")}}"subject":{"reference":"Patient/p1"},"onsetDateTime":"2024-01-20"}""";
        var resource = JsonSerializer.Deserialize<Resource>(json, Strict)!;
        var candidates = new[] { Profile("crlm-liver-metastasis"), Profile("crlm-extrahepatic-metastasis") };

        Assert.All(candidates, p => Assert.True(AppliesTo(p, resource)));
        Assert.Equal(conformsTo is null ? [] : [conformsTo], candidates.Where(p => Violations(p, resource).Count == 0).Select(p => p.Id));
        var facts = new ClinicalFactsMapper(Terminology.Default).Map([ResourceJson.Of(resource)]);
        Assert.Equal(conformsTo == "crlm-liver-metastasis", facts.LiverMetastases.Count == 1);
        Assert.Equal(conformsTo == "crlm-extrahepatic-metastasis", facts.ExtrahepaticMetastases.Count == 1);
    }

    /// <summary>A deliberately broken copy of an example resource, the profile it is checked against, and the rules it must break.</summary>
    private sealed record Breakage(string Example, string ResourceId, Action<JsonObject> Break, string ProfileId, string[] Broken);

    private static readonly Dictionary<string, Breakage> Breakages = new()
    {
        ["a tumour size in inches"] = new("crlm-low-risk", "crlm-low-risk-recurrence-size-1",
            r => r["component"]![0]!["valueQuantity"] = new JsonObject { ["value"] = 1, ["unit"] = "in", ["system"] = Ucum, ["code"] = "[in_i]" },
            "crlm-tumor-size", ["crlm-size-unit"]),
        ["a tumour size without any quantity"] = new("crlm-low-risk", "crlm-low-risk-recurrence-size-1",
            r => r.Remove("component"), "crlm-tumor-size", ["crlm-size-dimension"]),
        ["a tumour size without a date"] = new("crlm-high-risk", "crlm-high-risk-recurrence-size-1",
            r => r.Remove("effectiveDateTime"), "crlm-tumor-size", ["Observation.effective[x]", "crlm-effective-day"]),
        ["an entered-in-error tumour size"] = new("crlm-high-risk", "crlm-high-risk-recurrence-size-1",
            r => r["status"] = "entered-in-error", "crlm-tumor-size", ["crlm-obs-status"]),
        ["a liver recurrence with an onset only to the month"] = new("crlm-low-risk", "crlm-low-risk-liver-recurrence",
            r => r["onsetDateTime"] = "2024-01", "crlm-liver-metastasis", ["crlm-onset-day"]),
        ["a refuted liver metastasis"] = new("crlm-low-risk", "crlm-low-risk-liver-recurrence",
            r => r["verificationStatus"]!["coding"]![0]!["code"] = "refuted", "crlm-liver-metastasis", ["crlm-cond-verification"]),
        ["a generic secondary neoplasm without a body site"] = new("crlm-low-risk", "crlm-low-risk-liver-recurrence",
            r =>
            {
                r["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "128462008" }) };
                r.Remove("bodySite");
            },
            "crlm-liver-metastasis", ["crlm-lm-body-site"]),
        ["a hepatectomy dated only to the year"] = new("crlm-low-risk", "crlm-low-risk-hepatectomy",
            r => r["performedDateTime"] = "2023", "crlm-liver-resection", ["crlm-performed-day"]),
        ["a hepatectomy still in progress"] = new("crlm-low-risk", "crlm-low-risk-hepatectomy",
            r => r["status"] = "in-progress", "crlm-liver-resection", ["Procedure.status"]),
        ["a RAS assessment without a gene-studied component"] = new("crlm-low-risk", "crlm-low-risk-ras",
            r => r.Remove("component"), "crlm-ras-variant-assessment", ["crlm-ras-gene-studied", "crlm-ras-gene"]),
        ["a variant assessment of BRAF only"] = new("crlm-boundary-high", "crlm-boundary-high-ras",
            r => r["component"]![0]!["valueCodeableConcept"]!["coding"]![0]!["code"] = "HGNC:1097", "crlm-ras-variant-assessment", ["crlm-ras-gene"]),
        ["a KRAS result in free text only"] = new("crlm-high-risk", "crlm-high-risk-kras",
            r => r["valueCodeableConcept"] = new JsonObject { ["text"] = "KRAS G12D detected" }, "crlm-kras-mutation-result", ["Observation.value[x]"]),
        ["an NX category"] = new("crlm-high-risk", "crlm-high-risk-pn",
            r => r["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://cancerstaging.org", ["code"] = "pNX" }) },
            "crlm-regional-nodes-category", ["crlm-n-value"]),
        ["a CEA in ng/L"] = new("crlm-low-risk", "crlm-low-risk-cea",
            r => r["valueQuantity"] = new JsonObject { ["value"] = 6200, ["unit"] = "ng/L", ["system"] = Ucum, ["code"] = "ng/L" }, "crlm-cea", ["crlm-cea-unit"]),
    };

    public static TheoryData<string> BreakageNames => new(Breakages.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BreakageNames))]
    public void A_broken_resource_fails_exactly_the_rule_it_breaks_and_the_service_does_not_read_it_cleanly(string breakage)
    {
        var (example, id, breakIt, profileId, broken) = Breakages[breakage];
        var original = ExampleResourceJson(example, id);
        var json = (JsonObject)original.DeepClone();
        breakIt(json);
        var resource = JsonSerializer.Deserialize<Resource>(json.ToJsonString(), Strict)!;
        var profile = Profile(profileId);

        Assert.Empty(Violations(profile, JsonSerializer.Deserialize<Resource>(original.ToJsonString(), Strict)!));
        Assert.True(AppliesTo(profile, resource));
        Assert.Equal(broken.Order(StringComparer.Ordinal), Violations(profile, resource).Select(v => v.Rule).Order(StringComparer.Ordinal));
        var (used, warnings) = MapAlone(resource);
        Assert.True(!used || warnings.Count > 0, $"the service read {breakage} without a warning");
    }

    // ---- the checker: a differential's top-level elements and root constraints, evaluated with the Firely FHIRPath engine ----

    private sealed record Violation(string Rule, string Reason)
    {
        public override string ToString() => $"{Rule}: {Reason}";
    }

    private static List<Violation> Violations(StructureDefinition profile, Resource resource)
    {
        var root = resource.ToPocoNode();
        var violations = new List<Violation>();
        foreach (var constraint in Elements(profile)[0].Constraint)
        {
            if (!Compiler.Compile(constraint.Expression).IsTrue(root, new FhirEvaluationContext()))
                violations.Add(new(constraint.Key ?? "(no key)", constraint.Human ?? ""));
        }
        foreach (var element in Elements(profile).Skip(1))
        {
            var path = element.Path![(profile.Type!.Length + 1)..].Replace("[x]", "", StringComparison.Ordinal);
            var values = Select(root, path);
            if (values.Count < (element.Min ?? 0))
                violations.Add(new(element.Path, $"at least {element.Min} required, {values.Count} present"));
            if (element.Max == "0" && values.Count > 0)
                violations.Add(new(element.Path, "not allowed"));
            if (element.Type.Count > 0 && values.Any(v => !element.Type.Any(t => t.Code == v.Poco.TypeName)))
                violations.Add(new(element.Path, $"type not among {string.Join(", ", element.Type.Select(t => t.Code))}"));
            if (element.Type.Any(t => t.TargetProfile.Contains("http://hl7.org/fhir/StructureDefinition/Patient"))
                && values.Any(v => v.Poco is not ResourceReference { Reference: { } reference } || !reference.Contains("Patient/", StringComparison.Ordinal)))
                violations.Add(new(element.Path, "not a Patient reference"));
            if (element.Fixed is not null)
            {
                var fixedValue = element.Fixed is Code or FhirString ? element.Fixed.ToString() : throw new NotSupportedException($"{element.Path}: fixed {element.Fixed.TypeName}");
                if (!Compiler.Compile($"{path}.all($this = '{fixedValue}')").IsTrue(root, new FhirEvaluationContext()))
                    violations.Add(new(element.Path, $"must be {fixedValue}"));
            }
            if (element.Pattern is not null)
                throw new NotSupportedException($"{element.Path}: pattern[x] is not checked here");
            if (element.Binding is { Strength: BindingStrength.Required } binding)
            {
                var matches = Matcher(ValueSetNamed(binding.ValueSet));
                if (values.Any(v => v.Poco is not CodeableConcept concept || !concept.Coding.Any(matches)))
                    violations.Add(new(element.Path, $"not coded from {binding.ValueSet}"));
            }
        }
        return violations;
    }

    /// <summary>A profile applies to a resource of its type that has a code from the ValueSet its code is bound to.</summary>
    private static bool AppliesTo(StructureDefinition profile, Resource resource)
    {
        if (resource.TypeName != profile.Type)
            return false;
        var matches = Matcher(ValueSetNamed(Elements(profile).Single(e => e.Path == $"{profile.Type}.code").Binding!.ValueSet));
        return Select(resource.ToPocoNode(), "code.coding").Any(n => n.Poco is Coding c && matches(c));
    }

    private static List<PocoNode> Select(PocoNode root, string expression) =>
        Compiler.Compile(expression)(root, new FhirEvaluationContext()).ToList();

    /// <summary>Whether the mapper uses the resource on its own, and what it warns about.</summary>
    private static (bool Used, IReadOnlyList<string> Warnings) MapAlone(Resource resource)
    {
        var facts = new ClinicalFactsMapper(Terminology.Default).Map([ResourceJson.Of(resource)]);
        IReadOnlyCollection<object>[] read =
        [
            facts.ColorectalPrimaries, facts.LiverMetastases, facts.ExtrahepaticMetastases, facts.LiverResections, facts.LiverAblations,
            facts.NodalStagings, facts.RasResults, facts.LesionMeasurements, facts.LesionCounts, facts.CeaResults,
        ];
        return (read.Any(r => r.Count > 0), facts.DataWarnings);
    }

    // ---- the contract files ----

    private static Resource Parse(string file) =>
        JsonSerializer.Deserialize<Resource>(File.ReadAllText(Path.Combine(ContractDirectory, file)), Strict)
        ?? throw new InvalidOperationException($"{file} is empty");

    private static List<ElementDefinition> Elements(StructureDefinition profile) =>
        profile.Differential?.Element ?? throw new InvalidOperationException($"{profile.Id} has no differential");

    private static StructureDefinition Profile(string id) => Profiles.Single(p => p.Id == id);

    private static ElementDefinition.ConstraintComponent Constraint(string profileId, string key) =>
        Elements(Profile(profileId))[0].Constraint.Single(c => c.Key == key);

    private static ValueSet ValueSetNamed(string? canonical) =>
        ValueSets.SingleOrDefault(v => v.Url == canonical) ?? throw new InvalidOperationException($"no ValueSet {canonical} in fhir-profiles/");

    /// <summary>Whether a coding is in a ValueSet as the service matches it (code families, patterns and aliases included), following unions.</summary>
    private static Func<Coding, bool> Matcher(ValueSet valueSet)
    {
        if (valueSet.Name is { } name && name.StartsWith("Crlm", StringComparison.Ordinal)
            && typeof(Terminology).GetProperty(name["Crlm".Length..])?.GetValue(Terminology.Default) is CodeSet codeSet)
            return codeSet.Contains;
        var parts = (valueSet.Compose?.Include ?? []).SelectMany(i => i.ValueSet).Select(v => Matcher(ValueSetNamed(v))).ToList();
        return coding => parts.Any(p => p(coding));
    }

    /// <summary>The enumerated <c>system|code</c> entries of a ValueSet (its shipped expansion and explicit concepts), following included ValueSets published here.</summary>
    private static HashSet<string> Expand(ValueSet valueSet)
    {
        var codes = (valueSet.Expansion?.Contains ?? []).Select(c => $"{c.System}|{c.Code}").ToHashSet(StringComparer.Ordinal);
        foreach (var include in valueSet.Compose?.Include ?? [])
        {
            codes.UnionWith(include.Concept.Select(c => $"{include.System}|{c.Code}"));
            foreach (var canonical in include.ValueSet)
                codes.UnionWith(Expand(ValueSetNamed(canonical)));
        }
        return codes;
    }

    private static List<string> ExampleNameList() =>
        [.. Directory.GetFiles(Examples.Directory, "*.bundle.json")
            .Select(f => Path.GetFileName(f)[..^".bundle.json".Length]).Order(StringComparer.Ordinal)];

    private static List<string> CodeSetPropertyNames() =>
        [.. typeof(Terminology).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(CodeSet)).Select(p => p.Name).Order(StringComparer.Ordinal)];

    // ---- the examples ----

    private static IEnumerable<Resource> ExampleResources(string name) =>
        JsonSerializer.Deserialize<Bundle>(Examples.Bundle(name), Strict)!.Entry.Select(e => e.Resource!);

    private static JsonObject ExampleResourceJson(string name, string id) =>
        JsonNode.Parse(Examples.Bundle(name))!["entry"]!.AsArray()
            .Select(e => e!["resource"]!.AsObject())
            .Single(r => (string?)r["id"] == id);
}
