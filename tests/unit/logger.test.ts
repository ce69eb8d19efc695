/**
 * The service logger: credentials never reach a line, wherever a logged
 * object carries them, and lines carry ISO timestamps that move with the clock.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../service/logger.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it.each([
    ['a top-level Authorization', { authorization: 'Bearer s3cret-token' }],
    ['a header object', { headers: { Authorization: 'Bearer s3cret-token', accept: 'application/json' } }],
    ['a request with headers', { req: { headers: { authorization: 'Bearer s3cret-token' } } }],
    ['an admin token in options', { options: { adminToken: 's3cret-token' } }],
    ['the environment', { env: { ADMIN_TOKEN: 's3cret-token', METRICS_TOKEN: 's3cret-token' } }],
    ['an error carrying the token', { err: { adminToken: 's3cret-token', message: 'boom' } }],
  ])('censors %s', (_name, fields) => {
    const { stream, lines } = capture();
    createLogger({ LOG_LEVEL: 'info' }, stream).info(fields, 'event');
    const [line] = lines();
    expect(line?.['msg']).toBe('event');
    expect(JSON.stringify(line)).not.toContain('s3cret-token');
    expect(JSON.stringify(line)).toContain('[redacted]');
  });

  it('keeps what is not a credential', () => {
    const { stream, lines } = capture();
    createLogger({ LOG_LEVEL: 'info' }, stream).info({ headers: { accept: 'application/json' }, route: '/v1/search' }, 'event');
    expect(lines()[0]).toMatchObject({ headers: { accept: 'application/json' }, route: '/v1/search', service: 'dangjian-search' });
  });

  it('stamps each line with the ISO time it was written', async () => {
    const { stream, lines } = capture();
    const logger = createLogger({ LOG_LEVEL: 'info' }, stream);
    const before = Date.now();
    logger.info('first');
    await new Promise((resolve) => setTimeout(resolve, 15));
    logger.info('second');
    const after = Date.now();
    const times = lines().map((l) => Date.parse(String(l['time'])));
    expect(lines().map((l) => l['time'])).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u), expect.stringMatching(/Z$/u)]);
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times[1]).toBeGreaterThanOrEqual((times[0] ?? 0) + 10);
    expect(times[1]).toBeLessThanOrEqual(after);
  });
});
