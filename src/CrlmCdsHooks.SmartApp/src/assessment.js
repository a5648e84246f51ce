// The assessment page (the SMART redirect URL): finishes the launch, reads the patient's resources from the EHR's
// FHIR server with the SMART token, sends them as a Bundle to POST /api/assessments and shows the result.
// The token is used only here, in the browser; the service receives the Bundle and nothing else.
import FHIR from 'fhirclient';
import { loadConfiguration, showError, showStatus } from './dom.js';
import { renderAssessment, renderPatientBanner } from './view.js';

const MAX_PAGES = 5; // as the hook reads the server: a longer result is reported, not silently cut

async function main() {
  let client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    showError('launch', 'The sign-in with the EHR could not be completed',
      `${error.message} Open the app again from the patient's chart in the EHR.`);
    return;
  }
  const config = await loadConfiguration();
  await readAndAssess(client, config);
}

async function readAndAssess(client, config) {
  let record;
  try {
    showStatus("Reading the patient's record from the EHR…");
    record = await readRecord(client, config);
  } catch (error) {
    showFhirError(error, client, () => readAndAssess(client, config));
    return;
  }
  renderPatientBanner(record.patient, client.state.tokenResponse?.need_patient_banner !== false);
  showStatus('Scoring…');
  const context = appContextOf(client.state.tokenResponse);
  const assess = (assumptions) => postAssessment(record.bundle, assumptions);
  try {
    renderAssessment(await assess({}), { assess, context, warnings: record.warnings, serverUrl: client.state.serverUrl });
  } catch (error) {
    showError('service', 'The assessment service did not answer', `${error.message} Try again in a moment.`,
      () => readAndAssess(client, config));
  }
}

/** Reads the patient and the code-filtered searches the hook uses, all pages up to MAX_PAGES, into one Bundle. */
async function readRecord(client, config) {
  const patientId = client.patient.id;
  if (!patientId) throw new Error('The EHR did not say which patient is open (no patient in the launch context).');
  const searches = Object.values(config.queries).map((template) =>
    template.replaceAll('{{context.patientId}}', encodeURIComponent(patientId)));
  const [patient, ...results] = await Promise.all([
    client.request(`Patient/${encodeURIComponent(patientId)}`),
    ...searches.map((url) => client.request(url, { pageLimit: MAX_PAGES })),
  ]);
  const warnings = [];
  const resources = [patient];
  results.forEach((result, i) => {
    const pages = Array.isArray(result) ? result : [result];
    for (const page of pages) resources.push(...(page.entry ?? []).map((e) => e.resource).filter(Boolean));
    if (pages.at(-1)?.link?.some((l) => l.relation === 'next')) {
      warnings.push(`More results than ${MAX_PAGES} pages for ${searches[i].split('?')[0]}: only the first pages were read.`);
    }
  });
  const base = client.state.serverUrl.replace(/\/+$/, '');
  return {
    patient,
    warnings,
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource })),
    },
  };
}

/** The assessment of the Bundle, with what-if assumptions ({factorId: 'present'|'absent'}); nothing is stored. */
async function postAssessment(bundle, assumptions) {
  const query = new URLSearchParams();
  for (const [factor, state] of Object.entries(assumptions)) query.append('assume', `${factor}:${state}`);
  const response = await fetch(`../api/assessments${query.size ? `?${query}` : ''}`, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/json' },
    body: JSON.stringify(bundle),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body?.issue?.map((i) => i.diagnostics).join(' ') || `HTTP ${response.status}`;
    throw new Error(`It answered ${response.status}: ${why}`);
  }
  return body;
}

function showFhirError(error, client, retry) {
  const status = error.status ?? error.statusCode;
  if (status === 401) {
    showError('session-expired', 'Your session with the EHR has ended',
      "The EHR no longer accepts this app's sign-in (it expired or was revoked). Close the app and open it again from the patient's chart.");
  } else if (status === 403) {
    showError('fhir-refused', 'The EHR refused to share this record',
      "The EHR did not allow the app to read the patient's conditions, observations or procedures. Ask your EHR administrator to grant the app's scopes.");
  } else if (status === undefined) {
    showError('fhir-unreachable', "The EHR's FHIR server could not be reached",
      `No answer from ${client.state.serverUrl}. Check the network connection, then try again.`, retry);
  } else {
    showError('fhir-unreachable', "The EHR's FHIR server answered with an error",
      `It answered ${status} (${error.message}). Try again; if it persists, tell your EHR administrator.`, retry);
  }
}

/** The card's appContext (a JSON string naming a view); anything unreadable is ignored. */
function appContextOf(tokenResponse) {
  try {
    const value = tokenResponse?.appContext;
    return typeof value === 'string' ? JSON.parse(value) : value ?? null;
  } catch {
    return null;
  }
}

main().catch((error) => showError('service', 'Something went wrong', `${error.message} Open the app again from the EHR.`));
