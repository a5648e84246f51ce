// Builds DOM nodes from data. Text always goes in as textContent, never as HTML: the record is untrusted input.
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children.flat(Infinity).filter(Boolean));
  return node;
}

/** Shows a status line while work is under way (after an error too, when the user retries). */
export function showStatus(text) {
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  if (!document.getElementById('status')) {
    main.replaceChildren(h('h1', {}, 'Recurrent CRLM assessment'), h('p', { id: 'status', role: 'status' }));
  }
  document.getElementById('status').textContent = text;
}

/** Replaces the page body with an error that says what happened and what to do; marks the page finished. */
export function showError(kind, title, advice, retry) {
  const main = document.getElementById('main');
  main.replaceChildren(
    h('h1', {}, 'Recurrent CRLM assessment'),
    h('section', { id: 'error', class: 'error', role: 'alert', 'data-error-kind': kind },
      h('h2', {}, title),
      h('p', {}, advice),
      retry ? h('button', { id: 'retry', type: 'button' }, 'Try again') : null));
  if (retry) document.getElementById('retry').addEventListener('click', retry);
  main.setAttribute('aria-busy', 'false');
}

/** The app's public configuration from the service (client id, scopes, allowed EHRs, FHIR queries). */
export async function loadConfiguration() {
  const response = await fetch('config.json', { credentials: 'omit' });
  if (!response.ok) throw new Error(`The service's configuration could not be read (HTTP ${response.status}).`);
  return response.json();
}
