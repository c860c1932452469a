#!/usr/bin/env node
// Checks every changeset in .changeset/ the way `changeset version` will read it (@changesets/read): the front
// matter must parse, name published workspace packages, and a summary must follow. A malformed changeset would
// otherwise only fail at release time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import readChangesets from '@changesets/read';

const root = join(import.meta.dirname, '..');
const published = new Set(
  readdirSync(join(root, 'packages'))
    .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')))
    .filter((manifest) => !manifest.private)
    .map((manifest) => manifest.name),
);

let changesets;
try {
  changesets = await readChangesets(root);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const problems = [];
for (const { id, summary, releases } of changesets) {
  if (releases.length === 0) problems.push(`${id}.md: names no package`);
  for (const { name } of releases)
    if (!published.has(name)) problems.push(`${id}.md: ${name} is not a published workspace package`);
  if (summary.trim() === '') problems.push(`${id}.md: no summary`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`${changesets.length} changesets OK`);
