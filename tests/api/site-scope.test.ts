/**
 * A site key confines every public answer to its hospital: suggestions too,
 * and a blank key is refused rather than read as "no key".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, getJson, makeTempDirs, postJson, startTestServer, type ErrorBody, type TestServer } from './helpers.js';

let server: TestServer;
const key = 'mengyin-site-2024';

interface SuggestBody {
  suggestions: Array<{ text: string; kind: string }>;
}

beforeAll(async () => {
  const dirs = await makeTempDirs();
  const keysFile = join(dirs.root, 'site-keys.json');
  await writeFile(keysFile, JSON.stringify([{ key, hospital: '蒙阴县人民医院' }]));
  server = await startTestServer({ ADMIN_TOKEN: adminToken, SITE_KEYS_FILE: keysFile, RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_KEY_PER_MINUTE: '0' }, { dirs });
  const articles = [
    {
      url: 'https://www.mengyin-hospital.example/news/1.html',
      title: '蒙阴县人民医院与北京大学第三医院开展对口帮扶',
      text: '蒙阴县人民医院党委与北京大学第三医院专家团队座谈，双方围绕学科建设和党建共建交流经验，蒙阴县人民医院党员代表参加。',
      hospital: '蒙阴县人民医院',
    },
    {
      url: 'https://www.puh3.example/news/2.html',
      title: '北医三院召开北极星计划党员大会',
      text: '北京大学第三医院党委召开北极星计划党员大会，北医三院各党支部书记汇报北极星计划进展。',
      hospital: '北京大学第三医院',
    },
  ];
  for (const article of articles) expect((await postJson(`${server.url}/v1/articles`, article)).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await server.stop();
  await server.dirs.remove();
});

async function suggest(q: string, headers: Record<string, string> = {}, query = ''): Promise<SuggestBody['suggestions']> {
  const res = await getJson<SuggestBody>(`${server.url}/v1/suggest?q=${encodeURIComponent(q)}${query}`, { headers });
  expect(res.status).toBe(200);
  return res.body.suggestions;
}

describe('suggestions under a site key', () => {
  it('without a key, other hospitals and their terms are suggested (the data is there)', async () => {
    const texts = (await suggest('北')).map((s) => s.text);
    expect(texts.some((t) => t.includes('北京大学第三医院') || t.includes('北医三院'))).toBe(true);
    expect(texts.some((t) => t.includes('北极星'))).toBe(true);
  });

  it.each([['北'], ['bysy'], ['beiyi'], ['北极']])('%s suggests nothing from other hospitals', async (q) => {
    // The scope's own article names 北京大学第三医院 (a word of its text); only the other hospital's articles say 北医三院 and 北极星.
    const suggestions = await suggest(q, { 'X-Site-Key': key });
    for (const { text, kind } of suggestions) {
      expect(text).not.toContain('北医三院');
      expect(text).not.toContain('北极星');
      if (kind === 'hospital') expect(text).toBe('蒙阴县人民医院');
    }
  });

  it('still suggests what the scope holds', async () => {
    const suggestions = await suggest('蒙阴', { 'X-Site-Key': key });
    expect(suggestions.some((s) => s.kind === 'hospital' && s.text === '蒙阴县人民医院')).toBe(true);
    expect(suggestions.some((s) => s.kind === 'title')).toBe(true);
  });
});

describe('a blank site key', () => {
  it.each([
    ['an empty header', { 'X-Site-Key': '' }, ''],
    ['a blank header', { 'X-Site-Key': '   ' }, ''],
    ['an empty header beside a valid key parameter', { 'X-Site-Key': '' }, `&key=${key}`],
    ['an empty key parameter', {}, '&key='],
  ])('is refused with 401: %s', async (_, headers, query) => {
    const res = await getJson<ErrorBody>(`${server.url}/v1/search?q=${encodeURIComponent('党建')}${query}`, { headers });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_site_key');
  });

  it('no key at all still searches every hospital', async () => {
    expect((await getJson(`${server.url}/v1/search?q=${encodeURIComponent('党建')}`)).status).toBe(200);
  });
});
