// The MDT context: the dated records the rules used, on one timeline, with the disease-free interval drawn.
// Context only: everything here comes from the assessment the service returned and nothing here changes the score.
import { h, svg } from './dom.js';

const DAY_MS = 86_400_000;

/**
 * Every dated record the assessment rests on, oldest first, once each with every use of it: the hepatectomy, the
 * recurrence, the factors' sources.
 */
function datedRecords(a) {
  const uses = [
    a.firstHepatectomy && { ...a.firstHepatectomy, role: 'First hepatectomy' },
    a.recurrence && { ...a.recurrence, role: 'Liver recurrence' },
    ...a.factors.flatMap((f) => f.evidence.map((e) => ({ ...e, role: f.label }))),
  ].filter((r) => r?.date);
  const byRecord = new Map();
  for (const use of uses) {
    const known = byRecord.get(use.reference);
    if (known) known.roles.push(use.role);
    else byRecord.set(use.reference, { ...use, roles: [use.role] });
  }
  return [...byRecord.values()].sort((x, y) => x.date.localeCompare(y.date));
}

const dayOf = (date) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The section, or null when the record has no dated hepatectomy and recurrence to anchor it. */
export function mdtContext(a) {
  if (!a.firstHepatectomy?.date || !a.recurrence?.date) return null;
  const records = datedRecords(a);
  return h('section', { id: 'mdt', 'aria-labelledby': 'mdt-title' },
    h('h2', { id: 'mdt-title' }, 'For the MDT: timeline'),
    h('p', { class: 'note' }, 'Context, read from the record: nothing in this section changes the score.'),
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
  // Labels near an end are anchored inwards, so none is cut off at the edge.
  const anchor = (at) => (at < width / 3 ? 'start' : at > (2 * width) / 3 ? 'end' : 'middle');
  const interval = `Disease-free interval ${months} months (${a.firstHepatectomy.date} to ${a.recurrence.date})`;
  return svg('svg', {
    id: 'mdt-timeline', role: 'img', viewBox: `0 0 ${width} 84`,
    'aria-label': `Timeline from ${records[0].date} to ${records.at(-1).date}. ${interval}.`,
  },
  svg('line', { x1: 10, x2: width - 10, y1: 40, y2: 40, class: 'tick' }),
  svg('rect', { x: hepatectomy, y: 34, width: Math.max(recurrence - hepatectomy, 1), height: 12, class: 'interval', 'data-interval': 'disease-free' }),
  svg('text', { x: (hepatectomy + recurrence) / 2, y: 28, 'text-anchor': anchor((hepatectomy + recurrence) / 2), class: 'chart-label' }, `${months} months disease-free`),
  records.map((r) => svg('circle', { cx: x(r.date), cy: 40, r: 3.5, class: 'event' })),
  svg('text', { x: hepatectomy, y: 62, 'text-anchor': anchor(hepatectomy), class: 'chart-label' }, 'hepatectomy'),
  svg('text', { x: recurrence, y: 76, 'text-anchor': anchor(recurrence), class: 'chart-label' }, 'recurrence'),
  svg('text', { x: 10, y: 12, class: 'tick-label' }, records[0].date.slice(0, 7)),
  svg('text', { x: width - 10, y: 12, 'text-anchor': 'end', class: 'tick-label' }, records.at(-1).date.slice(0, 7)));
}
