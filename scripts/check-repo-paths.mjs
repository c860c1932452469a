#!/usr/bin/env node
/**
 * Tests, examples, the demo and the repository's scripts may read only what the repository carries: a user's clone
 * has nothing beside it. This check fails when one of their sources names a path outside the repository: a sibling
 * folder (the workplace's `shared` folder next to the clone), an absolute path of this machine (the folder the clone sits in, the home folder), or a
 * `new URL('../…', import.meta.url)` that climbs above the repository root. Benchmarks (`*.bench.ts`) are exempt:
 * they may read a corpus folder they are given.
 *
 *   node scripts/check-repo-paths.mjs              check the repository
 *   node scripts/check-repo-paths.mjs --self-test  check that the check catches what it should
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The sibling folder a workplace keeps beside the clone, spelled without naming it literally in this source. */
const SIBLING = ['..', 'shared'].join('/');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sh)$/;
const EXEMPT = /\.bench\.(ts|tsx|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'out', 'cache', 'coverage', 'test-artifacts']);

function walk(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (SOURCE.test(name) && !EXEMPT.test(name)) found.push(path);
  }
  return found;
}

/** Absolute folders of this machine that a source must not name (never `/` or the temporary folder). */
function machinePaths(repositoryRoot) {
  const paths = new Set([dirname(repositoryRoot), homedir()]);
  for (const path of [...paths]) if (path === '/' || path === '/tmp' || path.length < 4) paths.delete(path);
  return [...paths];
}

/**
 * The lines of `text` (a source at `file` inside `repositoryRoot`) that name a path outside the repository.
 *
 * @returns `{ line, reason }` per finding.
 */
export function findOutsidePaths(text, file, repositoryRoot = root) {
  const findings = [];
  const lines = text.split('\n');
  const machine = machinePaths(repositoryRoot);
  lines.forEach((content, i) => {
    const line = i + 1;
    // A relative import of a folder of the repository's own (`from '../common/config.js'`) resolves inside it.
    const own = content.replace(/(['"`])(\.{1,2}\/[^'"`$]*)\1/g, (literal, _quote, path) =>
      resolve(dirname(file), path).startsWith(`${repositoryRoot}/`) && !path.includes('shared/data') ? '' : literal,
    );
    if (/(^|[^.\w])\.\.\/shared\b|shared\/data\/|['"]shared['"]\s*,\s*['"]data['"]/.test(own))
      findings.push({ line, reason: `names the workplace folder beside the repository (${SIBLING})` });
    for (const path of machine)
      if (content.includes(`${path}/`) || content.includes(`'${path}'`) || content.includes(`"${path}"`))
        findings.push({ line, reason: `names an absolute path of this machine (${path})` });
    for (const match of content.matchAll(/new URL\(\s*(['"`])(\.\.\/[^'"`]*)\1\s*,\s*import\.meta\.url\s*\)/g)) {
      const target = resolve(dirname(file), match[2]);
      if (target !== repositoryRoot && !target.startsWith(`${repositoryRoot}/`))
        findings.push({ line, reason: `resolves outside the repository (${match[2]} → ${target})` });
    }
  });
  return findings;
}

function selfTest() {
  const file = join(root, 'packages/ecg/test/data.ts');
  const caught = [
    `export const DIR = fileURLToPath(new URL('../../..${SIBLING}/data/ecg/', import.meta.url));`,
    `const dir = process.env.MHR_ECG_DATA ?? \`\${root}${SIBLING}/data/ecg/mitdb/\`;`,
    "export const ECG_DATA_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'ecg');",
    `const corpus = '${dirname(root)}/shared/data/ecg';`,
    "const up = new URL('../../../../elsewhere/', import.meta.url);",
  ];
  const allowed = [
    "const DIR = fileURLToPath(new URL('./vectors/physionet/', import.meta.url));",
    "const root = new URL('../../../', import.meta.url);",
    "const corpus = process.env.MHR_ECG_CORPUS ?? join(root, '.ecg-corpus');",
    '/** options shared by the filters */',
    `import { type AppConfig } from '${SIBLING}/config.js';`,
  ];
  let failed = 0;
  for (const text of caught)
    if (findOutsidePaths(text, file).length === 0) {
      console.error(`self-test: not caught: ${text}`);
      failed++;
    }
  for (const text of allowed)
    if (findOutsidePaths(text, file).length !== 0) {
      console.error(`self-test: wrongly caught: ${text}`);
      failed++;
    }
  if (failed) process.exit(1);
  console.log(
    `repository paths self-test: ${caught.length} outside paths caught, ${allowed.length} inside paths allowed`,
  );
}

if (process.argv.includes('--self-test')) selfTest();
else {
  const files = ['packages', 'examples', 'scripts', 'contracts/scripts', 'contracts/test']
    .map((dir) => join(root, dir))
    .flatMap((dir) => {
      try {
        return walk(dir);
      } catch {
        return [];
      }
    })
    .filter((file) => file !== fileURLToPath(import.meta.url));
  const problems = [];
  for (const file of files)
    for (const { line, reason } of findOutsidePaths(readFileSync(file, 'utf8'), file))
      problems.push(`${relative(root, file)}:${line}: ${reason}`);
  if (problems.length) {
    console.error(
      `repository paths: ${problems.length} source line(s) read outside the repository\n${problems.join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`repository paths: ${files.length} test, example, demo and script sources read only the repository`);
}
