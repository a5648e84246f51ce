// The assessment page (the SMART redirect URL): finishes the launch, reads the patient's resources from the EHR's
// FHIR server with the SMART token, sends them as a Bundle to POST /api/assessments and shows the result.
// The token is used only here, in the browser; the service receives the Bundle and nothing else.
import FHIR from 'fhirclient';
import { loadConfiguration, showError, showStatus } from './dom.js';
import { bundleOf, missingScopes, readContext, readGaps, readRecord } from './record.js';
import { renderAssessment, renderNotConcluded, renderPatientBanner } from './view.js';

async function main() {
  const config = await loadConfiguration();
  const refusal = new URLSearchParams(window.location.search);
  if (['invalid_scope', 'access_denied'].includes(refusal.get('error'))) {
    showScopeRefusal(config, config.scope.split(' '), refusal.get('error_description'));
    return;
  }
  let client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    showError('launch', 'The sign-in with the EHR could not be completed',
      `${error.message} Open the app again from the patient's chart in the EHR.`);
    return;
  }
  const granted = client.state.tokenResponse?.scope;
  const missing = missingScopes(config.scope, granted);
  if (missing.length) {
    showScopeRefusal(config, missing);
    return;
  }
  await readAndAssess(client, config, missingScopes(config.contextScope ?? '', granted));
}

/** The EHR granted less than the app needs: name what is missing; reading on would assess part of the record. */
function showScopeRefusal(config, scopes, detail) {
  const resources = scopes.filter((s) => s.includes('/'));
  showError('scope-refused', 'The EHR did not grant the access the app needs',
    `Missing: ${resources.join(', ') || scopes.join(', ')}. ${detail ? `The EHR said: ${detail}. ` : ''}`
    + `Without them the app cannot read the whole record and would risk a wrong answer. Ask your EHR administrator to grant these scopes to the app (client id ${config.clientId}).`);
}

/** `contextRefused`: the MDT view's scopes the EHR did not grant; those sections say so, the assessment goes on. */
async function readAndAssess(client, config, contextRefused) {
  const again = () => readAndAssess(client, config, contextRefused);
  let record;
  try {
    showStatus("Reading the patient's record from the EHR…");
    record = await readRecord(client, config.queries);
  } catch (error) {
    showFhirError(error, client, again);
    return;
  }
  const serverUrl = client.state.serverUrl;
  const read = { ...record, ...readGaps(record.searches), serverUrl };
  renderPatientBanner(record.patient, client.state.tokenResponse?.need_patient_banner !== false, record.readAt);
  if (!read.conclusive) {
    renderNotConcluded(read, again);
    return;
  }
  showStatus('Scoring…');
  const context = appContextOf(client.state.tokenResponse);
  const assess = (assumptions) => postAssessment(record.bundle, assumptions);
  const mdt = readMdtContext(client, config, record, contextRefused);
  try {
    renderAssessment(await assess({}), { assess, context, read, mdt: await mdt });
  } catch (error) {
    showError('service', 'The assessment service did not answer', `${error.message} Try again in a moment.`, again);
  }
}

/** The assessment of the Bundle, with what-if assumptions ({factorId: 'present'|'absent'}); nothing is stored. */
function postAssessment(bundle, assumptions) {
  const query = new URLSearchParams();
  for (const [factor, state] of Object.entries(assumptions)) query.append('assume', `${factor}:${state}`);
  return postBundle(`../api/assessments${query.size ? `?${query}` : ''}`, bundle);
}

/**
 * The MDT view's context: the context searches, then the service's reading of them with the clinical record. Never
 * fails: what could not be read is in `searches[].error` or `error`, for the view to say.
 */
async function readMdtContext(client, config, record, refused) {
  try {
    const read = await readContext(client, config.contextQueries ?? {}, refused);
    const bundle = bundleOf([...record.resources, ...read.resources], client.state.serverUrl);
    return { searches: read.searches, context: await postBundle('../api/assessments/mdt-context', bundle) };
  } catch (error) {
    return { searches: [], error: error.message };
  }
}

/** POSTs a Bundle to the service and returns its JSON answer; a refusal throws with the service's words. */
async function postBundle(url, bundle) {
  const response = await fetch(url, {
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
