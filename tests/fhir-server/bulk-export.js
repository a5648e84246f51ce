'use strict';
// A minimal FHIR Bulk Data Access (v2) export for the test server (fixture only): kick-off, status polling with
// Retry-After, a manifest, NDJSON files, and a fixture endpoint that makes the next exports slow or failing.
// Every export is a snapshot taken at kick-off, kept in memory until DELETEd (then only its poll times stay) or the server stops.

const crypto = require('node:crypto');

const TYPES = ['Patient', 'Condition', 'Observation', 'Procedure'];
// With BULK_EXPORT_TOKEN set, every export request needs `Authorization: Bearer <it>`, and the manifest says the
// files require it. Unset (the default), exports are open like the rest of the server.
const TOKEN = process.env.BULK_EXPORT_TOKEN ?? '';

// What the next exports do; changed with POST /fixture/bulk-export.
let behaviour = { polls: 1, retryAfterSeconds: 1, fail: null };
const jobs = new Map();

function isBulkExportPath(path) {
  return path === '$export' || path === 'Patient/$export' || path.startsWith('$export-status/') || path.startsWith('$export-file/');
}

async function handleBulkExport(req, res, path, url, { baseUrl, router, repo, send }) {
  if (TOKEN && req.headers.authorization !== `Bearer ${TOKEN}`) {
    return send(res, 401, outcome('login', 'A bearer token is required for bulk export'), { 'WWW-Authenticate': 'Bearer' });
  }
  if (path === '$export' || path === 'Patient/$export') {
    if (req.method !== 'GET') return send(res, 405, outcome('not-supported', 'Kick-off is a GET'));
    if (!/respond-async/.test(req.headers.prefer ?? '')) {
      return send(res, 400, outcome('invalid', 'Bulk export needs the header Prefer: respond-async'));
    }
    const types = (url.searchParams.get('_type') ?? TYPES.join(',')).split(',').filter(Boolean);
    const unknown = types.filter((t) => !TYPES.includes(t));
    if (unknown.length > 0) return send(res, 400, outcome('not-supported', `Unsupported _type: ${unknown.join(', ')}`));
    const id = crypto.randomUUID();
    const files = {};
    for (const type of types) {
      const [, bundle] = await router.handleRequest(
        { method: 'GET', url: type, pathname: '', params: {}, query: {}, body: undefined, headers: {}, config: {} }, repo);
      files[type] = (bundle?.entry ?? []).map((e) => JSON.stringify(e.resource));
    }
    jobs.set(id, { ...behaviour, request: `${baseUrl}/${path}${url.search}`, files, pollTimes: [], pollsLeft: behaviour.polls });
    res.writeHead(202, { 'Content-Location': `${baseUrl}/$export-status/${id}`, 'Content-Type': 'application/fhir+json' });
    return res.end(JSON.stringify(outcome('informational', 'Export started', 'information')));
  }
  const [kind, id, file] = path.split('/');
  const job = jobs.get(id);
  if (!job || job.deleted) return send(res, 404, outcome('not-found', `No export ${id}`));
  if (kind === '$export-status' && req.method === 'DELETE') {
    // The files go; the poll times stay for GET /fixture/bulk-export.
    job.deleted = true;
    job.files = {};
    res.writeHead(202);
    return res.end();
  }
  if (kind === '$export-status') {
    job.pollTimes.push(Date.now());
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      res.writeHead(202, { 'Retry-After': String(job.retryAfterSeconds), 'X-Progress': `poll ${job.pollTimes.length}` });
      return res.end();
    }
    if (job.fail) return send(res, 500, outcome('exception', job.fail));
    const output = Object.entries(job.files).map(([type, lines]) => ({
      type, url: `${baseUrl}/$export-file/${id}/${type}.ndjson`, count: lines.length,
    }));
    return send(res, 200, {
      transactionTime: new Date().toISOString(), request: job.request, requiresAccessToken: Boolean(TOKEN), output, error: [],
    }, { 'Content-Type': 'application/json' });
  }
  const type = (file ?? '').replace(/\.ndjson$/, '');
  if (kind !== '$export-file' || !(type in job.files)) return send(res, 404, outcome('not-found', `No file ${file}`));
  res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
  return res.end(job.files[type].map((line) => line + '\n').join(''));
}

// GET: the exports so far with the times of their status polls (ms since the epoch), so a test can see the client
// honoured Retry-After. POST {polls, retryAfterSeconds, fail}: how the next exports behave (fail = a message).
function handleBulkExportFixture(req, res, text, send) {
  if (req.method === 'POST') {
    const body = text ? JSON.parse(text) : {};
    behaviour = { polls: body.polls ?? 1, retryAfterSeconds: body.retryAfterSeconds ?? 1, fail: body.fail ?? null };
    return send(res, 200, behaviour, { 'Content-Type': 'application/json' });
  }
  const exports = [...jobs.entries()].map(([id, job]) => ({
    id, pollTimes: job.pollTimes, retryAfterSeconds: job.retryAfterSeconds, deleted: Boolean(job.deleted),
  }));
  return send(res, 200, { exports }, { 'Content-Type': 'application/json' });
}

function outcome(code, text, severity = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] };
}

module.exports = { handleBulkExport, handleBulkExportFixture, isBulkExportPath };
