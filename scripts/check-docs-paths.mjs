#!/usr/bin/env node
/**
 * Every `docsPath` an SDK error prints must lead somewhere: the guide exists under docs/ and, when the path names a
 * section (`errors.md#deployments`), the guide has that heading. A `docsPath` that is not a string literal cannot be
 * checked and fails too.
 *
 *   node scripts/check-docs-paths.mjs
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
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown) {
  const anchors = new Set();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) anchors.add(slug(match[1]));
  return anchors;
}

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
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/docsPath:\s*([^,}\n]+)/g)) {
      const where = `${relative(root, file)}:${text.slice(0, match.index).split('\n').length}`;
      const value = match[1].trim();
      const literal = /^(['"`])([^'"`$]*)\1$/.exec(value);
      if (!literal) {
        // The base error's own field declaration and plumbing.
        if (/^string\b/.test(value) || /^parameters\.docsPath$/.test(value)) continue;
        problems.push(`${where}: docsPath is not a string literal (${value}), so it cannot be checked`);
        continue;
      }
      checked++;
      const [path, anchor] = literal[2].split('#');
      let markdown;
      try {
        markdown = readFileSync(join(docs, path), 'utf8');
      } catch {
        problems.push(`${where}: docs/${path} does not exist`);
        continue;
      }
      if (anchor && !anchorsOf(markdown).has(anchor)) problems.push(`${where}: docs/${path} has no heading #${anchor}`);
    }
  }
}

if (problems.length) {
  console.error(`docs paths: ${problems.length} broken\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`docs paths: ${checked} docsPath values lead to existing guides and sections`);
