/**
 * /openapi.json, generated from the zod schemas the routes validate with.
 * Each route file describes its operations (`ApiOperation`) next to the
 * handlers that use the same schema objects; tests/api check that every
 * registered route is described.
 */
import { z } from 'zod';
import { apiRegistry, errorBodySchema, repeatableParams } from './schemas.js';
import { errorStatuses, type ErrorCode } from './errors.js';

type JsonSchema = Record<string, unknown>;

export interface ApiResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** Other media types the same answer can come as (chosen by a parameter), with when. */
  alsoAs?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Hono pattern: `/v1/articles/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'search' | 'articles' | 'admin' | 'operations' | 'documentation' | 'pages';
  query?: z.ZodObject;
  params?: z.ZodObject;
  body?: z.ZodType;
  /** Media types accepted besides application/json (plain text bodies), with what they hold. */
  bodyTypes?: Record<string, string>;
  /** Requires the admin bearer token. */
  admin?: boolean;
  /** Accepts a site key. */
  siteKey?: boolean;
  /** Other security requirements (OpenAPI form), for routes that are neither admin nor site-key routes. */
  security?: Array<Record<string, string[]>>;
  responses: Record<number, ApiResponseSpec>;
  /**
   * Error codes this operation can answer with besides 500 and those its
   * shape implies (see impliedErrors): not_found for an id, conflict…
   */
  errors?: ErrorCode[];
  /** Example values for the reference's request forms ("try it"): query parameters by name, and a body. */
  examples?: { query?: Record<string, string | number | boolean | string[]>; body?: unknown };
}

const componentRef = (id: string): string => `#/components/schemas/${id}`;

/** Embedded schemas take the document's dialect: drop the standalone-schema keywords. */
function clean(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

type Components = Record<string, JsonSchema>;

function componentsOf(io: 'input' | 'output'): Components {
  const { schemas } = z.toJSONSchema(apiRegistry, { io, target: 'draft-2020-12', uri: componentRef, unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, clean(s as JsonSchema)]));
}

/**
 * A registered schema becomes a $ref to its component, which describes
 * responses (the output form). A request body whose input form differs (a
 * field with a default is optional to send but always present once parsed)
 * gets its input form inline. Anything else is inlined.
 */
function schemaFor(schema: z.ZodType, io: 'input' | 'output', components?: { input: Components; output: Components }): JsonSchema {
  const meta = apiRegistry.get(schema);
  if (meta) {
    const input = io === 'input' ? components?.input[meta.id] : undefined;
    if (input && JSON.stringify(input) !== JSON.stringify(components?.output[meta.id])) return input;
    return { $ref: componentRef(meta.id) };
  }
  return clean(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }));
}

export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/gu, '{$1}');
}

function describeParameter(name: string, field: z.ZodType, location: 'query' | 'path', example: unknown): JsonSchema {
  // Query parameters are documented by the type they parse into (integer,
  // boolean, array of strings), which is how OpenAPI describes serialised values.
  const json = clean(z.toJSONSchema(field, { io: 'output', unrepresentable: 'any' }));
  const { description, ...schema } = json;
  const optional = field.safeParse(undefined).success;
  const parameter: JsonSchema = {
    name,
    in: location,
    required: location === 'path' ? true : !optional,
    schema,
  };
  if (typeof description === 'string') parameter['description'] = description;
  if (example !== undefined) parameter['example'] = example;
  if (repeatableParams.has(field)) {
    parameter['style'] = 'form';
    parameter['explode'] = true;
  }
  return parameter;
}

function describeParameters(operation: ApiOperation): JsonSchema[] {
  const out: JsonSchema[] = [];
  const example = (name: string): unknown => operation.examples?.query?.[name];
  for (const [name, field] of Object.entries(operation.params?.shape ?? {})) {
    out.push(describeParameter(name, field as z.ZodType, 'path', example(name)));
  }
  for (const [name, field] of Object.entries(operation.query?.shape ?? {})) {
    // The site key's `key` parameter is described as a security scheme
    // (siteKeyQuery), beside the header: listed twice, a form would send it twice.
    if (operation.siteKey && name === siteKeyQueryName) continue;
    out.push(describeParameter(name, field as z.ZodType, 'query', example(name)));
  }
  return out;
}

const siteKeyQueryName = 'key';

/**
 * Errors an operation can answer with because of where and what it is, from
 * the middleware app.ts puts in front of it: every /v1 route is rate limited
 * per address and gated on readiness, and refuses writes on a READ_ONLY
 * instance; validated parameters and bodies can be invalid; bodies can be
 * too large or of the wrong type; the admin token and the site key can be
 * missing or wrong.
 */
function impliedErrors(operation: ApiOperation): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (operation.path.startsWith('/v1/')) {
    codes.push('rate_limited', 'not_ready');
    if (operation.method !== 'get') codes.push('read_only');
  }
  if (operation.query || operation.params) codes.push('validation_failed');
  if (operation.body) codes.push('validation_failed', 'payload_too_large', 'unsupported_media_type');
  if (operation.admin) codes.push('unauthorized', 'admin_disabled');
  // A key given twice, or in the header and the parameter with two values, is a 400.
  if (operation.siteKey) codes.push('invalid_site_key', 'validation_failed', 'rate_limited');
  return codes;
}

/** What each error code's example reply says: the service's own messages. */
const errorExamples: Partial<Record<ErrorCode, { message: string; field?: string }>> = {
  validation_failed: { message: 'Unknown query parameter "pagesize".', field: 'pagesize' },
  too_little_text: { message: '`text` holds no article text once cleaned', field: 'text' },
  unauthorized: { message: 'Admin routes need the header Authorization: Bearer <ADMIN_TOKEN>.' },
  invalid_site_key: { message: 'Unknown site key.', field: 'key' },
  admin_disabled: {
    message:
      'Admin routes are disabled. Set ADMIN_TOKEN (a random secret of at least 16 characters) in the environment and restart the service to enable them.',
  },
  origin_not_allowed: { message: 'This origin is not allowed to call the API (see CORS_ORIGINS).' },
  not_found: { message: 'No article with id "a1b2c3".', field: 'id' },
  read_only: { message: 'This instance serves the index read-only (READ_ONLY=true); send writes to the writing instance.' },
  conflict: { message: 'A rebuild is already running.' },
  payload_too_large: { message: 'The request body is too large (limit 2 MB).' },
  unsupported_media_type: { message: 'Send the body as JSON with Content-Type: application/json.', field: 'Content-Type' },
  rate_limited: { message: 'Too many requests from this address. Retry after 12 s.' },
  insufficient_storage: { message: 'The disk is full: the write was not kept. Try again once space is freed.' },
  not_ready: { message: 'The service is not ready (indexing the corpus). Try again shortly.' },
  engine_unavailable: { message: 'The search engine is unavailable. Try again shortly.' },
  timeout: { message: 'The search took too long. Try fewer or more specific words.' },
  internal_error: { message: 'Internal error. The request id in the X-Request-Id header identifies it in the server log.' },
};

const errorDescriptions: Record<number, string> = {
  400: 'Validation failed: `error.field` names the parameter or field at fault.',
  401: 'Not authenticated.',
  403: 'Forbidden.',
  404: 'Not found.',
  405: 'Read-only instance (READ_ONLY=true): send writes to the writing instance; `Allow` lists the methods served.',
  409: 'Conflict.',
  413: 'Request body too large.',
  415: 'Body of a type, charset or encoding not accepted.',
  429: 'Rate limited: retry after `Retry-After` seconds.',
  500: 'Internal error (details are in the server log under the request id).',
  503: 'Not ready (starting, shutting down), the search engine unavailable, or the search out of time.',
  507: 'The disk is full: nothing was kept.',
};

const retryHeader = { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } };

function describeResponses(operation: ApiOperation): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    const entry: JsonSchema = { description: spec.description };
    if (spec.schema) entry['content'] = { [spec.contentType ?? 'application/json']: { schema: schemaFor(spec.schema, 'output') } };
    else if (spec.contentType) {
      // A JSON body without a schema of its own (the OpenAPI document itself) is still an object, not a string.
      entry['content'] = { [spec.contentType]: { schema: { type: /json/u.test(spec.contentType) ? 'object' : 'string' } } };
    }
    for (const [type, description] of Object.entries(spec.alsoAs ?? {})) {
      (entry['content'] as JsonSchema)[type] = { schema: { type: 'string', description } };
    }
    if (spec.headers) {
      entry['headers'] = Object.fromEntries(
        Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
      );
    }
    responses[status] = entry;
  }
  const codesByStatus = new Map<number, ErrorCode[]>([[500, ['internal_error']]]);
  for (const code of new Set([...impliedErrors(operation), ...(operation.errors ?? [])])) {
    const status = errorStatuses[code];
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...codesByStatus].sort(([a], [b]) => a - b)) {
    const key = String(status);
    if (responses[key] !== undefined) continue;
    const examples = Object.fromEntries(
      codes.flatMap((code) => {
        // Every site-key route refuses a key given twice, whether or not it validates its other parameters.
        const example =
          code === 'validation_failed' && operation.siteKey
            ? { message: 'Invalid query parameter "key": give it once.', field: 'key' }
            : errorExamples[code];
        return example ? [[code, { value: { error: { code, ...example } } }]] : [];
      }),
    );
    const entry: JsonSchema = {
      description: `${errorDescriptions[status] ?? 'Error.'} \`error.code\`: ${codes.map((code) => `\`${code}\``).join(', ')}.`,
      content: { 'application/json': { schema: { $ref: componentRef('Error') }, ...(Object.keys(examples).length > 0 ? { examples } : {}) } },
    };
    if (status === 429 || status === 503) entry['headers'] = retryHeader;
    if (status === 405) entry['headers'] = { Allow: { description: 'The methods this instance serves.', schema: { type: 'string' } } };
    if (status === 401) entry['headers'] = { 'WWW-Authenticate': { description: 'For the admin and metrics tokens: the scheme to authenticate with (Bearer).', schema: { type: 'string' } } };
    responses[key] = entry;
  }
  return responses;
}

/** Who may call an operation: `{}` first where anonymous calls are allowed too. */
function describeSecurity(operation: ApiOperation): JsonSchema[] | undefined {
  if (operation.admin) return [{ adminToken: [] }];
  if (operation.siteKey) return [{}, { siteKeyHeader: [] }, { siteKeyQuery: [] }];
  if (operation.security) return operation.security;
  return undefined;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

export function buildOpenApiDocument(operations: readonly ApiOperation[], info: OpenApiInfo): JsonSchema {
  // Make sure the error body is emitted even if no operation names it directly.
  void errorBodySchema;
  const schemas = componentsOf('output');
  const bodyComponents = { input: componentsOf('input'), output: schemas };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const path = toOpenApiPath(op.path);
    const item: JsonSchema = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      responses: describeResponses(op),
    };
    if (op.description) item['description'] = op.description;
    const parameters = describeParameters(op);
    if (parameters.length > 0) item['parameters'] = parameters;
    if (op.body) {
      const json: JsonSchema = { schema: schemaFor(op.body, 'input', bodyComponents) };
      if (op.examples?.body !== undefined) json['example'] = op.examples.body;
      const content: JsonSchema = { 'application/json': json };
      for (const [type, description] of Object.entries(op.bodyTypes ?? {})) content[type] = { schema: { type: 'string', description } };
      item['requestBody'] = { required: true, content };
    }
    const security = describeSecurity(op);
    if (security) item['security'] = security;
    (paths[path] ??= {})[op.method] = item;
  }

  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: [
      { name: 'search', description: 'Public search API (CORS allowlist, site keys, rate limits).' },
      { name: 'articles', description: 'Public article lookups.' },
      { name: 'admin', description: 'Writes; need Authorization: Bearer <ADMIN_TOKEN>.' },
      { name: 'operations', description: 'Health, readiness and metrics.' },
      { name: 'documentation', description: 'This description and its readable form.' },
      { name: 'pages', description: 'Demo page and embeddable widget.' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        siteKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Site-Key',
          description:
            'Optional site key (SITE_KEYS_FILE) bound to one hospital: results are confined to that hospital, whatever the request asks for. An unknown or blank key is refused (401). Without a key, every hospital is searched.',
        },
        siteKeyQuery: {
          type: 'apiKey',
          in: 'query',
          name: siteKeyQueryName,
          description: 'The site key as the `key` query parameter (for links and embeds that cannot set headers). With the header too, both must be the same key.',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN configured on the server.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN configured on the server, when one is.' },
      },
    },
  };
}
