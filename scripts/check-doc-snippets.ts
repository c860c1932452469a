/**
 * Compiles the TypeScript code blocks of the READMEs (root and packages) and the guides in docs/ (and, with `--tsdoc`, the `@example`
 * blocks of every package's TSDoc), so documentation cannot drift from the API.
 *
 *   tsx scripts/check-doc-snippets.ts [--tsdoc]
 *
 * A block fenced as ```ts or ```typescript is checked; ```ts no-check is skipped. Each block is its own module.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.doc-snippets');
const withTsdoc = process.argv.includes('--tsdoc');

function walk(dir: string, keep: (path: string) => boolean, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'api' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, found);
    else if (keep(path)) found.push(path);
  }
  return found;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface Snippet {
  source: string;
  line: number;
  code: string;
}

const fence = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm;

function fromMarkdown(path: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const match of text.matchAll(fence)) {
    if (match[2]?.includes('no-check')) continue;
    const line = text.slice(0, match.index).split('\n').length;
    snippets.push({ source: relative(root, path), line, code: match[3] ?? '' });
  }
  return snippets;
}

function fromTsdoc(path: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = (comment[1] ?? '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    const base = text.slice(0, comment.index).split('\n').length;
    for (const snippet of fromMarkdown(path, body)) snippets.push({ ...snippet, line: base + snippet.line });
  }
  return snippets;
}

const docs = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir, 'README.md'))
    .filter(isFile),
  ...walk(join(root, 'docs'), (p) => p.endsWith('.md')),
];
let snippets = docs.flatMap((path) => fromMarkdown(path, readFileSync(path, 'utf8')));
if (withTsdoc) {
  const sources = walk(join(root, 'packages'), (p) => /\/src\/.*\.ts$/.test(p) && !/\.(test|bench)\.ts$/.test(p));
  snippets = snippets.concat(sources.flatMap((path) => fromTsdoc(path, readFileSync(path, 'utf8'))));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index: Record<string, string> = {};
snippets.forEach((snippet, i) => {
  const file = `snippet-${String(i).padStart(4, '0')}.ts`;
  index[file] = `${snippet.source}:${snippet.line}`;
  writeFileSync(join(out, file), `${snippet.code}\nexport {};\n`);
});
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../tsconfig.base.json',
    compilerOptions: { noEmit: true, noUnusedLocals: false, declaration: false, declarationMap: false },
    include: ['*.ts'],
  }),
);

console.log(`checking ${snippets.length} code blocks from ${withTsdoc ? 'docs, README and TSDoc' : 'docs and README'}`);
if (snippets.length === 0) process.exit(0);
try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
  console.log('all code blocks compile');
} catch (error) {
  const output = String((error as { stdout?: string }).stdout ?? error);
  // point each diagnostic at the markdown or source line it came from
  console.error(
    output.replace(/(?:\.doc-snippets\/)?snippet-(\d{4})\.ts\((\d+),(\d+)\)/g, (_, n, line) => {
      const [source, start] = (index[`snippet-${n}.ts`] ?? '?:0').split(/:(?=\d+$)/);
      return `${source}:${Number(start) + Number(line)}`;
    }),
  );
  process.exitCode = 1;
}
