// The governance page: fetches /api/governance/report with the filters and draws plain SVG charts (no library, no CDN).
const SVG = 'http://www.w3.org/2000/svg';
const GROUPS = {
  high: 'High risk', low: 'Low risk', indeterminate: 'Indeterminate',
  'not-applicable': 'Model not applicable', incomplete: 'Incomplete data',
};
const form = document.getElementById('filters');
const status = document.getElementById('status');
const tokenKey = 'crlm-governance-token';

const groupName = (group) => GROUPS[group] ?? group;
const percent = (rate) => (rate === null ? 'no feedback' : `${Math.round(rate * 100)}%`);

function query(format) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of ['from', 'to', 'modelVersion']) if (data.get(name)) params.set(name, data.get(name));
  if (format) params.set('format', format);
  return `/api/governance/report?${params}`;
}

async function fetchReport(format) {
  const token = form.elements.token.value.trim();
  sessionStorage.setItem(tokenKey, token);
  const response = await fetch(query(format), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    let reason = `The report was refused (${response.status}).`;
    try { reason = (await response.json()).issue[0].diagnostics; } catch { /* a bare status */ }
    throw new Error(response.status === 401 || response.status === 403 ? `Access refused: ${reason}` : reason);
  }
  return response;
}

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(width, height, label) {
  const root = element('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
  root.append(element('title', {}, label));
  return root;
}

function empty(container, text) {
  const p = document.createElement('p');
  p.textContent = text;
  container.replaceChildren(p);
}

function legend(entries) {
  const list = document.createElement('div');
  list.className = 'legend';
  for (const [className, text] of entries) {
    const item = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${className}`;
    item.append(swatch, text);
    list.append(item);
  }
  return list;
}

// Stacked bars: one per month, one segment per risk group.
function monthsChart(container, rows) {
  if (rows.length === 0) return empty(container, 'No card in this period.');
  const months = [...new Set(rows.map((r) => r.month))];
  const groups = [...new Set(rows.map((r) => r.riskGroup))];
  const totals = months.map((m) => rows.filter((r) => r.month === m).reduce((n, r) => n + r.cards, 0));
  const max = Math.max(...totals);
  const width = 760; const height = 260; const left = 40; const bottom = 30; const band = (width - left) / months.length;
  const chart = svg(width, height, `Cards per risk group per month, ${months[0]} to ${months.at(-1)}`);
  chart.append(element('text', { x: 0, y: 14 }, String(max)), element('text', { x: 0, y: height - bottom }, '0'));
  months.forEach((month, i) => {
    let y = height - bottom;
    for (const group of groups) {
      const row = rows.find((r) => r.month === month && r.riskGroup === group);
      if (!row) continue;
      const h = (row.cards / max) * (height - bottom - 20);
      y -= h;
      const bar = element('rect', { x: left + i * band + 4, y, width: Math.max(1, band - 8), height: h, class: `bar group-${group}` });
      bar.append(element('title', {}, `${month}: ${row.cards} ${groupName(group)}`));
      chart.append(bar);
    }
    chart.append(element('text', { x: left + i * band + band / 2, y: height - 10, 'text-anchor': 'middle' }, month));
  });
  container.replaceChildren(chart, legend(groups.map((g) => [`group-${g}`, groupName(g)])));
}

// Horizontal bars with a label and a value on each line.
function barsChart(container, label, bars, emptyText) {
  if (bars.length === 0) return empty(container, emptyText);
  const width = 760; const line = 28; const left = 260; const right = 120;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const chart = svg(width, bars.length * line + 10, label);
  bars.forEach((b, i) => {
    const y = 5 + i * line;
    chart.append(element('text', { x: 0, y: y + 17 }, b.label));
    const bar = element('rect', { x: left, y: y + 4, width: Math.max(1, (b.value / max) * (width - left - right)), height: line - 10, class: `bar ${b.className}` });
    bar.append(element('title', {}, `${b.label}: ${b.text}`));
    chart.append(bar, element('text', { x: width - right + 8, y: y + 17 }, b.text));
  });
  container.replaceChildren(chart);
}

function render(report) {
  const totals = document.getElementById('totals');
  totals.replaceChildren();
  for (const [term, value] of [['Cards', report.cards], ['Feedback', report.feedback],
    ['Feedback on cards not in the store', report.orphanedFeedback], ['Cards asking to check the record', report.cardsNeedingReview]]) {
    const dt = document.createElement('dt'); dt.textContent = term;
    const dd = document.createElement('dd'); dd.textContent = String(value);
    totals.append(dt, dd);
  }
  monthsChart(document.getElementById('chart-months'), report.cardsByMonth);
  barsChart(document.getElementById('chart-outcomes'), 'Acceptance and override rates by risk group',
    report.outcomesByRiskGroup.flatMap((o) => [
      { label: `${groupName(o.riskGroup)}: accepted`, value: o.acceptanceRate ?? 0, text: `${percent(o.acceptanceRate)} (${o.accepted})`, className: 'accepted' },
      { label: `${groupName(o.riskGroup)}: overridden`, value: o.overrideRate ?? 0, text: `${percent(o.overrideRate)} (${o.overridden})`, className: 'overridden' },
    ]), 'No feedback in this period.');
  barsChart(document.getElementById('chart-reasons'), 'Override reasons',
    report.overrideReasons.map((r) => ({ label: r.display, value: r.count, text: String(r.count), className: 'neutral' })),
    'No override reason in this period.');
  const months = [...new Set(report.cardsByMonth.map((r) => r.month))];
  barsChart(document.getElementById('chart-review'), 'Cards asking to check the record, per month',
    months.map((month) => {
      const rows = report.cardsByMonth.filter((r) => r.month === month);
      const cards = rows.reduce((n, r) => n + r.cards, 0);
      const review = rows.reduce((n, r) => n + r.needingReview, 0);
      return { label: month, value: review / cards, text: `${percent(review / cards)} (${review} of ${cards})`, className: 'neutral' };
    }), 'No card in this period.');
  const versions = form.elements.modelVersion;
  const chosen = versions.value;
  versions.replaceChildren(new Option('All versions', ''), ...report.modelVersions.map((v) => new Option(v, v)));
  versions.value = chosen;
}

async function show() {
  status.className = '';
  status.textContent = 'Loading…';
  try {
    const report = await (await fetchReport()).json();
    render(report);
    document.getElementById('report').hidden = false;
    status.textContent = `${report.cards} card(s), ${report.feedback} feedback item(s).`;
  } catch (error) {
    document.getElementById('report').hidden = true;
    status.className = 'error';
    status.textContent = error.message;
  }
}

async function downloadCsv() {
  try {
    const blob = await (await fetchReport('csv')).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'crlm-governance-report.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  }
}

form.elements.token.value = sessionStorage.getItem(tokenKey) ?? '';
form.addEventListener('submit', (event) => { event.preventDefault(); show(); });
document.getElementById('csv').addEventListener('click', downloadCsv);
show();
