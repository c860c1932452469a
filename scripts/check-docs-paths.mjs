#!/usr/bin/env node
/**
 * Every `docsPath` an SDK error prints must lead somewhere: the guide exists under docs/ and, when the path names a
 * section (`errors.md#deployments`), the guide has that heading (GitHub's anchors). Both spellings are checked:
 * `docsPath: '…'` in an object and `const docsPath = '…'` shared by a file's errors. A `docsPath` that is not a string
 * literal cannot be checked and fails too.
 *
 *   node scripts/check-docs-paths.mjs              check the packages
 *   node scripts/check-docs-paths.mjs --self-test  check that the check catches a missing guide, heading or literal
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const docs = join(root, 'docs');

function walk(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (/\.tsx?$/.test(name) && !/\.(test|bench)\.tsx?$/.test(name)) found.push(path);
  }
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a guide's headings (outside code fences); a repeated heading gets `-1`, `-2`, … as on GitHub. */
export function anchorsOf(markdown) {
  const anchors = new Set();
  const counts = new Map();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
  }
  return anchors;
}

/**
 * The problems of one source file's `docsPath` values: `where` names the file, `readGuide(path)` returns a guide's
 * text or undefined when it does not exist.
 */
export function problemsOf(text, where, readGuide) {
  const problems = [];
  let checked = 0;
  for (const match of text.matchAll(/docsPath\??\s*(?::|=(?!=))\s*([^,;}\n]+)/g)) {
    const at = `${where}:${text.slice(0, match.index).split('\n').length}`;
    const value = match[1].trim();
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(value);
    if (!literal) {
      // The base error's own field declaration and plumbing (`docsPath: string`, `parameters.docsPath`).
      if (/^string\b/.test(value) || /^parameters\.docsPath$/.test(value)) continue;
      problems.push(`${at}: docsPath is not a string literal (${value}), so it cannot be checked`);
      continue;
    }
    checked++;
    const [path, anchor] = literal[2].split('#');
    const markdown = readGuide(path);
    if (markdown === undefined) problems.push(`${at}: docs/${path} does not exist`);
    else if (anchor && !anchorsOf(markdown).has(anchor)) problems.push(`${at}: docs/${path} has no heading #${anchor}`);
  }
  return { problems, checked };
}

function readGuide(path) {
  try {
    return readFileSync(join(docs, path), 'utf8');
  } catch {
    return undefined;
  }
}

function selfTest() {
  const guides = { 'errors.md': '# Errors\n\n## Storage\n\n```md\n## Fenced\n```\n\n## Storage\n\n## `X` and Y?\n' };
  const read = (path) => guides[path];
  const cases = [
    ["super('x', { docsPath: 'errors.md#storage' });", 0],
    ["const docsPath = 'errors.md#storage-1';", 0],
    ["super('x', { docsPath: 'errors.md#x-and-y' });", 0],
    ["super('x', { docsPath: 'missing.md' });", 1],
    ["super('x', { docsPath: 'errors.md#nowhere' });", 1],
    ["const docsPath = 'errors.md#fenced';", 1],
    ['super(m, { docsPath: pathOf(kind) });', 1],
  ];
  let failed = 0;
  for (const [source, expected] of cases) {
    const { problems } = problemsOf(source, 'self-test', read);
    if (problems.length !== expected) {
      failed++;
      console.error(`self-test: ${JSON.stringify(source)} gave ${problems.length} problems, expected ${expected}`);
    }
  }
  if (failed) process.exit(1);
  console.log(`docs paths self-test: ${cases.length} cases as expected`);
}

if (process.argv.includes('--self-test')) {
  selfTest();
} else {
  const problems = [];
  let checked = 0;
  const packagesDir = join(root, 'packages');
  for (const pkg of readdirSync(packagesDir)) {
    const src = join(packagesDir, pkg, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    for (const file of walk(src)) {
      const result = problemsOf(readFileSync(file, 'utf8'), relative(root, file), readGuide);
      problems.push(...result.problems);
      checked += result.checked;
    }
  }
  if (problems.length) {
    console.error(`docs paths: ${problems.length} broken\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`docs paths: ${checked} docsPath values lead to existing guides and sections`);
}
