import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

/** One axe-core violation, reduced to what a failing test should print. */
export interface A11yViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** What axe-core found on one screen. */
export interface A11yReport {
  screen: string;
  /** Violations of serious or critical impact (the ones that fail the test). */
  serious: A11yViolation[];
  /** Every violation, whatever its impact. */
  all: A11yViolation[];
  /** Rules that passed. */
  passes: number;
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now, from the `axe-core` package injected
 * into the page.
 */
export async function checkA11y(page: Page, screen: string): Promise<A11yReport> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeSource });
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected above, untyped in the page
    const axe = (window as any).axe;
    const run = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return {
      passes: run.passes.length as number,
      violations: (
        run.violations as Array<{ id: string; impact?: string; help: string; nodes: Array<{ target: string[] }> }>
      ).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })),
    };
  });
  const all = result.violations;
  return {
    screen,
    all,
    serious: all.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    passes: result.passes,
  };
}

/** How much wider than the viewport the page is, in CSS pixels (0: no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
