/** Data the HTML report shows. */
export interface ReportData {
  title: string;
  generatedAt: Date;
  ecg?: {
    /** One lead, in the recording's units (ADC counts or µV). */
    samples: ArrayLike<number>;
    sampleRate: number;
    /** Sample indices of detected beats. */
    beats: number[];
    /** Latest heart rate, beats per minute. */
    heartRate?: number;
    label: string;
  };
  timeline: Array<{ time: Date; actor: string; action: string; detail: string; tx: string; block: number }>;
  records?: Array<{ id: string; title: string; cid: string; anchoredAt: Date }>;
  statistics?: Array<{
    category: string;
    estimate: number;
    low: number;
    high: number;
    truth?: number;
    suppressed?: boolean;
  }>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Draws an ECG strip as an SVG polyline with the detected beats marked. */
export function ecgSvg(ecg: NonNullable<ReportData['ecg']>, width = 1100, height = 220): string {
  const { samples, sampleRate, beats } = ecg;
  const n = samples.length;
  if (n === 0) return '<p>No ECG samples.</p>';
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = samples[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const x = (i: number) => ((i / (n - 1)) * width).toFixed(1);
  const y = (v: number) => (height - 10 - ((v - min) / span) * (height - 20)).toFixed(1);
  // at most two points per pixel column keeps the file small and the peaks visible (min and max of each column)
  const points: string[] = [];
  const perColumn = Math.max(1, Math.floor(n / width));
  for (let start = 0; start < n; start += perColumn) {
    let lo = start;
    let hi = start;
    for (let i = start; i < Math.min(n, start + perColumn); i++) {
      if (samples[i]! < samples[lo]!) lo = i;
      if (samples[i]! > samples[hi]!) hi = i;
    }
    for (const i of lo < hi ? [lo, hi] : [hi, lo]) points.push(`${x(i)},${y(samples[i]!)}`);
  }
  const seconds = Math.floor(n / sampleRate);
  const grid = Array.from({ length: seconds + 1 }, (_, s) => {
    const gx = x(Math.min(n - 1, s * sampleRate));
    return `<line x1="${gx}" y1="0" x2="${gx}" y2="${height}" class="grid"/><text x="${gx}" y="${height - 1}" class="tick">${s}s</text>`;
  }).join('');
  // the detector's fiducial point sits on the QRS upstroke: mark the R peak next to it (within 60 ms)
  const reach = Math.round(0.06 * sampleRate);
  const peakNear = (b: number) => {
    let best = b;
    for (let i = Math.max(0, b - reach); i < Math.min(n, b + reach); i++) if (samples[i]! > samples[best]!) best = i;
    return best;
  };
  const marks = beats
    .filter((b) => b >= 0 && b < n)
    .map(peakNear)
    .map((b) => `<circle cx="${x(b)}" cy="${(Number(y(samples[b]!)) - 8).toFixed(1)}" r="4" class="beat"/>`)
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(ecg.label)}">${grid}<polyline points="${points.join(' ')}" class="trace"/>${marks}</svg>`;
}

/** Renders the demo's report as one self-contained HTML page. */
export function renderReport(data: ReportData): string {
  const rows = data.timeline
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.time.toISOString().replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(r.actor)}</td><td>${escapeHtml(r.action)}</td><td>${escapeHtml(r.detail)}</td><td><code>${escapeHtml(r.tx.slice(0, 12))}…</code></td><td>${r.block}</td></tr>`,
    )
    .join('\n');
  const records = (data.records ?? [])
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.title)}</td><td><code>${escapeHtml(r.cid)}</code></td><td>${escapeHtml(r.anchoredAt.toISOString().replace('T', ' ').slice(0, 19))}</td></tr>`,
    )
    .join('\n');
  const stats = (data.statistics ?? [])
    .map((s) =>
      s.suppressed
        ? `<tr><td>${escapeHtml(s.category)}</td><td colspan="3">suppressed (too few contributors)</td></tr>`
        : `<tr><td>${escapeHtml(s.category)}</td><td>${(s.estimate * 100).toFixed(1)} %</td><td>${(s.low * 100).toFixed(1)} – ${(s.high * 100).toFixed(1)} %</td><td>${s.truth === undefined ? '' : `${(s.truth * 100).toFixed(1)} %`}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1150px;color:#1d2430}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}code{font-size:.85em}
svg{background:#fff7f7;border:1px solid #f0caca}.trace{fill:none;stroke:#b3202a;stroke-width:1.2}
.beat{fill:none;stroke:#1f6feb;stroke-width:2}.grid{stroke:#f0caca;stroke-width:1}.tick{font-size:10px;fill:#888}
.hr{font-size:1.3rem;font-weight:600}
</style></head><body>
<h1>${escapeHtml(data.title)}</h1>
<p>Generated ${escapeHtml(data.generatedAt.toISOString())}. Everything below was produced by the SDK during the run: records
were encrypted on the patient's side, stored on an embedded IPFS node, and every consent decision is an event on the chain.</p>
${
  data.ecg
    ? `<h2>Live ECG: ${escapeHtml(data.ecg.label)}</h2>
<p class="hr">${data.ecg.heartRate ? `${Math.round(data.ecg.heartRate)} bpm` : ''}</p>
${ecgSvg(data.ecg)}
<p>${data.ecg.beats.length} beats detected (blue circles) in ${(data.ecg.samples.length / data.ecg.sampleRate).toFixed(1)} s.</p>`
    : ''
}
${records ? `<h2>Records</h2><table><tr><th>id</th><th>title (decrypted)</th><th>envelope CID</th><th>anchored</th></tr>${records}</table>` : ''}
<h2>Audit trail (rebuilt from chain events)</h2>
<table><tr><th>block time</th><th>actor</th><th>action</th><th>detail</th><th>tx</th><th>block</th></tr>
${rows}
</table>
${stats ? `<h2>Disease statistics (local differential privacy)</h2><table><tr><th>category</th><th>estimate</th><th>95 % interval</th><th>true share (simulation)</th></tr>${stats}</table>` : ''}
</body></html>
`;
}
