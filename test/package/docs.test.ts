/**
 * The documentation holds: the API reference builds without a warning and reads as it should,
 * and every TypeScript block of README.md compiles against the SDK's source.
 *
 * typedoc.json sets treatWarningsAsErrors, so an export without TSDoc links, or a public type
 * that references an unexported one, fails here rather than on release day. The HTML goes to a
 * temporary folder and is checked: the index page is docs/index.md (not the README, whose
 * title typedoc repeated and whose first lines are contributor commands), the guides are
 * rendered pages rather than raw copies in media/, and the exports are grouped by topic.
 *
 * The README blocks are compiled as ES modules (fragments such as `await cs.listen(...)` use
 * top-level await; the two quickstarts, which must run anywhere, are also run in CommonJS and
 * ESM projects by pack.test.ts) with `ocpp-sdk` mapped to src/index.ts (and `ocpp-sdk/redis`, `ocpp-sdk/testing` to their src/ folders). Fragments lean on names
 * the text around them introduces (`cs`, `station`, `passwords`, ...): those are declared once,
 * below, with the types the text gives them; a fragment that imports nothing gets the two
 * classes imported.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readmeSnippets } from './readme';

const ROOT = path.resolve(__dirname, '..', '..');

test('npm run docs: typedoc builds the API reference with no warning: its own index page, the guides rendered, exports grouped by topic', (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'ocpp-sdk-docs-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const typedoc = path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
  const r = spawnSync(process.execPath, [typedoc, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, output);
  assert.doesNotMatch(output, /\[warning\]|\[error\]/, output);

  // The index is docs/index.md: one title, no contributor commands, links to rendered guides.
  const index = readFileSync(path.join(out, 'index.html'), 'utf8');
  const titles = [...index.matchAll(/<h1[^>]*>(.*?)<\/h1>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
  assert.deepEqual(titles, ['ocpp-sdk']);
  const indexText = index.replace(/<[^>]+>/g, '');
  assert.ok(indexText.includes('npm install ocpp-sdk'), 'the index does not show the install command');
  assert.ok(!indexText.includes('npm ci'), 'the index shows contributor commands');
  for (const page of ['documents/README.html', 'documents/RELIABILITY.html', 'documents/bench_RESULTS.html', 'documents/CHANGELOG.html']) {
    assert.ok(existsSync(path.join(out, page)), `${page} was not rendered`);
    assert.ok(index.includes(`href="${page}"`), `the index does not link ${page}`);
  }
  // Relative links to files that are not documents are copied raw into media/: none may be,
  // except images, which the pages show (the README's screenshot of the CSMS example).
  const media = existsSync(path.join(out, 'media')) ? readdirSync(path.join(out, 'media')) : [];
  assert.deepEqual(
    media.filter((f) => !/\.(png|jpe?g|svg|webp)$/.test(f)),
    [],
  );
  const readme = readFileSync(path.join(out, 'documents/README.html'), 'utf8');
  assert.ok(readme.includes('href="RELIABILITY.html"'), 'the README page does not link the rendered RELIABILITY.md');
  assert.ok(readme.includes('href="bench_RESULTS.html"'), 'the README page does not link the rendered bench/RESULTS.md');

  // Every export is in a topic (docs/typedoc-categories.mjs or its own @category): no "Other".
  const modules = readFileSync(path.join(out, 'modules.html'), 'utf8');
  const sections = [...modules.matchAll(/<h2[^>]*>(.*?)<\/h2>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
  for (const topic of ['Guides', 'Central system (server)', 'Charge point (client)', 'OCPP messages and actions', 'Errors', 'Framing core', 'Testing'])
    assert.ok(sections.includes(topic), `no "${topic}" in ${sections.join(', ')}`);
  assert.ok(!sections.includes('Other'), `some exports have no topic: add a rule to docs/typedoc-categories.mjs or a @category tag`);
  // The test kit is a module of its own, its exports sorted into its own topics.
  const testing = readFileSync(path.join(out, 'modules/ocpp-sdk_testing.html'), 'utf8');
  const kitSections = [...testing.matchAll(/<h2[^>]*>(.*?)<\/h2>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
  for (const topic of ['Test central system', 'Test charge point', 'Expectations', 'Matchers', 'Transcripts and failures', 'Scenarios'])
    assert.ok(kitSections.includes(topic), `no "${topic}" in ocpp-sdk/testing: ${kitSections.join(', ')}`);
  assert.ok(!kitSections.includes('Other'), 'some ocpp-sdk/testing exports have no topic: add a rule to TESTING_CATEGORY_RULES');
});

/** The names README fragments use without defining them, typed as the surrounding text says. */
const AMBIENT = `import type { CentralSystem, ChargePoint, Station } from 'ocpp-sdk';
declare global {
  const cs: CentralSystem<'ocpp2.0.1' | 'ocpp1.6'>;
  const station: Station<'ocpp1.6'>;
  const cp: ChargePoint<'ocpp1.6'>;
  const passwords: Map<string, string>;
  const key: string;
  const cert: string;
}
export {};
`;

test('every TypeScript block of README.md compiles (strict) against the SDK', (t) => {
  const snippets = readmeSnippets(ROOT).filter((s) => s.lang === 'ts' || s.lang === 'typescript');
  assert.ok(snippets.length >= 5, `only ${snippets.length} TypeScript blocks found in README.md`);
  const dir = mkdtempSync(path.join(tmpdir(), 'ocpp-sdk-readme-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files: string[] = ['ambient.d.ts'];
  const origin = new Map<string, string>();
  writeFileSync(path.join(dir, 'ambient.d.ts'), AMBIENT);
  for (const snippet of snippets) {
    const name = `readme-line-${snippet.line}.mts`;
    const imports = /^import\s/m.test(snippet.code) ? '' : "import { CentralSystem, ChargePoint } from 'ocpp-sdk';\n";
    writeFileSync(path.join(dir, name), `${imports}${snippet.code}export {};\n`);
    files.push(name);
    origin.set(name, `README.md line ${snippet.line} (## ${snippet.section})`);
  }
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules/@types')],
        // The subpath, and the Redis clients its snippets use (installed here as devDependencies).
        paths: {
          'ocpp-sdk': [path.join(ROOT, 'src/index.ts')],
          'ocpp-sdk/redis': [path.join(ROOT, 'src/redis/index.ts')],
          'ocpp-sdk/testing': [path.join(ROOT, 'src/testing/index.ts')],
          redis: [path.join(ROOT, 'node_modules/redis/dist/index.d.ts')],
          ioredis: [path.join(ROOT, 'node_modules/ioredis/built/index.d.ts')],
        },
      },
      files,
    }),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  // Name the README line, not the temporary file, in what a failure prints.
  const output = `${r.stdout}\n${r.stderr}`.replace(/readme-line-\d+\.mts/g, (f) => origin.get(f) ?? f);
  assert.equal(r.status, 0, output);
});
