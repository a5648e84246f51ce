'use strict';
// Shared by the SMART test fixtures: the authorization server (smart-auth-server.js) and the FHIR server in
// SMART mode (server.js). Test fixtures only, never product code.

const TOKEN_ALG = 'ES256'; // the authorization server signs with it, the FHIR server accepts only it

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** True for an http(s) URL on this machine: the fixtures only ever send a browser to loopback apps. */
function isLoopbackUrl(value) {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/** True for an Origin header of the form http://127.0.0.1[:port] or http://localhost[:port]. */
function isLoopbackOrigin(origin) {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * CORS for the SMART app, which runs in a browser on another loopback origin: echoes a loopback Origin and answers
 * preflights. Returns true when the request was a preflight, which is then fully answered.
 */
function applyCors(req, res) {
  res.setHeader('Vary', 'Origin');
  if (isLoopbackOrigin(req.headers.origin)) {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  }
  if (req.method !== 'OPTIONS') {
    return false;
  }
  res.writeHead(204);
  res.end();
  return true;
}

/** The SMART App Launch 2.x discovery document for the authorization server at authBase (no trailing slash). */
function smartConfiguration(authBase) {
  return {
    issuer: authBase,
    jwks_uri: `${authBase}/jwks`,
    authorization_endpoint: `${authBase}/authorize`,
    token_endpoint: `${authBase}/token`,
    token_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: ['authorization_code'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'patient/*.rs', 'patient/*.read'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'context-ehr-patient',
      'context-standalone-patient',
      'permission-v2',
      'permission-v1',
      'sso-openid-connect',
      'permission-patient',
    ],
  };
}

module.exports = { TOKEN_ALG, applyCors, isLoopbackUrl, smartConfiguration };
