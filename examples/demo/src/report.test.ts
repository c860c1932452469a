import { describe, expect, it } from 'vitest';
import { ecgSvg, renderReport } from './report.js';

describe('renderReport', () => {
  const samples = Array.from({ length: 720 }, (_, i) => (i % 360 === 100 ? 900 : 0) + Math.sin(i / 20) * 20);

  it('marks every beat on the ECG strip and keeps the SVG bounded in size', () => {
    const svg = ecgSvg({ samples, sampleRate: 360, beats: [100, 460], label: 'lead MLII' });
    expect(svg.match(/class="beat"/g)).toHaveLength(2);
    const long = ecgSvg({ samples: new Float32Array(360 * 60), sampleRate: 360, beats: [], label: 'x' });
    expect(long.length).toBeLessThan(120_000);
  });

  it('escapes every text it prints', () => {
    const html = renderReport({
      title: '<script>alert(1)</script>',
      generatedAt: new Date(0),
      timeline: [{ time: new Date(0), actor: 'a&b', action: 'AccessGranted', detail: '"x"', tx: '0xabc', block: 3 }],
    });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('a&amp;b');
    expect(html).toContain('&quot;x&quot;');
  });
});
