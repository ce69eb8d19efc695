/**
 * A read worker (see read-pool.ts): the embedded engine opened read-only as
 * a follower, answering the reads the serving thread posts, in order, and
 * applying the writer's notices between them. A second after the last
 * notice, and when asked to close, it saves the columns they built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isEngineError, DocumentNotFoundError } from '../errors.js';
import type { ReadCalls, ReadWorkerData, ReadWorkerMessage, ReadWorkerReply } from './read-pool.js';
import { SqliteEngine } from './sqlite-engine.js';

const port = parentPort;
if (!port) throw new Error('read-worker runs as a worker thread');
const data = workerData as ReadWorkerData;
const engine = new SqliteEngine({
  dataDir: data.dataDir,
  fileName: data.fileName,
  resultCacheSize: data.resultCacheSize,
  follower: true,
  ...(data.termSetMinRows !== undefined ? { termSetMinRows: data.termSetMinRows } : {}),
});

function send(reply: ReadWorkerReply): void {
  port?.postMessage(reply);
}

async function answer(message: Extract<ReadWorkerMessage, { kind: 'read' }>): Promise<void> {
  try {
    if (message.deadline !== undefined && Date.now() > message.deadline) {
      send({ kind: 'answer', id: message.id, ok: false, code: 'engine_timeout', message: 'the read waited past its deadline' });
      return;
    }
    let value: unknown;
    switch (message.op) {
      case 'search':
        value = await engine.search(message.args as ReadCalls['search']);
        break;
      case 'related':
        value = await engine.related(message.args as ReadCalls['related']);
        break;
      case 'suggest':
        value = await engine.suggest(message.args as ReadCalls['suggest']);
        break;
      case 'facetValues':
        value = await engine.facetValues(message.args as ReadCalls['facetValues']);
        break;
    }
    send({ kind: 'answer', id: message.id, ok: true, value });
  } catch (error) {
    const code = isEngineError(error) ? error.code : 'engine_query_failed';
    const text = error instanceof Error ? error.message : String(error);
    const reply: ReadWorkerReply = { kind: 'answer', id: message.id, ok: false, code, message: text };
    if (error instanceof DocumentNotFoundError) reply.documentId = error.documentId;
    send(reply);
  }
}

// Saving takes ~0.3 s at 100k articles: after a burst of writes, not after each.
const saveDelayMs = 1_000;
let saveTimer: NodeJS.Timeout | null = null;

function saveLater(): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    engine.saveFollowedColumns();
  }, saveDelayMs);
  saveTimer.unref();
}

port.on('message', (message: ReadWorkerMessage) => {
  if (message.kind === 'notice') {
    engine.applyNotice(message.notice);
    saveLater();
  } else if (message.kind === 'close') {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    engine.saveFollowedColumns();
    send({ kind: 'closed' });
  } else void answer(message);
});

engine.init().then(
  () => send({ kind: 'ready' }),
  (error: unknown) =>
    send({
      kind: 'failed',
      code: isEngineError(error) ? error.code : 'engine_unavailable',
      message: error instanceof Error ? error.message : String(error),
    }),
);
