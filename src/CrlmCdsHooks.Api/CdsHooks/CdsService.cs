using System.Security.Claims;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// One CDS service: what discovery says about it (id, hook, title, description, prefetch) and how it answers its hook.
/// Each lives in its own folder under <c>CdsHooks/Services/</c> and is registered with one
/// <see cref="CdsServiceRegistration.AddCdsService{TService}"/> line.
/// </summary>
internal interface ICdsService
{
    /// <summary>The service as discovery lists it; its id is the endpoint's path segment.</summary>
    ServiceDescriptor Descriptor { get; }

    /// <summary>Answers a request already checked to be for this service's hook: cards, or an OperationOutcome.</summary>
    Task<IResult> HandleAsync(HookCall call, CancellationToken cancellationToken);
}

/// <summary>A checked hook request with who sent it.</summary>
/// <param name="Cards">What every card of the answer shares (its links, icon, override reasons).</param>
internal sealed record HookCall(HookRequest Request, ClaimsPrincipal Caller, CardContext Cards);
