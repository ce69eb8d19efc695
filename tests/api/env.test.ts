import { describe, expect, it } from 'vitest';
import { EnvError, engineConfigFromEnv, loadEnv } from '../../config/env.js';

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadEnv', () => {
  it('gives defaults that make `npm start` work with an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      CORPUS_DIR: './corpus',
      DATA_DIR: './data',
      ENGINE: 'sqlite',
      MEILI_INDEX: 'articles',
      CORS_ORIGINS: [],
      LOG_LEVEL: 'info',
      TRUST_PROXY: false,
    });
    expect(env.ADMIN_TOKEN).toBeUndefined();
    expect(env.SITE_KEYS_FILE).toBeUndefined();
    expect(env.RATE_LIMIT_IP_PER_MINUTE).toBeGreaterThan(0);
  });

  it('lists every problem at once, not just the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      ENGINE: 'meilisearch',
      ADMIN_TOKEN: 'short',
      CORS_ORIGINS: 'https://hospital.example.org/path',
      LOG_LEVEL: 'loud',
      RATE_LIMIT_IP_BURST: '0',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining(['PORT', 'MEILI_URL', 'ADMIN_TOKEN', 'CORS_ORIGINS', 'LOG_LEVEL', 'RATE_LIMIT_IP_BURST']),
    );
    expect(problems).toHaveLength(6);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['ENGINE', 'elastic'],
    ['MEILI_URL', 'ftp://127.0.0.1:7700'],
    ['MEILI_INDEX', 'has space'],
    ['TRUST_PROXY', 'yes'],
    ['CORS_ORIGINS', 'hospital.example.org'],
    ['CORS_ORIGINS', 'https://a.example.org/'],
  ])('rejects %s=%s', (name, value) => {
    expect(problemsOf({ [name]: value }).map((p) => p.split(':')[0])).toContain(name);
  });

  it('parses the CORS allowlist as a comma list and treats empty values as unset', () => {
    const env = loadEnv({ CORS_ORIGINS: ' https://www.hospital-a.cn, http://127.0.0.1:8080 ,,', PORT: '', ADMIN_TOKEN: '  ' });
    expect(env.CORS_ORIGINS).toEqual(['https://www.hospital-a.cn', 'http://127.0.0.1:8080']);
    expect(env.PORT).toBe(3000);
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it('turns the engine variables into the engine factory config', () => {
    expect(engineConfigFromEnv(loadEnv({ DATA_DIR: '/var/lib/search' }))).toEqual({ engine: 'sqlite', dataDir: '/var/lib/search' });
    expect(
      engineConfigFromEnv(loadEnv({ ENGINE: 'meilisearch', MEILI_URL: 'http://127.0.0.1:7700', MEILI_API_KEY: 'k', MEILI_INDEX: 'news' })),
    ).toEqual({ engine: 'meilisearch', url: 'http://127.0.0.1:7700', apiKey: 'k', index: 'news' });
  });
});
