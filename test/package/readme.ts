/**
 * The README's code, as the tests read it: the docs test type-checks every TypeScript block and
 * the package test runs the two quickstarts, so what users copy is what was proven.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fenced code block of README.md. */
export interface ReadmeSnippet {
  /** The `## ` heading it sits under. */
  section: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  lang: string;
  code: string;
}

/** Every fenced block of the README at `root`, in order. */
export function readmeSnippets(root: string): ReadmeSnippet[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const out: ReadmeSnippet[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    out.push({ section, line: start + 1, lang: fence[1], code: `${body.join('\n')}\n` });
  }
  return out;
}

/** The first TypeScript block under the heading `section`; throws if there is none. */
export function readmeQuickstart(root: string, section: string): string {
  const found = readmeSnippets(root).find((s) => s.section === section && s.lang === 'ts');
  if (!found) throw new Error(`README.md has no \`\`\`ts block under "## ${section}"`);
  return found.code;
}
