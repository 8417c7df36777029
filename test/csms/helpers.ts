/**
 * Starting the CSMS example for a test: on port 0, with a database in a temporary folder that
 * close() removes. The example's own dependencies (examples/csms/node_modules) must be
 * installed: `npm test` does it first (scripts/run-tests.js runs examples/csms/start.js
 * --install-only); to run one of these files alone, run that or `npm run csms` once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCsms, type Csms } from '../../examples/csms/app';
import type { CsmsConfig } from '../../examples/csms/config';
import type { ErrorBody } from '../../examples/csms/web/errors';

export const ROOT = resolve(__dirname, '../..');
export const ADMIN = { username: 'admin', password: 'admin-password-1' };
export const USER = { username: 'user', password: 'user-password-1' };

export interface TestCsms extends Csms {
  dir: string;
  /** fetch against the CSMS with `as`'s Basic credentials (none: unauthenticated). */
  /** The JSON answer is typed as the caller says (`T`); a test that reads it wrongly fails. */
  request<T = ErrorBody>(
    method: string,
    path: string,
    options?: { body?: unknown; as?: { username: string; password: string } | null },
  ): Promise<{ status: number; json: T; text: string }>;
}

export async function startTestCsms(options: Partial<CsmsConfig> = {}): Promise<TestCsms> {
  const dir = mkdtempSync(join(tmpdir(), 'csms-test-'));
  const csms = await startCsms({
    ocppPort: 0,
    httpPort: 0,
    host: '127.0.0.1',
    db: join(dir, 'csms.sqlite'),
    adminPassword: ADMIN.password,
    userPassword: USER.password,
    callTimeoutMs: 2000,
    ...options,
  });
  return {
    ...csms,
    dir,
    async request<T>(method: string, path: string, { body, as = ADMIN }: { body?: unknown; as?: { username: string; password: string } | null } = {}) {
      const headers: Record<string, string> = {};
      if (as) headers.authorization = `Basic ${Buffer.from(`${as.username}:${as.password}`).toString('base64')}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${csms.httpUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json: json as T, text };
    },
    async close() {
      await csms.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
