#!/usr/bin/env node
// Checks every changeset in .changeset/: the front matter names published workspace packages with a bump
// (major, minor or patch), and a summary follows. A malformed changeset would otherwise only fail at release time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const published = new Map();
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  if (!manifest.private) published.set(manifest.name, dir);
}

const problems = [];
const files = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
for (const file of files) {
  const text = readFileSync(join(root, '.changeset', file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) {
    problems.push(`${file}: no front matter (--- / "package": bump / ---)`);
    continue;
  }
  const [, head, summary] = match;
  const lines = head.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) problems.push(`${file}: names no package`);
  for (const line of lines) {
    const entry = /^\s*(["'])(.+?)\1\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (!entry) problems.push(`${file}: not a "package": bump line: ${line}`);
    else if (!published.has(entry[2])) problems.push(`${file}: ${entry[2]} is not a published workspace package`);
  }
  if (summary.trim() === '') problems.push(`${file}: no summary`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`${files.length} changesets OK`);
