/**
 * Replies to writes sent with an `Idempotency-Key`, kept so that a client
 * retrying after a lost reply (timeout, dropped connection) gets the same
 * answer without the articles being written twice. Kept under DATA_DIR (one
 * small file per key, written atomically) so a retry after a restart is safe
 * too; without a data directory (tests building an app) they live in memory.
 * A key seen with a different body is refused: it names another request.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../indexer/ingest.js';
import { ApiError } from './errors.js';

export interface StoredReply {
  /** Digest of the request body (and its media type) the reply answered. */
  request: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Printable ASCII, as in the IETF draft's examples (UUIDs, random strings). */
const keyPattern = /^[\x21-\x7e]{1,200}$/u;
const keepMs = 24 * 60 * 60 * 1000;
const pruneEveryMs = 60 * 60 * 1000;

export function digestRequest(mediaType: string, body: string): string {
  return createHash('sha256').update(mediaType).update('\u0000').update(body).digest('hex');
}

export function checkIdempotencyKey(key: string): string {
  if (!keyPattern.test(key)) {
    throw new ApiError('validation_failed', 'Idempotency-Key must be 1 to 200 printable ASCII characters (a UUID works).', {
      field: 'Idempotency-Key',
    });
  }
  return key;
}

export class IdempotencyStore {
  private readonly memory = new Map<string, { reply: StoredReply; at: number }>();
  private lastPrune = 0;

  constructor(
    private readonly dir: string | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private fileOf(key: string): string {
    return join(this.dir ?? '', `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  /** The reply stored under `key`, or null; throws `conflict` when the key answered a different request. */
  async find(key: string, request: string): Promise<StoredReply | null> {
    let reply: StoredReply | null = null;
    if (this.dir === undefined) {
      const entry = this.memory.get(key);
      reply = entry && this.now() - entry.at < keepMs ? entry.reply : null;
    } else {
      try {
        const file = this.fileOf(key);
        if (this.now() - (await stat(file)).mtimeMs < keepMs) reply = JSON.parse(await readFile(file, 'utf8')) as StoredReply;
      } catch {
        reply = null;
      }
    }
    if (reply && reply.request !== request) {
      throw new ApiError('conflict', 'This Idempotency-Key was already used for a different request body. Use a new key for a new request.', {
        field: 'Idempotency-Key',
      });
    }
    return reply;
  }

  async save(key: string, reply: StoredReply): Promise<void> {
    if (this.dir === undefined) {
      this.memory.set(key, { reply, at: this.now() });
      return;
    }
    await writeFileAtomic(this.fileOf(key), JSON.stringify(reply));
    await this.prune();
  }

  /** Replies older than a day are dropped, at most once an hour. */
  private async prune(): Promise<void> {
    const now = this.now();
    if (this.dir === undefined || now - this.lastPrune < pruneEveryMs) return;
    this.lastPrune = now;
    for (const name of await readdir(this.dir)) {
      const file = join(this.dir, name);
      try {
        if (now - (await stat(file)).mtimeMs >= keepMs) await rm(file, { force: true });
      } catch {
        // Removed meanwhile.
      }
    }
  }
}
