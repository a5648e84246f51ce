using System.Security.Cryptography;
using System.Text;

namespace CrlmCdsHooks.Api.Audit;

/// <summary>
/// A patient id turned into a keyed HMAC-SHA256 under the site's secret: the same patient gets the same pseudonym at
/// this site, and without the secret the pseudonym cannot be turned back into the id or matched against a guess.
/// </summary>
internal sealed class PatientPseudonym(byte[] key)
{
    /// <summary>The key used in Development when none is configured; it is public, so those pseudonyms protect nothing.</summary>
    public const string DevelopmentSecret = "development-only-pseudonym-secret-not-for-real-patients";

    public string Of(string patientId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(patientId)));
}
