using System.Text.Json;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.TestData;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>Every record of the realistic-record corpus through the mapper and the engine (SPEC section 7).</summary>
public class CorpusTests
{
    private static readonly FhirPatientAssessor Assessor =
        new(new ClinicalFactsMapper(Terminology.Default), new CrlmAssessor(ModelDefinition.Liu2021));

    public static TheoryData<string> Records => Corpus.Files;

    [Fact]
    public void The_corpus_holds_at_least_fifty_records_covering_every_rule_of_section_7()
    {
        Assert.True(Corpus.Records.Count >= 50);
        Assert.Equal(["7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7"],
            Corpus.Records.Select(r => r.Rule).Where(r => r.StartsWith("7.", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Each_record_is_read_as_the_spec_requires(string file)
    {
        var record = Corpus.Record(file);
        var assessment = Assessor.Assess(ResourceJson.Entries(record.BundleJson()));

        record.AssertAssessment(JsonSerializer.SerializeToNode(assessment, Corpus.AssessmentJson)!);
    }
}
