/**
 * The API reference builds without a warning: typedoc.json sets treatWarningsAsErrors, so an
 * export without TSDoc links, or a public type that references an unexported one, fails here
 * rather than on release day. (`npm run docs` writes the HTML; this run emits nothing.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');

test('npm run docs: typedoc builds the API reference from src/index.ts with no warning', () => {
  const typedoc = path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
  const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, output);
  assert.doesNotMatch(output, /\[warning\]|\[error\]/, output);
});
