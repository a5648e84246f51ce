// SMART App Launch 2.x: EHR launch (iss + launch) or standalone launch (iss only), public client with PKCE S256.
import FHIR from 'fhirclient';
import { loadConfiguration, showError } from './dom.js';

async function launch() {
  const params = new URLSearchParams(window.location.search);
  const iss = params.get('iss');
  if (!iss) {
    showError('launch', 'No EHR named in the launch',
      'Open this app from the EHR (the patient chart or the decision support card). A standalone launch needs ?iss= with the FHIR server address.');
    return;
  }
  const config = await loadConfiguration();
  if (!isRegisteredIssuer(iss, config)) {
    showError('not-registered', 'This EHR is not registered with the app',
      `The FHIR server ${iss} is not among the EHRs this app is configured for. Ask the service's administrators to add it (SmartApp:Issuers).`);
    return;
  }
  // An EHR launch carries `launch`; a standalone launch asks the authorization server to pick a patient instead.
  // The context scopes (medications, for the MDT view) are asked too; the app works without them.
  const asked = [config.scope, config.contextScope].filter(Boolean).join(' ');
  const scope = params.has('launch') ? asked : asked.replace(/(^| )launch( |$)/, '$1launch/patient$2');
  await FHIR.oauth2.authorize({
    clientId: config.clientId,
    scope,
    redirectUri: 'app',
    iss,
    pkceMode: 'required', // refuse to continue with an authorization server that cannot do PKCE S256
    completeInTarget: true, // inside an EHR's frame, finish the sign-in in that frame, not in the EHR's window
  });
}

function isRegisteredIssuer(iss, config) {
  let url;
  try {
    url = new URL(iss);
  } catch {
    return false;
  }
  const normalized = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  // A configured issuer also covers the bases below it (e.g. a sandbox whose iss carries a per-launch path segment).
  if (config.issuers.some((allowed) => normalized === allowed || normalized.startsWith(`${allowed}/`))) return true;
  return config.anyLoopbackIssuer && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

launch().catch((error) => showError('launch', 'The launch could not start',
  `${error.message} Open the app again from the EHR; if it keeps failing, the EHR's SMART configuration may not support this app (PKCE S256 is required).`));
