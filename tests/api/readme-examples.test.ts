/**
 * The README's curl examples, run as pasted against a test server: only the
 * host is rewritten. Each paragraph of the examples block (commands between
 * blank lines) runs in bash with -e and pipefail; curl's -f turns an HTTP
 * error into a failure.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synonymsFileSchema } from '../../config/data.js';
import { adminToken, repoRoot, startTestServer, type TestServer } from './helpers.js';

const run = promisify(execFile);

async function readExamples(): Promise<string[]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- curl-examples:start -->\s*```sh\n([\s\S]*?)```\s*<!-- curl-examples:end -->/u.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no curl-examples block');
  return block
    .split(/\n\s*\n/u)
    .map((p) => p.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n').trim())
    .filter((p) => p !== '');
}

describe('README curl examples', () => {
  let server: TestServer;
  let cwd: string;
  let examples: string[];
  const outputs: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: adminToken });
    cwd = await mkdtemp(join(tmpdir(), 'dangjian-readme-'));
    examples = await readExamples();
    for (const example of examples) {
      const script = `set -eo pipefail\n${example.replaceAll('http://127.0.0.1:3000', server.url)}`;
      const { stdout } = await run('bash', ['-c', script], { cwd, env: { PATH: process.env['PATH'] ?? '', ADMIN_TOKEN: adminToken } });
      outputs.push(stdout);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('every example is curl, and no URL carries raw non-ASCII text', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      expect(example).toMatch(/\bcurl -fsS\b/u);
      expect(example).not.toMatch(/https?:\/\/[^\s'"]*[^ -~]/u);
    }
  });

  it('the filtered search and the completions answer', () => {
    expect(JSON.parse(outputs[0] ?? '')).toHaveProperty('hits');
    expect((JSON.parse(outputs[1] ?? '') as { suggestions: unknown[] }).suggestions.length).toBeGreaterThan(0);
  });

  it('both batch examples add every article', () => {
    for (const output of [outputs[2], outputs[3]]) {
      const body = JSON.parse(output ?? '') as { items: { status: number }[]; failed: number };
      expect(body.failed).toBe(0);
      expect(body.items.every((i) => i.status === 201 || i.status === 200)).toBe(true);
    }
  });

  it('the synonym example changes the next search and exports the file', async () => {
    const output = outputs[4] ?? '';
    expect(output).toContain('"groups":[["无人机","飞行器"]]');
    expect(output).toContain('滨江县人民医院“党建+');
    const file = synonymsFileSchema.parse(JSON.parse(await readFile(join(cwd, 'synonyms.json'), 'utf8')));
    expect(file.groups).toEqual([['无人机', '飞行器']]);
  });
});
