#!/usr/bin/env node
// Checks the NatSpec of the contracts' interfaces from the compiler's own reading of it (the `userdoc` and `devdoc` the
// forge build writes into each artifact, `extra_output` in foundry.toml), so a comment that does not parse counts as
// missing:
// - every function, event and error of `src/interfaces/I*.sol` has a `@notice`, a `@param` for each of its parameters
//   (which must be named) and, for a function, a `@return` for each of its results;
// - every error and event is declared once across `src/` (a shared error lives in one interface, inherited).
// Run after a build (`node scripts/forge.mjs build`); `scripts/test.mjs` runs it after the forge tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @param {{ type: string, components?: any[] }} param @returns {string} */
function canonicalType(param) {
  if (!param.type.startsWith('tuple')) return param.type;
  return `(${(param.components ?? []).map(canonicalType).join(',')})${param.type.slice('tuple'.length)}`;
}

/** @param {{ name: string, inputs?: any[] }} item */
function signature(item) {
  return `${item.name}(${(item.inputs ?? []).map(canonicalType).join(',')})`;
}

/** @param {string} dir @param {string[]} [found] @returns {string[]} */
function solidityFiles(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) solidityFiles(path, found);
    else if (entry.name.endsWith('.sol')) found.push(path);
  }
  return found;
}

/** The documentation solc found for one ABI item in one artifact, or undefined. */
function docsOf(artifact, item) {
  const sig = signature(item);
  const { userdoc = {}, devdoc = {} } = artifact;
  const section = { function: 'methods', event: 'events', error: 'errors' }[item.type];
  const first = (value) => (Array.isArray(value) ? value[0] : value);
  const user = first(userdoc[section]?.[sig]);
  const dev = first(devdoc[section]?.[sig]);
  if (!user && !dev) return undefined;
  return { notice: user?.notice, params: dev?.params ?? {}, returns: dev?.returns ?? {} };
}

/**
 * The NatSpec problems of the interfaces and the errors or events declared more than once.
 * @param {string} projectDir the Foundry project (holds `src/` and the build's `out/`)
 * @returns {string[]}
 */
export function natspecProblems(projectDir) {
  const problems = [];
  const outDir = join(projectDir, 'out');
  if (!existsSync(outDir)) return ['no build output: run `node scripts/forge.mjs build` first'];

  // Every interface artifact of the current sources: the metadata names the source it was compiled from.
  /** @type {Map<string, any>} */
  const interfaces = new Map();
  for (const dir of readdirSync(outDir)) {
    if (!/^I[A-Z]\w*\.sol$/.test(dir)) continue;
    for (const file of readdirSync(join(outDir, dir))) {
      const artifact = JSON.parse(readFileSync(join(outDir, dir, file), 'utf8'));
      const metadata = typeof artifact.metadata === 'string' ? JSON.parse(artifact.metadata) : artifact.metadata;
      const [source, name] = Object.entries(metadata?.settings?.compilationTarget ?? {})[0] ?? [];
      if (!source?.startsWith('src/interfaces/') || !existsSync(join(projectDir, source))) continue;
      if (!artifact.devdoc || !artifact.userdoc) {
        problems.push(`${source}: the build wrote no devdoc/userdoc (foundry.toml extra_output)`);
        continue;
      }
      interfaces.set(`${source}:${name}`, artifact);
    }
  }
  if (interfaces.size === 0) problems.push('no interface artifacts under out/: build first');

  // An inherited item appears in every derived interface's ABI; it must be documented where it is declared.
  /** @type {Map<string, { item: any, where: string[], docs: any[] }>} */
  const items = new Map();
  for (const [where, artifact] of interfaces) {
    for (const item of artifact.abi) {
      if (!['function', 'event', 'error'].includes(item.type)) continue;
      const key = `${item.type} ${signature(item)}`;
      const entry = items.get(key) ?? { item, where: [], docs: [] };
      entry.where.push(where);
      const docs = docsOf(artifact, item);
      if (docs) entry.docs.push(docs);
      items.set(key, entry);
    }
  }
  for (const [key, { item, where, docs }] of [...items].sort(([a], [b]) => a.localeCompare(b))) {
    const missing = [];
    const notice = docs.find((d) => d.notice)?.notice;
    if (!notice) missing.push('@notice');
    for (const [i, input] of (item.inputs ?? []).entries()) {
      if (!input.name) missing.push(`a name for parameter ${i}`);
      else if (!docs.some((d) => d.params[input.name])) missing.push(`@param ${input.name}`);
    }
    if (item.type === 'function')
      for (const [i, output] of (item.outputs ?? []).entries())
        if (!docs.some((d) => d.returns[output.name || `_${i}`]))
          missing.push(`@return for result ${output.name || i}`);
    if (missing.length > 0) problems.push(`${key} (${where[0]}): missing ${missing.join(', ')}`);
  }

  // Errors and events are declared once across the sources.
  /** @type {Map<string, string[]>} */
  const declared = new Map();
  for (const path of solidityFiles(join(projectDir, 'src'))) {
    const source = readFileSync(path, 'utf8').replace(/\/\/.*$/gm, '');
    for (const match of source.matchAll(/\b(error|event)\s+(\w+)\s*\(/g)) {
      const key = `${match[1]} ${match[2]}`;
      declared.set(key, [...(declared.get(key) ?? []), relative(projectDir, path)]);
    }
  }
  for (const [key, paths] of declared)
    if (paths.length > 1) problems.push(`${key} is declared ${paths.length} times: ${paths.join(', ')}`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = natspecProblems(join(dirname(fileURLToPath(import.meta.url)), '..'));
  if (problems.length > 0) {
    console.error(`NatSpec of the interfaces: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('NatSpec of the interfaces: every function, event and error documented; errors and events declared once');
}
