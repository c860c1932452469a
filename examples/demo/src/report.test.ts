import { describe, expect, it } from 'vitest';
import { ecgSvg, outcomesHtml, renderReport } from './report.js';

describe('renderReport', () => {
  // 2 s at 360 Hz around an isoelectric line of 1024 (MIT-BIH units, 200 per mV), an R wave of +1 mV each second
  const samples = Array.from({ length: 720 }, (_, i) => 1024 + (i % 360 === 100 ? 200 : 0) + Math.sin(i / 20) * 4);

  it('draws the strip on ECG paper: 25 mm/s and 10 mm/mV, a mV axis, every beat marked', () => {
    const svg = ecgSvg({ samples, sampleRate: 360, beats: [100, 460], label: 'lead MLII' });
    expect(svg.match(/class="beat"/g)).toHaveLength(2);
    // 1 mm = 4 units: small squares of 4, large of 20; one second is 25 mm = 100 units after the 36-unit axis
    expect(svg).toContain('<pattern id="ecg-paper-minor" width="4" height="4"');
    expect(svg).toContain('<pattern id="ecg-paper" x="36" width="20" height="20"');
    expect(svg).toMatch(/<text x="136" y="[\d.]+" class="axis" text-anchor="middle">1 s<\/text>/);
    for (const label of ['-2 mV', '-1 mV', '0 mV', '1 mV', '2 mV']) expect(svg).toContain(`>${label}</text>`);
    // the R wave (+1 mV) is drawn 10 mm (40 units) above the isoelectric line (the row's middle, y = 6 + 80)
    const r = /<circle cx="([\d.]+)" cy="([\d.]+)"/.exec(svg)!;
    expect(Number(r[1])).toBeCloseTo(36 + (100 / 360) * 100, 0);
    expect(Math.abs(Number(r[2]) + 8 - 46)).toBeLessThan(1.5); // the sine ripple moves it by under 1 unit
    expect(svg).toContain('aria-label="lead MLII: 2.0 s at 25 mm/s and 10 mm/mV, 2 beats marked"');
  });

  it('wraps long strips into rows of 10 s and stays bounded in size', () => {
    const long = ecgSvg({ samples: new Float32Array(360 * 60), sampleRate: 360, beats: [], label: 'x' });
    expect(long.match(/<polyline/g)).toHaveLength(6);
    expect(long.length).toBeLessThan(120_000);
  });

  it('puts the outcomes first, expected refusals marked as such, never as failures', () => {
    const html = outcomesHtml([
      { status: 'ok', text: 'The doctor saw 0 records before access' },
      { status: 'refused', text: 'A mistyped code was refused' },
    ]);
    expect(html).toContain('Every step turned out as expected');
    expect(html).toContain('<li class="refused"><span class="mark" aria-hidden="true">⊘</span>');
    expect(html).not.toContain('✘');
    const failing = outcomesHtml([{ status: 'failed', text: 'The PDF differed' }]);
    expect(failing).toContain('1 step failed');
    const report = renderReport({
      title: 't',
      generatedAt: new Date(0),
      outcomes: [{ status: 'ok', text: 'done' }],
      timeline: [],
    });
    expect(report.indexOf('class="outcomes"')).toBeLessThan(report.indexOf('Audit trail'));
    expect(report).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('escapes every text it prints', () => {
    const html = renderReport({
      title: '<script>alert(1)</script>',
      generatedAt: new Date(0),
      outcomes: [{ status: 'ok', text: '<b>' }],
      timeline: [{ time: new Date(0), actor: 'a&b', action: 'AccessGranted', detail: '"x"', tx: '0xabc', block: 3 }],
    });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('a&amp;b');
    expect(html).toContain('&quot;x&quot;');
    expect(html).toContain('&lt;b&gt;');
  });
});
