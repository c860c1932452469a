/** Console output of the demo: numbered steps with timings, and aligned tables. */
export interface Progress {
  step(title: string): void;
  info(text: string): void;
  /** Something worked as it should. */
  ok(text: string): void;
  /** Something was refused, as the story expects (the protection working): not a failure. */
  denied(text: string): void;
  table(rows: Record<string, string | number>[]): void;
  elapsed(): number;
}

const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);

export function createProgress(): Progress {
  const start = performance.now();
  let n = 0;
  const seconds = () => ((performance.now() - start) / 1000).toFixed(1).padStart(5);
  return {
    step(title) {
      n += 1;
      console.log(`\n${paint(2, `[${seconds()} s]`)} ${paint(1, `${n}. ${title}`)}`);
    },
    info(text) {
      console.log(`    ${text}`);
    },
    ok(text) {
      console.log(`    ${paint(32, '✔')} ${text}`);
    },
    denied(text) {
      console.log(`    ${paint(33, '⊘')} ${text} ${paint(2, '(refused, as expected)')}`);
    },
    table(rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
      const line = (cells: string[]) => `    ${cells.map((cell, i) => cell.padEnd(width[i]!)).join('  ')}`;
      console.log(paint(1, line(columns)));
      console.log(line(width.map((w) => '─'.repeat(w))));
      for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? ''))));
    },
    elapsed() {
      return (performance.now() - start) / 1000;
    },
  };
}

/** `0x1234…abcd` */
export const short = (hex: string, keep = 6) =>
  hex.length > 2 * keep + 2 ? `${hex.slice(0, keep + 2)}…${hex.slice(-4)}` : hex;

/** `2026-11-25 10:00:00 UTC` from Unix seconds. */
export const clock = (unixSeconds: number) =>
  `${new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
