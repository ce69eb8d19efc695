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
  responses: Record<number, ApiResponseSpec>;
  /** Error codes this operation can answer with (besides 500). */
  errors?: ErrorCode[];
}

const componentRef = (id: string): string => `#/components/schemas/${id}`;

/** Embedded schemas take the document's dialect: drop the standalone-schema keywords. */
function clean(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

/** A registered schema becomes a $ref to its component; anything else is inlined. */
function schemaFor(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const meta = apiRegistry.get(schema);
  if (meta) return { $ref: componentRef(meta.id) };
  return clean(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }));
}

export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/gu, '{$1}');
}

function describeParameter(name: string, field: z.ZodType, location: 'query' | 'path'): JsonSchema {
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
  if (repeatableParams.has(field)) {
    parameter['style'] = 'form';
    parameter['explode'] = true;
  }
  return parameter;
}

function describeParameters(operation: ApiOperation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [name, field] of Object.entries(operation.params?.shape ?? {})) out.push(describeParameter(name, field as z.ZodType, 'path'));
  for (const [name, field] of Object.entries(operation.query?.shape ?? {})) out.push(describeParameter(name, field as z.ZodType, 'query'));
  if (operation.siteKey) out.push({ $ref: '#/components/parameters/SiteKeyHeader' });
  return out;
}

const errorDescriptions: Record<number, string> = {
  400: 'Validation failed: `error.field` names the parameter or field at fault.',
  401: 'Not authenticated (missing or wrong admin token, or unknown site key).',
  403: 'Forbidden (admin routes disabled, or origin not allowed).',
  404: 'Not found.',
  409: 'Conflict.',
  413: 'Request body larger than 2 MB.',
  415: 'Body is not JSON.',
  429: 'Rate limited: retry after `Retry-After` seconds.',
  500: 'Internal error (details are in the server log under the request id).',
  503: 'Not ready (starting, shutting down) or the search engine is unavailable.',
};

function describeResponses(operation: ApiOperation): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    const entry: JsonSchema = { description: spec.description };
    if (spec.schema) entry['content'] = { [spec.contentType ?? 'application/json']: { schema: schemaFor(spec.schema, 'output') } };
    else if (spec.contentType) entry['content'] = { [spec.contentType]: { schema: { type: 'string' } } };
    if (spec.headers) {
      entry['headers'] = Object.fromEntries(
        Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
      );
    }
    responses[status] = entry;
  }
  const statuses = new Set<number>([500]);
  for (const code of operation.errors ?? []) statuses.add(errorStatuses[code]);
  for (const status of [...statuses].sort()) {
    const key = String(status);
    if (responses[key] !== undefined) continue;
    const entry: JsonSchema = {
      description: errorDescriptions[status] ?? 'Error.',
      content: { 'application/json': { schema: { $ref: componentRef('Error') } } },
    };
    if (status === 429) entry['headers'] = { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } };
    responses[key] = entry;
  }
  return responses;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

export function buildOpenApiDocument(operations: readonly ApiOperation[], info: OpenApiInfo): JsonSchema {
  // Make sure the error body is emitted even if no operation names it directly.
  void errorBodySchema;
  const components = z.toJSONSchema(apiRegistry, { io: 'output', target: 'draft-2020-12', uri: componentRef, unrepresentable: 'any' });
  const schemas = Object.fromEntries(Object.entries(components.schemas).map(([id, s]) => [id, clean(s as JsonSchema)]));

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
      const content: JsonSchema = { 'application/json': { schema: schemaFor(op.body, 'input') } };
      for (const [type, description] of Object.entries(op.bodyTypes ?? {})) content[type] = { schema: { type: 'string', description } };
      item['requestBody'] = { required: true, content };
    }
    if (op.admin) item['security'] = [{ adminToken: [] }];
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
      parameters: {
        SiteKeyHeader: {
          name: 'X-Site-Key',
          in: 'header',
          required: false,
          description: 'Site key bound to one hospital: results are confined to that hospital.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN configured on the server.' },
      },
    },
  };
}
