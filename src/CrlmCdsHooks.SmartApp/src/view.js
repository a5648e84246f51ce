// Renders an assessment from POST /api/assessments. All numbers and words come from the service's engine;
// this file only lays them out (no scoring here, so the page can never disagree with the card).
import { h, svg } from './dom.js';

const GROUP_WORDS = {
  low: 'Low risk',
  high: 'High risk',
  indeterminate: 'Risk group undetermined',
  'not-applicable': 'Model not applicable',
  'no-crlm': 'No liver metastasis on record',
};

const points = (value) => Number(value).toFixed(2);

export function renderPatientBanner(patient, show) {
  const banner = document.getElementById('patient-banner');
  if (!show || !patient) return;
  const name = patient.name?.[0];
  const words = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  banner.replaceChildren(
    h('span', { class: 'patient-name' }, words || 'Unnamed patient'),
    h('span', {}, [patient.gender, patient.birthDate && `born ${patient.birthDate}`].filter(Boolean).join(', ')));
  banner.hidden = false;
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
      recommendation(assessment),
      applicable ? chart(assessment) : null,
      notApplicable(assessment),
      applicable ? factors(assessment, assumptions, options) : null,
      missing(assessment),
      supportingScores(assessment.supportingScores),
      dataWarnings([...options.warnings, ...assessment.dataWarnings]),
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

function recommendation(a) {
  return h('div', { class: 'recommendation' },
    h('p', { id: 'recommendation' }, a.recommendation.summary),
    a.recommendation.details.length ? h('ul', {}, a.recommendation.details.map((d) => h('li', {}, d))) : null);
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
  const width = 320;
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
  ];
  const ticks = [0, 5, 10, 15, 20, 25, 30].map((t) => [
    svg('line', { x1: x(t), x2: x(t), y1: 78, y2: 82, class: 'tick' }),
    svg('text', { x: x(t), y: 93, 'text-anchor': 'middle', class: 'tick-label' }, String(t)),
  ]);
  const label = `Total ${withLocal} points assuming local treatment, ${without} without; high-risk threshold ${points(a.threshold)}.`;
  return h('figure', { class: 'chart' },
    svg('svg', { id: 'points-chart', role: 'img', 'aria-label': label, viewBox: `0 0 ${width} 110` },
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
      h('p', { class: 'note' }, exact ? '' : 'The lighter part of a bar is what the unknown factors could add. ',
        'Points are reconstructed from published hazard ratios, and the threshold of 13 on this scale is an interpretation, not a validated cut-off.')));
}

function factors(a, assumptions, options) {
  return h('section', { id: 'factors', 'aria-labelledby': 'factors-title' },
    h('h2', { id: 'factors-title' }, 'Factors'),
    h('p', { class: 'note' }, 'Each value is what the record says, with the resource and date it came from. Use "What if" to try an unknown or disputed factor.'),
    h('ul', { class: 'factor-list' }, a.factors.map((f) => h('li', { 'data-factor': f.id, class: f.assumed ? 'assumed' : '' },
      h('h3', {}, f.label),
      h('p', { class: 'factor-value' }, f.value),
      h('p', { class: 'factor-points' }, f.points === null ? `unknown (${points(f.pointsIfPresent)} if present)` : `${points(f.points)} points`),
      f.evidence.length ? h('ul', { class: 'factor-source' }, f.evidence.map(evidenceItem)) : h('p', { class: 'factor-source' }, 'No source record.'),
      f.notes.length ? h('ul', { class: 'notes' }, f.notes.map((n) => h('li', {}, n))) : null,
      whatIf(f, assumptions, options)))));
}

function evidenceItem(e) {
  // The kind of record and its date, as a clinician finds it in the chart; never a FHIR id (the API keeps `reference`).
  return h('li', {}, `${e.kind}, ${e.date ?? 'date not recorded to the day'}: ${e.description}`);
}

function whatIf(factor, assumptions, options) {
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
  return h('div', { class: 'what-if-control' }, h('label', { for: id }, `What if: ${factor.label}`), select);
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

function supportingScores(s) {
  if (!s) return null;
  const items = (list) => h('ul', {}, list.map((i) => h('li', {}, `${i.label}: ${i.finding.value}`,
    i.finding.present === null ? ' (unknown)' : '')));
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
