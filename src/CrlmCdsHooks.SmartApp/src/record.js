// Reads the patient's record from the EHR's FHIR server: the service's own queries (from config.json), every search
// value percent-encoded, and an account of what each search returned, so an empty or partial read is never mistaken
// for a patient without disease.

const MAX_PAGES = 25; // as the hook reads the server by default (FhirData:MaxPages): a longer result is reported, not silently cut
const PATIENT_TOKEN = '{{context.patientId}}';

/**
 * A query template of the service (`Observation?patient=Patient/{{context.patientId}}&code=a,b&_count=100`) as a request URL for one
 * patient, with every search value percent-encoded. Proxies in front of FHIR servers (the SMART App Launcher's among
 * them) rewrite raw `//`, `:` and `|`; encoded, nothing in a value can be mistaken for URL syntax. The commas that
 * separate alternatives (FHIR's OR) stay commas.
 */
export function searchUrl(template, patientId) {
  const [type, query = ''] = template.split('?');
  const parameters = query.split('&').filter(Boolean).map((pair) => {
    const [name, ...value] = pair.split('=');
    const filled = decodeURIComponent(value.join('=')).replaceAll(PATIENT_TOKEN, patientId);
    return `${encodeURIComponent(decodeURIComponent(name))}=${filled.split(',').map(encodeURIComponent).join(',')}`;
  });
  return `${type}?${parameters.join('&')}`;
}

/** "condition"/"conditions", "medication request"/"medication requests": a resource type in words. */
export function nounOf(resourceType, n) {
  return `${resourceType.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase()}${n === 1 ? '' : 's'}`;
}

/** "1 procedure", "3 conditions": how a search's results are counted in words. */
export function countWords(resourceType, n) {
  return `${n} ${nounOf(resourceType, n)}`;
}

/**
 * Reads the patient and every query of `queries` ({key: template}), all pages up to MAX_PAGES. Returns the patient,
 * the Bundle for the service, one entry per search ({key, resourceType, count}), and warnings (a cut-off result).
 * A failed read throws: an assessment of part of the record is never shown as if it were the whole.
 */
export async function readRecord(client, queries) {
  const patientId = client.patient.id;
  if (!patientId) throw new Error('The EHR did not say which patient is open (no patient in the launch context).');
  const keys = Object.keys(queries);
  const [patient, ...results] = await Promise.all([
    client.request(`Patient/${encodeURIComponent(patientId)}`),
    ...keys.map((key) => client.request(searchUrl(queries[key], patientId), { pageLimit: MAX_PAGES })),
  ]);
  const warnings = [];
  const resources = [patient];
  const searches = results.map((result, i) => {
    const resourceType = queries[keys[i]].split('?')[0];
    const { found, cut } = pagesRead(result);
    resources.push(...found);
    if (cut) {
      warnings.push(`More results than ${MAX_PAGES} pages for ${resourceType}: only the first pages were read.`);
    }
    return { key: keys[i], resourceType, count: found.filter((r) => r.resourceType === resourceType).length };
  });
  return { patient, warnings, searches, resources, readAt: new Date(), bundle: bundleOf(resources, client.state.serverUrl) };
}

/** The resources of a search's pages (fhirclient answers one Bundle or a list), and whether a next page was left unread. */
function pagesRead(result) {
  const pages = Array.isArray(result) ? result : [result];
  return {
    found: pages.flatMap((page) => (page.entry ?? []).map((e) => e.resource).filter(Boolean)),
    cut: pages.at(-1)?.link?.some((l) => l.relation === 'next') === true,
  };
}

/**
 * Reads the MDT view's context queries ({key: template}). Unlike the clinical read, a failure here does not stop the
 * assessment: each search reports its own outcome ({key, resourceType, count, error}), so a section the EHR refused or
 * could not serve says so instead of looking empty. `refused` lists the scopes the token does not grant; a search
 * needing one is not sent.
 */
export async function readContext(client, queries, refused) {
  const patientId = client.patient.id;
  const keys = Object.keys(queries);
  const results = await Promise.all(keys.map(async (key) => {
    const resourceType = queries[key].split('?')[0];
    const missing = refused.filter((scope) => scope.includes(`/${resourceType}.`));
    if (missing.length) return { key, resourceType, count: 0, found: [], error: `not granted by the EHR (${missing.join(', ')})` };
    try {
      const { found, cut } = pagesRead(await client.request(searchUrl(queries[key], patientId), { pageLimit: MAX_PAGES }));
      return { key, resourceType, count: found.filter((r) => r.resourceType === resourceType).length, found,
        error: cut ? `more than ${MAX_PAGES} pages: only the first were read` : null };
    } catch (error) {
      return { key, resourceType, count: 0, found: [], error: `the EHR answered ${error.status ?? error.statusCode ?? 'nothing'} (${error.message})` };
    }
  }));
  const resources = results.flatMap((r) => r.found);
  const searches = results.map(({ found, ...search }) => search);
  const medications = await readReferencedMedications(client, resources, refused);
  if (medications.search) searches.push(medications.search);
  return { searches, resources: [...resources, ...medications.found] };
}

const MAX_MEDICATION_READS = 50; // a long history references a handful of distinct Medications; more is reported

/**
 * The Medications the medication records reference that the searches did not bring (a server without `_include`),
 * read one by one. A refused scope or a failed read is reported like a failed search.
 */
async function readReferencedMedications(client, resources, refused) {
  const have = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
  const wanted = [...new Set(resources
    .map((r) => r.medicationReference?.reference)
    .filter((ref) => typeof ref === 'string' && /^Medication\/[A-Za-z0-9\-.]{1,64}$/.test(ref) && !have.has(ref)))];
  if (!wanted.length) return { found: [] };
  const search = { key: 'medications', resourceType: 'Medication', count: 0, error: null };
  const missing = refused.filter((scope) => scope.includes('/Medication.'));
  if (missing.length) return { found: [], search: { ...search, error: `not granted by the EHR (${missing.join(', ')})` } };
  const reads = await Promise.allSettled(wanted.slice(0, MAX_MEDICATION_READS).map((ref) =>
    client.request(`Medication/${encodeURIComponent(ref.slice('Medication/'.length))}`)));
  const found = reads.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = reads.length - found.length + Math.max(wanted.length - MAX_MEDICATION_READS, 0);
  return {
    found,
    search: { ...search, count: found.length, error: failed ? `${failed} referenced ${failed === 1 ? 'medication' : 'medications'} could not be read` : null },
  };
}

/** A collection Bundle of resources read from the server at `base`, as the service reads one. */
export function bundleOf(resources, base) {
  const root = base.replace(/\/+$/, '');
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: `${root}/${resource.resourceType}/${resource.id}`, resource })),
  };
}

/**
 * Whether the read can carry a conclusion. The conditions decide whether there is a liver metastasis at all: when
 * their search returns nothing while another search returns data, or every search returns nothing, the read is
 * suspect (a proxy that broke the query, a scope the EHR filters silently), and the app says so instead of concluding.
 */
export function readGaps(searches) {
  const empty = searches.filter((s) => s.count === 0);
  const withData = searches.filter((s) => s.count > 0);
  const conditionsEmpty = empty.some((s) => s.resourceType === 'Condition');
  return {
    empty,
    withData,
    conclusive: withData.length > 0 && !conditionsEmpty,
  };
}

/**
 * The resource scopes the app asked for that the token does not grant (SMART v1 `.read`/`.*` and v2 `.rs` forms, any
 * context, `*` as the type). A token response without `scope` grants what was asked (RFC 6749 5.1).
 */
export function missingScopes(requested, granted) {
  if (typeof granted !== 'string') return [];
  const grants = granted.split(/\s+/).map(parseScope).filter(Boolean);
  return requested.split(/\s+/).filter((scope) => {
    const needed = parseScope(scope);
    return needed && !grants.some((g) => (g.type === '*' || g.type === needed.type) && g.canRead && g.canSearch);
  });
}

function parseScope(scope) {
  const match = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/.exec(scope);
  if (!match) return null;
  const [, , type, permissions] = match;
  const v1 = permissions === 'read' || permissions === '*';
  const v2 = /^c?r?u?d?s?$/.test(permissions);
  return { type, canRead: v1 || (v2 && permissions.includes('r')), canSearch: v1 || (v2 && permissions.includes('s')) };
}
