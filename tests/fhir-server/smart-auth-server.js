'use strict';
// SMART App Launch 2.x authorization server used ONLY as a test fixture (for tests of a SMART app against server.js).
// It is not part of the product and must never face a network: it listens on 127.0.0.1 only, approves every
// authorization request automatically (no login, no consent page) and keeps everything in memory.
// What it does check is what a SMART client must get right: the registered client and exact redirect URI, state,
// PKCE with S256, single-use short-lived codes, and aud = the FHIR base the app was launched with.

const http = require('node:http');
const { createHash, randomBytes, randomUUID } = require('node:crypto');
const { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } = require('jose');
const { TOKEN_ALG, applyCors, isLoopbackUrl, smartConfiguration } = require('./smart-configuration');

const HOST = '127.0.0.1'; // loopback only: this is a test fixture, never a real server
const CLIENT_ID = process.env.SMART_CLIENT_ID ?? '';
const REDIRECT_URIS = (process.env.SMART_REDIRECT_URIS ?? '').split(',').map((uri) => uri.trim()).filter(Boolean);
const STANDALONE_PATIENT = process.env.SMART_STANDALONE_PATIENT ?? '';
const CODE_LIFETIME_MS = 60_000;
const DEFAULT_TOKEN_LIFETIME_S = 3600;
const SUBJECT = 'fixture-clinician';
const CORS_PATHS = new Set(['/token', '/jwks', '/.well-known/smart-configuration']);

if (!CLIENT_ID || REDIRECT_URIS.length === 0) {
  console.error('SMART_CLIENT_ID and SMART_REDIRECT_URIS (comma-separated) are required');
  process.exit(2);
}

const launches = new Map(); // launch id -> { iss, patient, appContext, tokenLifetime, refusedScopes, needPatientBanner }
const codes = new Map(); // code -> { clientId, redirectUri, codeChallenge, scope, context, expiresAt }
const stats = { codesIssued: 0, codesRedeemed: 0, tokensIssued: 0, tokenRequestsRefused: 0 };
let issuer = ''; // http://127.0.0.1:<port>, known once listening
let signingKey; // generated at start
let publicJwk;

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    sendText(res, 500, 'Internal error');
  });
});

async function handle(req, res) {
  const url = new URL(req.url, `http://${HOST}`);
  if (CORS_PATHS.has(url.pathname) && applyCors(req, res)) {
    return; // preflight answered
  }
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /ehr/launch':
      return ehrLaunch(url.searchParams, res);
    case 'GET /ehr/frame':
      return ehrFrame(url.search, res);
    case 'GET /authorize':
      return authorize(url.searchParams, res);
    case 'POST /token':
      return token(req, res);
    case 'GET /jwks':
      return sendJson(res, 200, { keys: [publicJwk] });
    case 'GET /.well-known/smart-configuration':
      return sendJson(res, 200, smartConfiguration(issuer));
    case 'GET /fixture/tokens':
      return sendJson(res, 200, stats);
    default:
      return sendText(res, 404, 'Not found');
  }
}

// Plays the EHR: remembers the launch context under an opaque id and sends the browser to the app.
function ehrLaunch(query, res) {
  const iss = query.get('iss');
  const patient = query.get('patient');
  const app = query.get('app');
  const lifetime = query.get('token_lifetime') ?? String(DEFAULT_TOKEN_LIFETIME_S);
  if (!iss || !patient || !app) {
    return sendText(res, 400, 'iss, patient and app are required');
  }
  if (!isLoopbackUrl(app)) {
    return sendText(res, 400, 'app must be an http(s) URL on 127.0.0.1 or localhost');
  }
  if (!/^[1-9]\d*$/.test(lifetime)) {
    return sendText(res, 400, 'token_lifetime must be a positive number of seconds');
  }
  const launch = randomId();
  launches.set(launch, {
    iss,
    patient,
    appContext: query.get('appContext') ?? undefined,
    tokenLifetime: Number(lifetime),
    // An EHR that grants less than asked (a site policy): these scopes are left out of the token.
    refusedScopes: (query.get('refuse_scopes') ?? '').split(/\s+/).filter(Boolean),
    // An EHR that shows its own patient banner around the app.
    needPatientBanner: query.get('need_patient_banner') !== 'false',
  });
  redirect(res, withParams(app, { iss, launch }));
}

// Plays an EHR that shows apps in a frame: a chart page whose iframe makes the /ehr/launch above (same parameters).
function ehrFrame(search, res) {
  const src = `/ehr/launch${search}`.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><title>Fixture EHR chart</title><link rel="icon" href="data:,"><h1>Fixture EHR chart</h1>
<iframe name="app" title="SMART app" src="${src}" width="400" height="900"></iframe></html>`);
}

function authorize(query, res) {
  const redirectUri = query.get('redirect_uri');
  if (query.get('client_id') !== CLIENT_ID || !REDIRECT_URIS.includes(redirectUri)) {
    // Errors go back to the app only through a registered URI; anything else would be an open redirector.
    return sendText(res, 400, 'Unknown client_id or unregistered redirect_uri');
  }
  const state = query.get('state') ?? undefined;
  const fail = (error, description) => redirect(res, withParams(redirectUri, { error, error_description: description, state }));

  if (query.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 'response_type must be code');
  }
  if (!state) {
    return fail('invalid_request', 'state is required');
  }
  const codeChallenge = query.get('code_challenge') ?? '';
  if (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return fail('invalid_request', 'PKCE is required: code_challenge_method=S256 and a base64url SHA-256 code_challenge');
  }
  const scopes = (query.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const aud = query.get('aud');
  const launch = query.get('launch');
  let context;
  if (launch) {
    context = launches.get(launch);
    if (!context) {
      return fail('invalid_request', 'Unknown launch');
    }
    if (!scopes.includes('launch')) {
      return fail('invalid_scope', 'An EHR launch needs the launch scope');
    }
    if (aud !== context.iss) {
      return fail('invalid_request', 'aud must be the FHIR base URL the app was launched with (iss)');
    }
  } else {
    if (!aud) {
      return fail('invalid_request', 'aud is required');
    }
    if (!scopes.includes('launch/patient')) {
      return fail('invalid_scope', 'A standalone launch needs the launch/patient scope');
    }
    if (!STANDALONE_PATIENT) {
      return fail('invalid_scope', 'No patient to select: SMART_STANDALONE_PATIENT is not set');
    }
    context = { iss: aud, patient: STANDALONE_PATIENT, tokenLifetime: DEFAULT_TOKEN_LIFETIME_S };
  }

  const code = randomId();
  codes.set(code, {
    clientId: CLIENT_ID,
    redirectUri,
    codeChallenge,
    scope: scopes.filter((s) => !context.refusedScopes?.includes(s)).join(' '), // granted: what was asked, less any refused
    context,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  stats.codesIssued++;
  redirect(res, withParams(redirectUri, { code, state }));
}

async function token(req, res) {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    return refuse(res, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await readText(req));
  if (form.get('grant_type') !== 'authorization_code') {
    return refuse(res, 'unsupported_grant_type', 'Only authorization_code is supported');
  }
  const code = form.get('code') ?? '';
  const grant = codes.get(code);
  codes.delete(code); // single use: any attempt consumes the code, so a replay never succeeds
  if (!grant || grant.expiresAt < Date.now()) {
    return refuse(res, 'invalid_grant', 'Unknown, expired or already used code');
  }
  if (form.get('client_id') !== grant.clientId || form.get('redirect_uri') !== grant.redirectUri) {
    return refuse(res, 'invalid_grant', 'client_id or redirect_uri differ from the authorization request');
  }
  const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
  if (challenge !== grant.codeChallenge) {
    return refuse(res, 'invalid_grant', 'code_verifier does not match the code_challenge');
  }

  const { context, scope } = grant;
  const lifetime = context.tokenLifetime;
  const body = {
    access_token: await sign({ patient: context.patient, scope, jti: randomUUID() }, context.iss, lifetime),
    token_type: 'Bearer',
    expires_in: lifetime,
    scope,
    patient: context.patient,
    need_patient_banner: context.needPatientBanner ?? true,
  };
  if (context.appContext !== undefined) {
    body.appContext = context.appContext;
  }
  if (scope.split(' ').includes('openid')) {
    body.id_token = await sign({ fhirUser: `Practitioner/${SUBJECT}` }, grant.clientId, lifetime);
  }
  stats.codesRedeemed++;
  stats.tokensIssued++; // one access token per code: there are no refresh tokens
  sendJson(res, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

function refuse(res, error, description) {
  stats.tokenRequestsRefused++;
  sendJson(res, 400, { error, error_description: description }, { 'Cache-Control': 'no-store' });
}

function sign(claims, audience, lifetimeSeconds) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: TOKEN_ALG, kid: publicJwk.kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(SUBJECT)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(signingKey);
}

function randomId() {
  return randomBytes(32).toString('base64url');
}

/** url with the defined params set, keeping any query it already has. */
function withParams(url, params) {
  const result = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) result.searchParams.set(name, value);
  }
  return result;
}

async function readText(req) {
  req.setEncoding('utf8');
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function redirect(res, url) {
  res.writeHead(302, { Location: url.href });
  res.end();
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function start() {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG);
  signingKey = privateKey;
  publicJwk = { ...(await exportJWK(publicKey)), alg: TOKEN_ALG, use: 'sig' };
  publicJwk.kid = await calculateJwkThumbprint(publicJwk);

  const port = Number.parseInt(process.env.PORT ?? '0', 10) || 0; // 0 = any free port
  server.listen(port, HOST, () => {
    issuer = `http://${HOST}:${server.address().port}`;
    // Test fixtures wait for exactly this line and parse the issuer URL from it.
    process.stdout.write(`SMART authorization server listening on ${issuer}\n`);
  });
}

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // don't let idle keep-alive connections hold the process open
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

start().catch((err) => {
  console.error(err);
  process.exit(1);
});
