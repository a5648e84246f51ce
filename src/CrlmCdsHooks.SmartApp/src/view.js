// Renders an assessment from POST /api/assessments. All numbers and words come from the service's engine;
// this file only lays them out (no scoring here, so the page can never disagree with the card).
import { h, svg } from './dom.js';
import { mdtView } from './mdt.js';
import { countWords, nounOf } from './record.js';

const GROUP_WORDS = {
  low: 'Low risk',
  high: 'High risk',
  indeterminate: 'Risk group undetermined',
  'not-applicable': 'Model not applicable',
  'no-crlm': 'No liver metastasis on record',
};

// The points are reconstructed from published hazard ratios: one decimal is all the precision they carry.
const points = (value) => String(Math.round(Number(value) * 10) / 10);

export function renderPatientBanner(patient, show, readAt) {
  const banner = document.getElementById('patient-banner');
  if (!show || !patient) return;
  const name = patient.name?.[0];
  const words = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  const identifier = patient.identifier?.find((i) => i.value);
  const idLabel = identifier?.type?.text ?? identifier?.type?.coding?.[0]?.display ?? 'Identifier';
  banner.replaceChildren(
    h('span', { class: 'patient-name' }, words || 'Unnamed patient'),
    h('span', {}, [patient.gender, patient.birthDate && `born ${patient.birthDate} (${ageOn(patient.birthDate, readAt)})`]
      .filter(Boolean).join(', ')),
    identifier ? h('span', { id: 'patient-identifier' }, `${idLabel} ${identifier.value}`) : null,
    h('span', { id: 'assessed-at' }, `Assessed ${timeWords(readAt)}`));
  banner.hidden = false;
}

function ageOn(birthDate, date) {
  const [year, month = 1, day = 1] = birthDate.split('-').map(Number);
  const hadBirthday = date.getMonth() + 1 > month || (date.getMonth() + 1 === month && date.getDate() >= day);
  return `age ${date.getFullYear() - year - (hadBirthday ? 0 : 1)}`;
}

/** A local date and time to the minute, e.g. 2026-11-23 21:50: how the clinician's clock shows it. */
function timeWords(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "Read 3 conditions, 6 observations, 1 procedure from <server>, <time>": what the result rests on. */
function readSummary(read) {
  const counts = read.searches.map((s) => countWords(s.resourceType, s.count)).join(', ');
  return h('p', { id: 'read-summary', class: 'note' }, `Read ${counts} from ${read.serverUrl}, ${timeWords(read.readAt)}.`);
}

/** The read looks incomplete (see readGaps): say what came back and what did not, and conclude nothing. */
export function renderNotConcluded(read, retry) {
  const main = document.getElementById('main');
  const names = (list) => list.map((s) => countWords(s.resourceType, s.count)).join(', ');
  const what = read.withData.length
    ? `The EHR returned ${names(read.withData)}, but no ${read.empty.map((s) => nounOf(s.resourceType, 0)).join(' and no ')}.`
    : 'The EHR returned nothing for this patient: no conditions, observations or procedures.';
  const retryButton = h('button', { id: 'retry', type: 'button' }, 'Read the record again');
  retryButton.addEventListener('click', retry);
  main.replaceChildren(
    h('h1', {}, 'Recurrent CRLM assessment'),
    h('section', { id: 'read-incomplete', class: 'error', role: 'alert', 'aria-labelledby': 'risk-group' },
      h('h2', { id: 'risk-group', 'data-risk-group': 'not-concluded', tabindex: '-1' }, 'No conclusion: the record read looks incomplete'),
      h('p', {}, what),
      h('p', {}, 'Whether the patient has a liver metastasis is read from the conditions, so the app draws no conclusion from this read. '
        + 'An EHR, or a proxy in front of it, that drops part of a search looks exactly like this. Check the record in the EHR; '
        + 'if it holds conditions, tell your EHR administrator.'),
      retryButton),
    readSummary(read));
  main.setAttribute('aria-busy', 'false');
}

/**
 * Shows the whole assessment. `options.assess(assumptions)` re-scores with what-if values; the page is then redrawn
 * and keyboard focus goes back to the control the user changed.
 */
export function renderAssessment(assessment, options, assumptions = {}) {
  const main = document.getElementById('main');
  const applicable = assessment.factors.length > 0;
  main.replaceChildren(...[
    h('h1', {}, 'Recurrent CRLM assessment'),
    options.context?.view === 'assessment' ? h('p', { id: 'app-context', class: 'note' }, 'Opened from the decision support card') : null,
    h('section', { id: 'result', 'aria-labelledby': 'risk-group' },
      Object.keys(assumptions).length ? whatIfBanner(options) : h('div', { id: 'what-if', hidden: true }),
      headline(assessment),
      review(assessment),
      h('p', { id: 'recommendation' }, assessment.recommendation.summary),
      // The first screen: the group, the recommendation, the chart and the four factors' values; details follow.
      applicable ? [h('div', { class: 'first-screen' }, chart(assessment), factorSummary(assessment)), pointsNote()] : null,
      notApplicable(assessment),
      readSummary(options.read),
      recommendationDetails(assessment),
      applicable ? factors(assessment, assumptions, options) : null,
      mdtView(assessment, options.mdt),
      missing(assessment),
      supportingScores(assessment.supportingScores),
      dataWarnings([...options.read.warnings, ...assessment.dataWarnings]),
      evidence(assessment)),
  ].filter(Boolean));
  main.setAttribute('aria-busy', 'false');
}

function whatIfBanner(options) {
  const reset = h('button', { type: 'button', id: 'reset-what-if' }, 'Back to the record');
  reset.addEventListener('click', () => rescore(options, {}, null));
  return h('div', { id: 'what-if', class: 'what-if', role: 'note' },
    h('strong', {}, 'What-if view: hypothetical. '),
    'Some factors below are set by you, not read from the record. Nothing is written back to the EHR. ', reset);
}

function headline(a) {
  const words = GROUP_WORDS[a.riskGroup] ?? a.riskGroup;
  return h('div', { class: `headline group-${a.riskGroup}` },
    h('h2', { id: 'risk-group', 'data-risk-group': a.riskGroup, tabindex: '-1' }, words),
    h('p', { class: 'model' }, `${a.model.title}, model ${a.model.version}`));
}

function recommendationDetails(a) {
  if (!a.recommendation.details.length) return null;
  return h('section', { id: 'recommendation-details', 'aria-labelledby': 'recommendation-details-title' },
    h('h2', { id: 'recommendation-details-title' }, 'About the recommendation'),
    h('ul', {}, a.recommendation.details.map((d) => h('li', {}, d))));
}

/** The four factors' values and points at a glance; each factor's sources and what-if are further down. */
function factorSummary(a) {
  return h('table', { id: 'factor-summary' },
    h('caption', {}, 'Factors'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Factor'), h('th', { scope: 'col' }, 'Record'), h('th', { scope: 'col' }, 'Points'))),
    h('tbody', {}, a.factors.map((f) => h('tr', { 'data-factor': f.id, class: f.assumed ? 'assumed' : '' },
      h('th', { scope: 'row' }, f.label),
      h('td', { class: 'factor-value' }, f.assumed ? `${f.value} (what-if)` : f.value),
      h('td', { class: 'factor-points' }, factorPoints(f))))));
}

function factorPoints(f) {
  return f.points === null ? `unknown (${points(f.pointsIfPresent)} if present)` : `${points(f.points)} points`;
}

/** SPEC 7.7: records the service could not classify or read, first, so the result is not trusted before they are checked. */
function review(a) {
  if (!a.review?.length) return null;
  return h('section', { id: 'review', class: 'review', role: 'note', 'aria-labelledby': 'review-title' },
    h('h2', { id: 'review-title' }, 'Check the data first'),
    h('ul', {}, a.review.map((r) => h('li', {}, h('strong', {}, r.description), `: ${r.reason}.`))));
}

function notApplicable(a) {
  if (!a.notApplicableReasons.length) return null;
  return h('section', { id: 'not-applicable', 'aria-labelledby': 'not-applicable-title' },
    h('h2', { id: 'not-applicable-title' }, 'Why the model does not apply'),
    h('ul', {}, a.notApplicableReasons.map((r) => h('li', {}, r.detail))));
}

/** Points against the threshold, with and without local treatment; a range when a factor is unknown. */
function chart(a) {
  const scale = 30; // the largest possible total is 28.71
  const width = 320; // drawn at most 30rem wide (app.css), so 10-unit text stays 11 px or more in a 400 px panel
  const x = (value) => 10 + (Number(value) / scale) * (width - 20);
  const range = a.scoreRange;
  const exact = a.score !== null;
  const withLocal = exact ? points(a.score) : `${points(range.min)}–${points(range.max)}`;
  const without = exact ? points(a.scoreWithoutLocalTreatment)
    : `${points(range.min + a.noLocalTreatmentPoints)}–${points(range.max + a.noLocalTreatmentPoints)}`;
  const bar = (y, label, min, max) => [
    svg('text', { x: x(0), y: y - 3, class: 'chart-label' }, label),
    svg('rect', { x: x(0), y, width: x(min) - x(0), height: 16, class: 'bar' }),
    max > min ? svg('rect', { x: x(min), y, width: x(max) - x(min), height: 16, class: 'bar-unknown' }) : null,
    // An empty bar would look like a drawing fault: mark zero and say it.
    max === 0 ? [svg('rect', { x: x(0), y, width: 2, height: 16, class: 'bar zero-mark' }),
      svg('text', { x: x(0) + 6, y: y + 12, class: 'chart-label' }, '0 points: no factor present')] : null,
  ];
  const ticks = [0, 5, 10, 15, 20, 25, 30].map((t) => [
    svg('line', { x1: x(t), x2: x(t), y1: 78, y2: 82, class: 'tick' }),
    svg('text', { x: x(t), y: 93, 'text-anchor': 'middle', class: 'tick-label' }, String(t)),
  ]);
  const label = `Total ${withLocal} points assuming local treatment, ${without} without; high-risk threshold ${points(a.threshold)}.`;
  return h('figure', { class: 'chart' },
    svg('svg', { id: 'points-chart', role: 'img', 'aria-label': label, viewBox: `0 0 ${width} 112` },
      bar(18, `With local treatment: ${withLocal}`, range.min, range.max),
      bar(56, `Without local treatment: ${without}`, range.min + a.noLocalTreatmentPoints, range.max + a.noLocalTreatmentPoints),
      svg('line', { x1: x(0), x2: x(scale), y1: 78, y2: 78, class: 'tick' }),
      svg('line', { x1: x(a.threshold), x2: x(a.threshold), y1: 14, y2: 82, class: 'threshold' }),
      svg('text', { x: x(a.threshold), y: 106, 'text-anchor': 'middle', class: 'threshold-label' }, `high-risk threshold ${points(a.threshold)}`),
      ticks),
    h('figcaption', {},
      h('dl', { class: 'totals' },
        h('dt', {}, 'Assuming local treatment (decides the group)'), h('dd', { id: 'score-with-local' }, withLocal),
        h('dt', {}, 'Without local treatment (context)'), h('dd', { id: 'score-without-local' }, without)),
      exact ? null : h('p', { class: 'note' }, 'The lighter part of a bar is what the unknown factors could add.')));
}

/** How far the points can be trusted; said under the chart and the factors, before anything else. */
function pointsNote() {
  return h('p', { id: 'points-note', class: 'note' },
    'Points are reconstructed from published hazard ratios, and the threshold of 13 on this scale is an interpretation, not a validated cut-off.');
}

function factors(a, assumptions, options) {
  return h('section', { id: 'factors', 'aria-labelledby': 'factors-title' },
    h('h2', { id: 'factors-title' }, 'Factors'),
    h('p', { class: 'note' }, 'Each value is what the record says, with the resource and date it came from. Use "What if" to try an unknown or disputed factor.'),
    h('ul', { class: 'factor-list' }, a.factors.map((f) => h('li', { 'data-factor': f.id, class: f.assumed ? 'assumed' : '' },
      h('h3', {}, f.label),
      h('p', { class: 'factor-value' }, f.value),
      h('p', { class: 'factor-points' }, factorPoints(f)),
      f.evidence.length ? h('ul', { class: 'factor-source' }, f.evidence.map(evidenceItem)) : h('p', { class: 'factor-source' }, 'No source record.'),
      f.notes.length ? h('ul', { class: 'notes' }, f.notes.map((n) => h('li', {}, n))) : null,
      whatIf(f, a, assumptions, options)))));
}

function evidenceItem(e) {
  // The kind of record and its date, as a clinician finds it in the chart; never a FHIR id (the API keeps `reference`).
  return h('li', {}, `${e.kind}, ${e.date ?? 'date not recorded to the day'}: ${e.description}`);
}

function whatIf(factor, a, assumptions, options) {
  const id = `assume-${factor.id}`;
  const select = h('select', { id },
    h('option', { value: 'record' }, 'As in the record'),
    h('option', { value: 'present' }, 'Assume present'),
    h('option', { value: 'absent' }, 'Assume absent'));
  select.value = assumptions[factor.id] ?? 'record';
  select.addEventListener('change', () => {
    const next = { ...assumptions };
    if (select.value === 'record') delete next[factor.id];
    else next[factor.id] = select.value;
    rescore(options, next, id);
  });
  // The group the assumptions give, beside the control that set one: the answer is where the eye already is.
  const outcome = assumptions[factor.id]
    ? h('p', { class: 'what-if-result', id: `${id}-result`, role: 'status' }, 'Risk group with this assumption: ',
      h('strong', {}, GROUP_WORDS[a.riskGroup] ?? a.riskGroup))
    : null;
  return h('div', { class: 'what-if-control' }, h('label', { for: id }, `What if: ${factor.label}`), select, outcome);
}

async function rescore(options, assumptions, focusId) {
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  try {
    renderAssessment(await options.assess(assumptions), options, assumptions);
    document.getElementById(focusId ?? 'risk-group')?.focus();
  } catch (error) {
    main.setAttribute('aria-busy', 'false');
    main.prepend(h('p', { class: 'error', role: 'alert' }, `The what-if could not be scored: ${error.message}`));
  }
}

function missing(a) {
  if (!a.missing.length) return null;
  return h('section', { id: 'missing', 'aria-labelledby': 'missing-title' },
    h('h2', { id: 'missing-title' }, 'Missing data'),
    h('ul', {}, a.missing.map((m) => h('li', { 'data-missing': m.id },
      h('strong', {}, m.needed), m.changesRiskGroup ? ' (could change the risk group): ' : ' (does not change the risk group): ', m.detail))));
}

function count(c) {
  return c.min === c.max ? String(c.min) : `${c.min} to ${c.max}`;
}

const COUNTS_WORDS = { true: 'Counts: ', false: 'Does not count: ', null: 'Unknown (would count if present): ' };

function supportingScores(s) {
  if (!s) return null;
  const items = (list) => h('ul', {}, list.map((i) => h('li', { 'data-counts': String(i.finding.present) },
    h('strong', {}, COUNTS_WORDS[String(i.finding.present)]), `${i.label}: ${i.finding.value}`)));
  return h('section', { id: 'supporting-scores', 'aria-labelledby': 'supporting-title' },
    h('h2', { id: 'supporting-title' }, 'Supporting scores'),
    h('h3', {}, `Fong clinical risk score: ${count(s.fong.score)} (${s.fong.group})`),
    h('p', {}, s.fong.label), items(s.fong.score.items), h('p', { class: 'note' }, s.fong.reportedSurvival),
    h('h3', {}, `Kobayashi 2024 poor prognostic factors: ${count(s.kobayashi.factors)} (${s.kobayashi.reading})`),
    h('p', {}, s.kobayashi.label), items(s.kobayashi.factors.items), h('p', { class: 'note' }, s.kobayashi.reportedSurvival),
    h('h3', {}, 'Conversion therapy context'),
    h('p', {}, s.conversion.text),
    s.context.length ? h('ul', {}, s.context.map((c) => h('li', {}, c))) : null);
}

function dataWarnings(warnings) {
  if (!warnings.length) return null;
  return h('section', { id: 'data-warnings', 'aria-labelledby': 'warnings-title' },
    h('h2', { id: 'warnings-title' }, 'Data that could not be used'),
    h('ul', {}, warnings.map((w) => h('li', {}, w))));
}

function evidence(a) {
  return h('section', { id: 'evidence', 'aria-labelledby': 'evidence-title' },
    h('h2', { id: 'evidence-title' }, 'Evidence and its limits'),
    h('ul', {}, a.caveats.map((c) => h('li', {}, c))),
    h('p', {}, h('a', { href: a.model.url, target: '_blank', rel: 'noopener noreferrer' }, a.model.citation)));
}
