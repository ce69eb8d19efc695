/**
 * Synonyms and dictionary words added at run time, on top of the shipped
 * config/data files (which stay the defaults and are always in force), and
 * the background tasks that apply a change to the index.
 */
import { Hono } from 'hono';
import { requestLogger, type AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { formatDictionaryText, formatSynonymsFile } from '../analysis/overrides-store.js';
import { RunTimeAnalysis } from '../analysis/run-time-analysis.js';
import { requireJson, limitBody } from '../middleware/body-guards.js';
import { validate } from '../middleware/validate.js';
import type { ApiOperation } from '../openapi.js';
import {
  analysisTaskSchema,
  dictionaryInputSchema,
  dictionaryResponseSchema,
  emptyQuerySchema,
  limits,
  synonymsInputSchema,
  synonymsResponseSchema,
  taskIdParamsSchema,
} from '../schemas.js';
import { sharedBuildPool } from '../../indexer/build-pool.js';
import type { RouteDeps } from './deps.js';

const adminErrors = ['unauthorized', 'admin_disabled', 'rate_limited', 'not_ready', 'engine_unavailable'] as const;
const changeErrors = ['validation_failed', ...adminErrors, 'payload_too_large', 'unsupported_media_type'] as const;
const taskHeader = { Location: 'URL of the task (GET /v1/admin/tasks/{id}).' };

export const analysisOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/admin/synonyms',
    operationId: 'getSynonyms',
    tag: 'admin',
    summary: 'The synonyms added at run time',
    description: 'Groups and one-way expansions in force on top of config/data/synonyms.json (whose entries always apply and are only counted here).',
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'The added synonyms.', schema: synonymsResponseSchema } },
    errors: ['validation_failed', ...adminErrors],
  },
  {
    method: 'put',
    path: '/v1/admin/synonyms',
    operationId: 'putSynonyms',
    tag: 'admin',
    summary: 'Replace the synonyms added at run time',
    description:
      'Stored under DATA_DIR and in force for queries at once. Forms become words the segmenter keeps whole, so the documents containing an added or removed form are segmented again in the background (see `task`); searches keep being answered meanwhile. With Meilisearch the engine settings are updated too.',
    query: emptyQuerySchema,
    body: synonymsInputSchema,
    admin: true,
    responses: { 202: { description: 'Stored; the re-segmentation runs in the background.', schema: synonymsResponseSchema, headers: taskHeader } },
    errors: [...changeErrors],
  },
  {
    method: 'get',
    path: '/v1/admin/synonyms/export',
    operationId: 'exportSynonyms',
    tag: 'admin',
    summary: 'The added synonyms as a file in the format of config/data/synonyms.json',
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'synonyms.json', contentType: 'application/json; charset=utf-8' } },
    errors: ['validation_failed', ...adminErrors],
  },
  {
    method: 'get',
    path: '/v1/admin/dictionary',
    operationId: 'getDictionary',
    tag: 'admin',
    summary: 'The dictionary words added at run time',
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'The added words.', schema: dictionaryResponseSchema } },
    errors: ['validation_failed', ...adminErrors],
  },
  {
    method: 'put',
    path: '/v1/admin/dictionary',
    operationId: 'putDictionary',
    tag: 'admin',
    summary: 'Replace the dictionary words added at run time',
    description:
      'Words (with an optional jieba frequency and part-of-speech tag) the segmenter keeps whole, on top of config/data/dictionary.txt. Documents containing an added or removed word are segmented again in the background.',
    query: emptyQuerySchema,
    body: dictionaryInputSchema,
    admin: true,
    responses: { 202: { description: 'Stored; the re-segmentation runs in the background.', schema: dictionaryResponseSchema, headers: taskHeader } },
    errors: [...changeErrors],
  },
  {
    method: 'get',
    path: '/v1/admin/dictionary/export',
    operationId: 'exportDictionary',
    tag: 'admin',
    summary: 'The added words as a file in the format of config/data/dictionary.txt',
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'dictionary.txt', contentType: 'text/plain; charset=utf-8' } },
    errors: ['validation_failed', ...adminErrors],
  },
  {
    method: 'get',
    path: '/v1/admin/tasks/:id',
    operationId: 'getTask',
    tag: 'admin',
    summary: 'Progress of a background task (re-segmentation after a synonym or dictionary change)',
    params: taskIdParamsSchema,
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'The task.', schema: analysisTaskSchema } },
    errors: ['validation_failed', ...adminErrors, 'not_found'],
  },
];

export function createAnalysisRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analysis = new RunTimeAnalysis({
    engine: deps.engine,
    writes: deps.writes,
    dir: deps.analysisDir,
    pool: sharedBuildPool(),
  });
  const taskUrl = (id: string): string => `/v1/admin/tasks/${encodeURIComponent(id)}`;

  app.get('/v1/admin/synonyms', deps.adminGuard, validate('query', emptyQuerySchema), (c) => {
    const shipped = analysis.shipped();
    return c.json({ ...analysis.synonyms(), shipped: { groups: shipped.groups, oneWay: shipped.oneWay } }, 200);
  });

  app.put(
    '/v1/admin/synonyms',
    deps.adminGuard,
    requireJson(),
    limitBody(limits.bodyBytes),
    validate('query', emptyQuerySchema),
    validate('json', synonymsInputSchema),
    async (c) => {
      const task = await analysis.setSynonyms(c.req.valid('json'));
      const shipped = analysis.shipped();
      requestLogger(c).info({ taskId: task.id, words: task.words }, 'synonyms changed');
      c.header('Location', taskUrl(task.id));
      return c.json({ ...analysis.synonyms(), shipped: { groups: shipped.groups, oneWay: shipped.oneWay }, task }, 202);
    },
  );

  app.get('/v1/admin/synonyms/export', deps.adminGuard, validate('query', emptyQuerySchema), (c) => {
    c.header('Content-Type', 'application/json; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="synonyms.json"');
    return c.body(formatSynonymsFile(analysis.synonyms()), 200);
  });

  app.get('/v1/admin/dictionary', deps.adminGuard, validate('query', emptyQuerySchema), (c) =>
    c.json({ words: analysis.dictionary(), shipped: analysis.shipped().dictionary }, 200),
  );

  app.put(
    '/v1/admin/dictionary',
    deps.adminGuard,
    requireJson(),
    limitBody(limits.bodyBytes),
    validate('query', emptyQuerySchema),
    validate('json', dictionaryInputSchema),
    async (c) => {
      const task = await analysis.setDictionary(c.req.valid('json').words);
      requestLogger(c).info({ taskId: task.id, words: task.words }, 'dictionary changed');
      c.header('Location', taskUrl(task.id));
      return c.json({ words: analysis.dictionary(), shipped: analysis.shipped().dictionary, task }, 202);
    },
  );

  app.get('/v1/admin/dictionary/export', deps.adminGuard, validate('query', emptyQuerySchema), (c) => {
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="dictionary.txt"');
    return c.body(formatDictionaryText(analysis.dictionary()), 200);
  });

  app.get('/v1/admin/tasks/:id', deps.adminGuard, validate('param', taskIdParamsSchema), validate('query', emptyQuerySchema), (c) => {
    const { id } = c.req.valid('param');
    const task = analysis.task(id);
    if (!task) throw new ApiError('not_found', `No task with id "${id}".`, { field: 'id' });
    return c.json(task, 200);
  });
  return app;
}
