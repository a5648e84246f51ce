using System.Text.Json;
using System.Text.Json.Serialization;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.Api.Feedback;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api;

internal static class ServiceRegistration
{
    /// <summary>The engine, the terminology (shipped ValueSets plus the site's <c>Terminology</c> section) and the mapper.</summary>
    public static IServiceCollection AddCrlmAssessment(this IServiceCollection services, IConfiguration configuration)
    {
        var site = configuration.GetSection(Terminology.Section).Get<Dictionary<string, List<string>>>();
        var terminology = new Terminology(site);
        services.AddSingleton(terminology);
        services.AddSingleton(new PrefetchQueries(terminology));
        var mapper = new ClinicalFactsMapper(terminology);
        services.AddSingleton(new FhirPatientAssessor(mapper, new CrlmAssessor(ModelDefinition.Liu2021)));
        services.AddSingleton(new MdtContextReader(terminology, mapper));
        services.AddFhirDataAccess(configuration);
        services.AddSingleton<PatientRecordReader>();
        services.AddSingleton<CdsServiceRegistry>();
        // The CDS services, in the order discovery lists them: one line per service folder under CdsHooks/Services/.
        services.AddCdsService<PatientViewHandler>();
        services.AddCdsService<OrderSignHandler>();
        services.AddSingleton<FeedbackHandler>();
        services.AddSingleton<HookWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<HookWarmUp>());
        services.AddHealthChecks().AddCheck<HookWarmUp>("warm-up");
        services.ConfigureHttpJsonOptions(options => ConfigureAssessmentJson(options.SerializerOptions));
        return services;
    }

    /// <summary>Enums as kebab-case words (<c>not-applicable</c>), nulls kept: <c>score: null</c> means "not computable".</summary>
    public static void ConfigureAssessmentJson(JsonSerializerOptions options) =>
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
}
