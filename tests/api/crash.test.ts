/**
 * The server as a separate process (`node --import tsx service/main.ts`):
 * an article acknowledged with 201 survives `kill -9`, and SIGTERM stops the
 * process cleanly.
 */
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { adminToken, makeTempDirs, postJson, spawnServer, waitFor, type ChildServer, type TempDirs } from './helpers.js';

let running: ChildServer | undefined;
let dirs: TempDirs | undefined;

afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  running = undefined;
  await dirs?.remove();
  dirs = undefined;
});

describe('process lifecycle', () => {
  it('an article acknowledged with 201 is still searchable after kill -9 and a restart', async () => {
    dirs = await makeTempDirs();
    const vars = { CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir, ADMIN_TOKEN: adminToken };
    running = await spawnServer(vars);
    const res = await postJson(`${running.url}/v1/articles`, {
      url: 'https://www.binjiang-hospital.example/news/2024/0520.html',
      title: '滨江县人民医院开展“红色血库”党员献血活动',
      text: '滨江县人民医院党委组织“红色血库”党员无偿献血活动，六十余名党员参加，献血量达两万毫升。医院第三党支部书记带头献血。',
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    running.child.kill('SIGKILL');
    expect((await running.exited).signal).toBe('SIGKILL');

    running = await spawnServer(vars);
    // The index itself kept the write: the restart found nothing to re-index (the corpus file alone would hide a lost write).
    // An existing index serves at once; the corpus check that proves it finishes behind it.
    const server = running;
    const indexed = await waitFor('the start-up corpus check', () =>
      Promise.resolve(
        server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg: string; indexed?: number; unchanged?: number })
          .find((l) => l.msg === 'corpus indexed'),
      ),
    );
    const seeds = (await readdir(dirs.corpusDir)).filter((f) => f.endsWith('.txt')).length;
    expect(indexed).toMatchObject({ indexed: 0, unchanged: seeds + 1 });
    const search = await fetch(`${running.url}/v1/search?q=${encodeURIComponent('红色血库')}`);
    const body = (await search.json()) as { hits: { id: string }[] };
    expect(body.hits.map((h) => h.id)).toContain(id);
    expect((await fetch(`${running.url}/v1/articles/${id}`)).status).toBe(200);
  }, 240_000);

  it('SIGTERM shuts down cleanly: exit code 0 after closing the index', async () => {
    dirs = await makeTempDirs();
    running = await spawnServer({ CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    running.child.kill('SIGTERM');
    const exit = await running.exited;
    expect(exit.code).toBe(0);
    const messages = running
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toEqual(expect.arrayContaining(['signal received', 'stopped']));
  }, 240_000);
});
