import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// Every ```ts block in docs/*.md and in every package's README.md is compiled, so a sample cannot rot
// when an API changes. Blocks are modules of their own; docs/samples-prelude.d.ts declares the
// few names prose takes as given ("a gateway", "the callback URL").
const docs = fileURLToPath(new URL('..', import.meta.url));
const root = join(docs, '..');
const out = join(docs, '.samples');

const packagesDir = join(root, 'packages');

/** docs/*.md, then packages/<name>/README.md for every package. */
const markdownFiles = (): string[] => [
  ...readdirSync(docs)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(docs, f)),
  ...readdirSync(packagesDir)
    .map((dir) => join(packagesDir, dir, 'README.md'))
    .filter((path) => existsSync(path)),
];

interface Sample {
  readonly source: string;
  readonly line: number;
  readonly file: string;
}

/**
 * What a package README's prose takes as given ("a signed-in client", "the request"), one
 * `declare const name: Type;` per line in docs/test/readme-given/<package>.ts (a module, so it type-checks on its own). The lines are
 * appended to each sample of that README that does not bind the name itself, so they stay
 * local to the sample and two READMEs may give the same name different types.
 */
const givenFor = (path: string): ReadonlyArray<{ readonly name: string; readonly line: string }> => {
  const match = /packages\/([^/]+)\/README\.md$/.exec(path);
  const file = match === null ? undefined : join(docs, 'test', 'readme-given', `${match[1]}.ts`);
  if (file === undefined || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => ({ line, name: /^declare (?:const|function) (\w+)/.exec(line)?.[1] }))
    .filter((entry): entry is { line: string; name: string } => entry.name !== undefined);
};

const binds = (source: string, name: string): boolean =>
  [
    new RegExp(`\\b(?:const|let|var|function|class|interface|type)\\s+${name}\\b`),
    new RegExp(`\\b(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=`),
    new RegExp(`\\bimport\\s+(?:type\\s+)?(?:\\{[^}]*\\b${name}\\b[^}]*\\}|\\*\\s+as\\s+${name}\\b|${name}\\b)`),
  ].some((pattern) => pattern.test(source));

const samplesOf = (path: string): Sample[] => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const samples: Sample[] = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(pattern)) {
    const line = text.slice(0, match.index).split('\n').length + 1;
    // A sample whose first line names its file (`// src/monerium.ts`) is that file of an app, so
    // the other samples of the page can import it ('./monerium.js').
    const named = /^\/\/ (src\/[\w-]+\.ts)\n/.exec(match[1] ?? '')?.[1];
    const name = named ?? `${relative(root, path).replace(/[^a-zA-Z0-9]+/g, '_')}_L${line}.ts`;
    // `export {}` makes a sample without imports a module too, so samples never share scope.
    const body = match[1] ?? '';
    const given = givenFor(path)
      .filter((entry) => !binds(body, entry.name))
      .map((entry) => entry.line)
      .join('\n');
    samples.push({ source: `${body}\nexport {};\n${given}\n`, line, file: name });
  }
  return samples;
};

test('every TypeScript sample in the docs compiles', (t) => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'src'), { recursive: true });
  const all = markdownFiles().flatMap((path) => samplesOf(path).map((s) => ({ ...s, path })));
  t.true(all.length >= 5, `found ${all.length} samples`);
  for (const name of readdirSync(packagesDir)) {
    t.true(
      all.some((s) => s.path === join(packagesDir, name, 'README.md')),
      `packages/${name}/README.md has a ts sample`,
    );
  }
  for (const sample of all) writeFileSync(join(out, sample.file), sample.source);
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { noEmit: true, types: ['node'], noUnusedLocals: false, noUnusedParameters: false },
      include: ['*.ts', 'src/*.ts', '../samples-prelude.d.ts'],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { encoding: 'utf8', cwd: out });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const failures = output
    .split('\n')
    .filter((line) => /error TS/.test(line))
    .map((line) => {
      const name = line.split('(')[0] ?? '';
      const sample = all.find((s) => s.file === name);
      return sample === undefined ? line : `${relative(root, sample.path)} (sample at line ${sample.line}): ${line.slice(name.length)}`;
    });
  t.deepEqual(failures, []);
});
