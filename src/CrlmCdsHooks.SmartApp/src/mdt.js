// The MDT view: what a tumour board asks for beside the score, read from the record where it is coded. A timeline of
// the dated records (the disease-free interval drawn), the recurrence's lesions, tumour markers over time, molecular
// results and treatment history. Context only: everything comes from the service (the assessment and its MDT context)
// and nothing here changes the score. Each item names its source record and date; a section the EHR did not serve says
// so, never looks like "none recorded".
import { h, svg } from './dom.js';

const DAY_MS = 86_400_000;
const dayOf = (date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
// Labels near an end of a chart are anchored inwards, so none is cut off at the edge.
const anchor = (at, width) => (at < width / 3 ? 'start' : at > (2 * width) / 3 ? 'end' : 'middle');

/** "kind, date: description": a record as a clinician finds it in the chart; never a FHIR id. */
const source = (e) => `${e.kind}, ${e.date ?? 'date not recorded to the day'}: ${e.description}`;

/**
 * The MDT sections. `mdt` is {context, searches, error} from the app's context read (see assessment.js); the timeline
 * needs only the assessment.
 */
export function mdtView(a, mdt) {
  const context = mdt?.context;
  return h('section', { id: 'mdt', 'aria-labelledby': 'mdt-title' },
    h('h2', { id: 'mdt-title' }, 'For the MDT'),
    h('p', { class: 'note' }, 'Context, read from the record: nothing in this section changes the score.'),
    mdt?.error ? h('p', { id: 'mdt-unavailable', class: 'error', role: 'note' },
      `Only the timeline can be shown: the record's context could not be read (${mdt.error}).`) : null,
    timelineSection(a, context),
    context ? [
      lesionsSection(context),
      markersSection(context, unread(mdt.searches, 'contextObservations')),
      molecularSection(context, unread(mdt.searches, 'contextObservations')),
      treatmentSection(a, context, unread(mdt.searches, 'medicationRequests', 'medicationStatements', 'medicationAdministrations')),
      context.warnings.length ? h('ul', { id: 'mdt-warnings', class: 'note' }, context.warnings.map((w) => h('li', {}, w))) : null,
    ] : null);
}

/** What the context searches of `keys` could not read, in words; null when they all answered. */
function unread(searches, ...keys) {
  const failed = searches.filter((s) => keys.includes(s.key) && s.error);
  return failed.length ? failed.map((s) => `${s.resourceType}: ${s.error}`).join('; ') : null;
}

/** A section's "could not be read" line: said before anything the section shows, so a gap is never read as "none". */
function unreadNote(id, what) {
  return what ? h('p', { class: 'error', 'data-unread': id, role: 'note' }, `Not read from the EHR: ${what}. What follows may be incomplete.`) : null;
}

// ---- Timeline

/**
 * Every dated record the timeline shows, oldest first, once each with every use of it: the hepatectomy, the
 * recurrence, the factors' sources, systemic therapy, and the rest of the history (primary, resections, ablations).
 */
function datedRecords(a, context) {
  const uses = [
    a.firstHepatectomy && { ...a.firstHepatectomy, role: 'First hepatectomy' },
    a.recurrence && { ...a.recurrence, role: 'Liver recurrence' },
    ...a.factors.flatMap((f) => f.evidence.map((e) => ({ ...e, role: f.label }))),
    ...(context?.systemicTherapy ?? []).map((t) => ({ ...t.evidence, role: `Systemic therapy (${t.agentClasses.join(', ')})`, therapy: true })),
    // The rest of the history, for records no rule above used: a record already listed keeps the rule's words.
    ...(context?.timelineEvents ?? []).map((e) => ({ ...e.evidence, role: e.role, historyOnly: true })),
  ].filter((r) => r?.date);
  const byRecord = new Map();
  for (const use of uses) {
    const known = byRecord.get(use.reference);
    if (!known) byRecord.set(use.reference, { ...use, roles: [use.role] });
    else if (!use.historyOnly) known.roles.push(use.role);
  }
  return [...byRecord.values()].sort((x, y) => x.date.localeCompare(y.date));
}

function timelineSection(a, context) {
  if (!a.firstHepatectomy?.date || !a.recurrence?.date) {
    return h('section', { id: 'mdt-timeline-section' }, h('h3', {}, 'Timeline'),
      h('p', { class: 'note' }, 'No timeline: the record has no dated first hepatectomy and recurrence to anchor it.'));
  }
  const records = datedRecords(a, context);
  return h('section', { id: 'mdt-timeline-section' }, h('h3', {}, 'Timeline'),
    timeline(a, records),
    h('ul', { id: 'mdt-records' }, records.map((r) =>
      h('li', {}, h('strong', {}, `${r.date} ${r.roles.join('; ')}`), `: ${r.kind}, ${r.description}`))));
}

function timeline(a, records) {
  const width = 320;
  const first = dayOf(records[0].date);
  const last = dayOf(records.at(-1).date);
  const x = (date) => 10 + ((dayOf(date) - first) / Math.max(last - first, 1)) * (width - 20);
  const hepatectomy = x(a.firstHepatectomy.date);
  const recurrence = x(a.recurrence.date);
  const months = Math.round(((dayOf(a.recurrence.date) - dayOf(a.firstHepatectomy.date)) / 30.44) * 10) / 10;
  const interval = `Disease-free interval ${months} months (${a.firstHepatectomy.date} to ${a.recurrence.date})`;
  return svg('svg', {
    id: 'mdt-timeline', role: 'img', viewBox: `0 0 ${width} 84`,
    'aria-label': `Timeline from ${records[0].date} to ${records.at(-1).date}. ${interval}.`,
  },
  svg('line', { x1: 10, x2: width - 10, y1: 40, y2: 40, class: 'tick' }),
  svg('rect', { x: hepatectomy, y: 34, width: Math.max(recurrence - hepatectomy, 1), height: 12, class: 'interval', 'data-interval': 'disease-free' }),
  svg('text', { x: (hepatectomy + recurrence) / 2, y: 28, 'text-anchor': anchor((hepatectomy + recurrence) / 2, width), class: 'chart-label' }, `${months} months disease-free`),
  // Systemic therapy as squares, the other records as dots: treatments stand out from diagnoses and results.
  records.map((r) => (r.therapy
    ? svg('rect', { x: x(r.date) - 3, y: 37, width: 6, height: 6, class: 'therapy' })
    : svg('circle', { cx: x(r.date), cy: 40, r: 3.5, class: 'event' }))),
  svg('text', { x: hepatectomy, y: 62, 'text-anchor': anchor(hepatectomy, width), class: 'chart-label' }, 'hepatectomy'),
  svg('text', { x: recurrence, y: 76, 'text-anchor': anchor(recurrence, width), class: 'chart-label' }, 'recurrence'),
  svg('text', { x: 10, y: 12, class: 'tick-label' }, records[0].date.slice(0, 7)),
  svg('text', { x: width - 10, y: 12, 'text-anchor': 'end', class: 'tick-label' }, records.at(-1).date.slice(0, 7)));
}

// ---- Lesions

function lesionsSection(context) {
  const sizes = context.lesionSizes;
  const counts = context.lesionCounts;
  const largest = sizes.reduce((max, s) => (max && max.millimetres >= s.millimetres ? max : s), null);
  return h('section', { id: 'mdt-lesions', 'aria-labelledby': 'mdt-lesions-title' },
    h('h3', { id: 'mdt-lesions-title' }, 'Liver lesions'),
    !sizes.length && !counts.length ? h('p', { class: 'none' }, 'No liver lesion size or count is coded in the record read.') : null,
    largest ? h('p', { id: 'mdt-largest' }, `Largest recorded: ${largest.millimetres} mm (${largest.evidence.date ?? 'undated'}).`) : null,
    sizes.length ? h('table', { id: 'mdt-sizes' },
      h('thead', {}, h('tr', {}, ['Date', 'Size', 'Site', 'Source'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, sizes.map((s) => h('tr', {},
        h('td', {}, s.evidence.date ?? 'undated'),
        h('td', {}, `${s.millimetres} mm${s.preliminary ? ' (preliminary)' : ''}`),
        h('td', {}, s.site ?? 'not coded'),
        h('td', {}, s.evidence.kind))))) : null,
    counts.length ? h('ul', { id: 'mdt-counts' }, counts.map((c) =>
      h('li', {}, `${c.count} ${c.count === 1 ? 'lesion' : 'lesions'}: ${source(c.evidence)}`))) : null);
}

// ---- Tumour markers

function markersSection(context, unreadWhat) {
  return h('section', { id: 'mdt-markers', 'aria-labelledby': 'mdt-markers-title' },
    h('h3', { id: 'mdt-markers-title' }, 'Tumour markers'),
    unreadNote('markers', unreadWhat),
    context.markers.length ? null : h('p', { class: 'none' }, 'No CEA or CA 19-9 result is coded in the record read.'),
    context.markers.map((m) => h('div', { class: 'marker', 'data-marker': m.marker },
      m.values.length ? markerChart(m) : null,
      h('ul', {}, m.values.map((v) => h('li', {}, source(v.evidence))), m.notCharted.map((e) => h('li', {}, source(e)))))));
}

/** One marker over time; one point is a point, not a line pretending to a trend. */
function markerChart(m) {
  const width = 320;
  const height = 110;
  const values = m.values.filter((v) => v.evidence.date);
  if (!values.length) return null;
  const first = dayOf(values[0].evidence.date);
  const last = dayOf(values.at(-1).evidence.date);
  const top = Math.max(...values.map((v) => v.value)) || 1;
  const x = (v) => (values.length === 1 ? width / 2 : 20 + ((dayOf(v.evidence.date) - first) / Math.max(last - first, 1)) * (width - 40));
  const y = (v) => height - 24 - (v.value / top) * (height - 58); // the top point's label stays clear of the title
  const label = `${m.marker} in ${m.unit}: ${values.map((v) => `${v.value} on ${v.evidence.date}`).join(', ')}.`;
  return svg('svg', { class: 'marker-chart', role: 'img', 'aria-label': label, viewBox: `0 0 ${width} ${height}` },
    svg('line', { x1: 10, x2: width - 10, y1: height - 24, y2: height - 24, class: 'tick' }),
    svg('text', { x: 10, y: 12, class: 'tick-label' }, `${m.marker} (${m.unit})`),
    values.length > 1 ? svg('polyline', { points: values.map((v) => `${x(v)},${y(v)}`).join(' '), class: 'trend' }) : null,
    values.map((v) => [
      svg('circle', { cx: x(v), cy: y(v), r: 3.5, class: 'event' }),
      svg('text', { x: x(v), y: y(v) - 6, 'text-anchor': anchor(x(v), width), class: 'chart-label' }, String(v.value)),
    ]),
    svg('text', { x: 10, y: height - 8, class: 'tick-label' }, values[0].evidence.date.slice(0, 7)),
    values.length > 1 ? svg('text', { x: width - 10, y: height - 8, 'text-anchor': 'end', class: 'tick-label' }, values.at(-1).evidence.date.slice(0, 7)) : null);
}

// ---- Molecular

function molecularSection(context, unreadWhat) {
  return h('section', { id: 'mdt-molecular', 'aria-labelledby': 'mdt-molecular-title' },
    h('h3', { id: 'mdt-molecular-title' }, 'Molecular results'),
    unreadNote('molecular', unreadWhat),
    h('p', { class: 'note' }, 'Shown, not scored: only KRAS and NRAS enter the model (as its RAS factor above).'),
    context.molecular.length
      ? h('ul', {}, context.molecular.map((m) => h('li', { 'data-test': m.test },
        h('strong', {}, `${m.test}: ${m.result}`), m.variant ? ` (${m.variant})` : '', ` — ${source(m.evidence)}`)))
      : h('p', { class: 'none' }, 'No KRAS, NRAS, BRAF or microsatellite instability result is coded in the record read.'));
}

// ---- Treatment history

function treatmentSection(a, context, unreadWhat) {
  const therapy = context.systemicTherapy;
  return h('section', { id: 'mdt-treatment', 'aria-labelledby': 'mdt-treatment-title' },
    h('h3', { id: 'mdt-treatment-title' }, 'Treatment history'),
    unreadNote('treatment', unreadWhat),
    h('p', { id: 'mdt-first-hepatectomy' }, a.firstHepatectomy
      ? `First hepatectomy: ${source(a.firstHepatectomy)}.` : 'No first hepatectomy is recorded.'),
    context.resectionMargins.length
      ? h('ul', { id: 'mdt-margins' }, context.resectionMargins.map((e) => h('li', {}, source(e))))
      : h('p', { class: 'note' }, 'Resection margin: not coded in the record read.'),
    h('h4', {}, 'Systemic therapy'),
    therapy.length
      ? h('ul', { id: 'mdt-therapy' }, therapy.map((t) => h('li', { 'data-agents': t.agentClasses.join(',') },
        h('strong', {}, t.agentClasses.join(', ')), `: ${source(t.evidence)} (${t.status})`)))
      : h('p', { class: 'none' }, 'No oxaliplatin, irinotecan, fluoropyrimidine, anti-EGFR or anti-VEGF therapy is recorded in the medication records read.'),
    context.otherMedicationRecords
      ? h('p', { class: 'note' }, `${context.otherMedicationRecords} other medication ${context.otherMedicationRecords === 1 ? 'record names' : 'records name'} none of these agents; see the EHR's medication list.`)
      : null);
}
