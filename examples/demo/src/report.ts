/** How one outcome of the story turned out. `refused` is a refusal the story expects (it is the point). */
export type OutcomeStatus = 'ok' | 'refused' | 'failed';

/** One line of the outcome summary at the top of the report. */
export interface Outcome {
  status: OutcomeStatus;
  text: string;
}

/** Data the HTML report shows. */
export interface ReportData {
  title: string;
  generatedAt: Date;
  /** What the story showed, in order: the summary at the top of the report. */
  outcomes?: Outcome[];
  ecg?: {
    /** One lead, in the recording's units (ADC counts or µV). */
    samples: ArrayLike<number>;
    sampleRate: number;
    /** Sample indices of detected beats. */
    beats: number[];
    /** Latest heart rate, beats per minute. */
    heartRate?: number;
    label: string;
    /** Recording units per millivolt. Default 200 (the MIT-BIH recordings' ADC gain). */
    unitsPerMv?: number;
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

/** ECG paper: 25 mm/s and 10 mm/mV, drawn at 4 SVG units per millimetre. */
const MM = 4;
const PX_PER_SECOND = 25 * MM;
const PX_PER_MV = 10 * MM;
/** Seconds per row of the strip, like a rhythm strip. */
const ROW_SECONDS = 10;
/** Millivolts above and below the isoelectric line each row shows. */
const ROW_MV = 2;
const AXIS = 36;
/** Room above each row (for its top label) and after the strip (for the last second's label). */
const TOP = 6;
const RIGHT = 14;

/** The median of the samples: the isoelectric line the strip centres on. */
function median(samples: ArrayLike<number>): number {
  const step = Math.max(1, Math.floor(samples.length / 5000));
  const picked: number[] = [];
  for (let i = 0; i < samples.length; i += step) picked.push(samples[i]!);
  picked.sort((a, b) => a - b);
  return picked[Math.floor(picked.length / 2)] ?? 0;
}

/**
 * Draws an ECG strip on standard ECG paper (25 mm/s, 10 mm/mV: small squares 0.04 s × 0.1 mV, large squares
 * 0.2 s × 0.5 mV), with a millivolt axis, seconds along the bottom, one row per 10 s and the detected beats marked.
 */
export function ecgSvg(ecg: NonNullable<ReportData['ecg']>): string {
  const { samples, sampleRate, beats } = ecg;
  const n = samples.length;
  if (n === 0) return '<p>No ECG samples.</p>';
  const unitsPerMv = ecg.unitsPerMv ?? 200;
  const zero = median(samples);
  const mv = (i: number) => (samples[i]! - zero) / unitsPerMv;
  const seconds = n / sampleRate;
  const rows = Math.ceil(seconds / ROW_SECONDS);
  const rowHeight = 2 * ROW_MV * PX_PER_MV;
  const gap = 22 + TOP;
  const width = AXIS + Math.min(seconds, ROW_SECONDS) * PX_PER_SECOND + RIGHT;
  const height = rows * (rowHeight + gap);
  const y = (row: number, value: number) =>
    TOP + row * (rowHeight + gap) + rowHeight / 2 - Math.max(-ROW_MV, Math.min(ROW_MV, value)) * PX_PER_MV;
  const x = (i: number) => AXIS + ((i / sampleRate) % ROW_SECONDS) * PX_PER_SECOND;
  const parts: string[] = [];
  const perRow = ROW_SECONDS * sampleRate;
  // the detector's fiducial point sits on the QRS upstroke: mark the R peak next to it (within 60 ms)
  const reach = Math.round(0.06 * sampleRate);
  const peakNear = (b: number) => {
    let best = b;
    for (let i = Math.max(0, b - reach); i < Math.min(n, b + reach); i++) if (samples[i]! > samples[best]!) best = i;
    return best;
  };
  for (let row = 0; row < rows; row++) {
    const top = TOP + row * (rowHeight + gap);
    const start = row * perRow;
    const end = Math.min(n, start + perRow);
    const rowWidth = ((end - start) / sampleRate) * PX_PER_SECOND;
    parts.push(
      `<rect x="${AXIS}" y="${top}" width="${rowWidth.toFixed(1)}" height="${rowHeight}" fill="url(#ecg-paper)"/>`,
    );
    // millivolt axis
    for (let v = -ROW_MV; v <= ROW_MV; v += 1) {
      const ty = y(row, v);
      parts.push(`<text x="${AXIS - 4}" y="${(ty + 3).toFixed(1)}" class="axis" text-anchor="end">${v} mV</text>`);
    }
    for (let s = 0; s <= (end - start) / sampleRate + 1e-9; s++) {
      const tx = AXIS + s * PX_PER_SECOND;
      parts.push(
        `<text x="${tx}" y="${(top + rowHeight + 13).toFixed(1)}" class="axis" text-anchor="middle">${row * ROW_SECONDS + s} s</text>`,
      );
    }
    // the trace: the lowest and highest sample of each drawn column keep the peaks
    const points: string[] = [];
    const perColumn = Math.max(1, Math.floor(sampleRate / PX_PER_SECOND));
    for (let c = start; c < end; c += perColumn) {
      let lo = c;
      let hi = c;
      for (let i = c; i < Math.min(end, c + perColumn); i++) {
        if (samples[i]! < samples[lo]!) lo = i;
        if (samples[i]! > samples[hi]!) hi = i;
      }
      const picks = lo === hi || samples[lo] === samples[hi] ? [lo] : lo < hi ? [lo, hi] : [hi, lo];
      for (const i of picks) points.push(`${x(i).toFixed(1)},${y(row, mv(i)).toFixed(1)}`);
    }
    parts.push(`<polyline points="${points.join(' ')}" class="trace"/>`);
    for (const beat of beats) {
      if (beat < start || beat >= end) continue;
      const peak = peakNear(beat);
      parts.push(`<circle cx="${x(peak).toFixed(1)}" cy="${(y(row, mv(peak)) - 8).toFixed(1)}" r="4" class="beat"/>`);
    }
  }
  const paper = `<defs><pattern id="ecg-paper-minor" width="${MM}" height="${MM}" patternUnits="userSpaceOnUse"><path d="M ${MM} 0 L 0 0 0 ${MM}" class="minor"/></pattern><pattern id="ecg-paper" x="${AXIS}" width="${5 * MM}" height="${5 * MM}" patternUnits="userSpaceOnUse"><rect width="${5 * MM}" height="${5 * MM}" fill="url(#ecg-paper-minor)"/><path d="M ${5 * MM} 0 L 0 0 0 ${5 * MM}" class="major"/></pattern></defs>`;
  const description = `${ecg.label}: ${seconds.toFixed(1)} s at 25 mm/s and 10 mm/mV, ${beats.length} beats marked${ecg.heartRate ? `, ${Math.round(ecg.heartRate)} beats per minute` : ''}`;
  return `<svg viewBox="0 0 ${width.toFixed(0)} ${height}" width="100%" role="img" aria-label="${escapeHtml(description)}">${paper}${parts.join('')}</svg>`;
}

const OUTCOME_MARK: Record<OutcomeStatus, { mark: string; label: string }> = {
  ok: { mark: '✔', label: 'as expected' },
  refused: { mark: '⊘', label: 'refused, as expected' },
  failed: { mark: '✘', label: 'failed' },
};

/** The outcome summary: what the story showed, each line marked as expected, refused as expected, or failed. */
export function outcomesHtml(outcomes: readonly Outcome[]): string {
  if (outcomes.length === 0) return '';
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const items = outcomes
    .map((o) => {
      const { mark, label } = OUTCOME_MARK[o.status];
      return `<li class="${o.status}"><span class="mark" aria-hidden="true">${mark}</span> ${escapeHtml(o.text)} <span class="visually-hidden">(${label})</span></li>`;
    })
    .join('\n');
  return `<section class="outcomes" aria-labelledby="outcomes-title"><h2 id="outcomes-title">${failed === 0 ? 'Every step turned out as expected' : `${failed} step${failed === 1 ? '' : 's'} failed`}</h2>
<ul>${items}</ul>
<p class="legend"><span aria-hidden="true">✔</span> happened as it should · <span aria-hidden="true">⊘</span> refused, as it should be (the protection working)${failed ? ' · <span aria-hidden="true">✘</span> failed' : ''}</p></section>`;
}

const utc = (date: Date) => `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** Renders the demo's report as one self-contained HTML page, readable on a phone. */
export function renderReport(data: ReportData): string {
  const rows = data.timeline
    .map(
      (r) =>
        `<tr><td data-label="Time">${escapeHtml(utc(r.time))}</td><td data-label="Who">${escapeHtml(r.actor)}</td><td data-label="What happened">${escapeHtml(r.detail)} <code class="kind">${escapeHtml(r.action)}</code></td><td data-label="Transaction"><code title="${escapeHtml(r.tx)}">${escapeHtml(r.tx.slice(0, 12))}…</code> · block ${r.block}</td></tr>`,
    )
    .join('\n');
  const records = (data.records ?? [])
    .map(
      (r) =>
        `<tr><td data-label="Record">${escapeHtml(r.title)} <code class="kind">${escapeHtml(r.id)}</code></td><td data-label="Envelope CID"><code class="cid">${escapeHtml(r.cid)}</code></td><td data-label="Anchored">${escapeHtml(utc(r.anchoredAt))}</td></tr>`,
    )
    .join('\n');
  const stats = (data.statistics ?? [])
    .map((s) =>
      s.suppressed
        ? `<tr><td data-label="Category">${escapeHtml(s.category)}</td><td colspan="3" data-label="Estimate">suppressed (too few contributors)</td></tr>`
        : `<tr><td data-label="Category">${escapeHtml(s.category)}</td><td data-label="Estimate">${(s.estimate * 100).toFixed(1)} %</td><td data-label="95 % interval">${(s.low * 100).toFixed(1)} – ${(s.high * 100).toFixed(1)} %</td><td data-label="True share">${s.truth === undefined ? '' : `${(s.truth * 100).toFixed(1)} %`}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(data.title)}</title>
<style>
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:1.5rem 1rem;max-width:1150px;color:#1d2430}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}code{font-size:.85em;overflow-wrap:anywhere}.kind{color:#4f5a66}
.outcomes{border:2px solid #0a5c42;border-radius:8px;padding:.25rem 1rem .5rem}.outcomes h2{margin-top:.75rem}
.outcomes ul{list-style:none;padding:0;margin:0}.outcomes li{padding:.2rem 0}.mark{display:inline-block;width:1.3em;font-weight:700}
.ok .mark{color:#0a5c42}.refused .mark{color:#6b4a00}.failed .mark{color:#a4001d}.failed{color:#a4001d;font-weight:600}
.legend{color:#4f5a66;font-size:.9rem}
svg{display:block;max-width:100%;height:auto;background:#fff}.trace{fill:none;stroke:#111;stroke-width:1.3}
.beat{fill:none;stroke:#1f6feb;stroke-width:2}.minor{fill:none;stroke:#f6cfcf;stroke-width:.5}.major{fill:none;stroke:#e58f8f;stroke-width:1}
.axis{font-size:9px;fill:#4f5a66}
.hr{font-size:1.3rem;font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:700px){
  body{padding:1rem .6rem}
  table,thead,tbody,tr,td,th{display:block}tr:first-child{display:none}
  tr{border-bottom:1px solid #c9d2dc;padding:.4rem 0}td{border:0;padding:.1rem 0}
  td::before{content:attr(data-label) ": ";font-weight:600}
  .cid{font-size:.75em}
}
</style></head><body>
<h1>${escapeHtml(data.title)}</h1>
<p>Generated ${escapeHtml(utc(data.generatedAt))}. Everything below was produced by the SDK during the run: records
were encrypted on the patient's side, stored on an embedded IPFS node, and every consent decision is an event on the chain.</p>
${outcomesHtml(data.outcomes ?? [])}
${
  data.ecg
    ? `<h2>Live ECG: ${escapeHtml(data.ecg.label)}</h2>
<p class="hr">${data.ecg.heartRate ? `${Math.round(data.ecg.heartRate)} bpm` : ''}</p>
${ecgSvg(data.ecg)}
<p>${data.ecg.beats.length} beats detected (blue circles) in ${(data.ecg.samples.length / data.ecg.sampleRate).toFixed(1)} s, as the doctor received it. ECG paper: 25 mm/s, 10 mm/mV (small squares 0.04 s × 0.1 mV, large squares 0.2 s × 0.5 mV).</p>`
    : ''
}
${records ? `<h2>Records the doctor read</h2><table><tr><th>record (title decrypted)</th><th>envelope CID</th><th>anchored</th></tr>${records}</table>` : ''}
<h2>Audit trail (rebuilt from chain events)</h2>
<table><tr><th>time</th><th>who</th><th>what happened</th><th>transaction</th></tr>
${rows}
</table>
${stats ? `<h2>Disease statistics (local differential privacy)</h2><table><tr><th>category</th><th>estimate</th><th>95 % interval</th><th>true share (simulation)</th></tr>${stats}</table>` : ''}
</body></html>
`;
}
