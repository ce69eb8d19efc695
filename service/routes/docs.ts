/**
 * GET /openapi.json (generated from the zod schemas) and GET /docs, the
 * interactive reference (Scalar: every operation with its parameters,
 * examples, and a "try it" form that calls this same origin). Scalar's
 * standalone bundle is served from the installed package under
 * /docs/assets/, never from a CDN: hospital intranets are often offline, and
 * the page's Content-Security-Policy allows scripts and requests to this
 * origin only. Without JavaScript the page still shows the reference,
 * rendered on the server from the same document.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { buildOpenApiDocument, type ApiOperation } from '../openapi.js';
import { escapeHtml } from '../../engine/analysis/snippet.js';
import type { RouteDeps } from './deps.js';

export const docsScriptPath = '/docs/assets/scalar.js';

export const docsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    tag: 'documentation',
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI 3.1 document.', contentType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    tag: 'documentation',
    summary: 'Interactive API reference (try requests from the page)',
    responses: { 200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' } },
  },
  {
    method: 'get',
    path: docsScriptPath,
    operationId: 'docsScript',
    tag: 'documentation',
    summary: 'The reference page\'s script (Scalar API Reference, from the installed package; gzip, ETag)',
    responses: {
      200: { description: 'JavaScript.', contentType: 'text/javascript; charset=utf-8' },
      304: { description: 'Not modified (If-None-Match).' },
    },
  },
];

export const apiInfo = {
  title: '党建文章检索 API',
  version: '1.0.0',
  description:
    'Full-text search over Chinese hospital Party-building news. Errors always have the body {error: {code, message, field?, details?}}; unknown query parameters are rejected with 400.',
};

type Json = Record<string, unknown>;

function schemaSummary(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return '';
  const s = schema as Json;
  if (typeof s['$ref'] === 'string') return (s['$ref']).split('/').pop() ?? '';
  if (s['type'] === 'array') return `${schemaSummary(s['items'])}[]`;
  const parts: string[] = [];
  if (Array.isArray(s['enum'])) parts.push((s['enum'] as unknown[]).join(' | '));
  else if (typeof s['type'] === 'string') parts.push(s['type']);
  if (typeof s['minimum'] === 'number' && typeof s['maximum'] === 'number' && s['maximum'] !== Number.MAX_SAFE_INTEGER) {
    parts.push(`${s['minimum']}–${s['maximum']}`);
  }
  if (typeof s['maxLength'] === 'number') parts.push(`≤ ${s['maxLength']} chars`);
  if (s['default'] !== undefined) parts.push(`default ${JSON.stringify(s['default'])}`);
  return parts.join(', ');
}

function renderSchemaFields(name: string, schema: Json): string {
  const properties = (schema['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const rows = Object.entries(properties)
    .map(
      ([field, s]) =>
        `<tr><td><code>${escapeHtml(field)}</code>${required.has(field) ? '' : '?'}</td><td>${escapeHtml(schemaSummary(s))}</td><td>${escapeHtml(typeof s['description'] === 'string' ? s['description'] : '')}</td></tr>`,
    )
    .join('');
  return `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><table><tr><th>field</th><th>type</th><th>meaning</th></tr>${rows}</table>`;
}

/** The security requirements of an operation, in words. */
function describeAuth(security: unknown): string {
  if (!Array.isArray(security)) return '';
  const schemes = new Set(security.flatMap((requirement) => Object.keys(requirement as Json)));
  const optional = security.some((requirement) => Object.keys(requirement as Json).length === 0);
  const parts: string[] = [];
  if (schemes.has('adminToken')) parts.push('<code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>');
  if (schemes.has('metricsToken')) parts.push('<code>Authorization: Bearer &lt;METRICS_TOKEN&gt;</code> when METRICS_TOKEN is set');
  if (schemes.has('siteKeyHeader')) parts.push('a site key: <code>X-Site-Key</code> header or <code>key</code> parameter');
  if (parts.length === 0) return '';
  return `<p class="auth">${optional ? 'Accepts' : 'Requires'} ${parts.join('; ')}.</p>`;
}

export function renderDocsPage(document: Json): string {
  const paths = document['paths'] as Record<string, Record<string, Json>>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = ((op['parameters'] ?? []) as Json[])
        .filter((p) => typeof p['name'] === 'string')
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p['name'] as string)}</code></td><td>${escapeHtml(p['in'] as string)}${p['explode'] ? ', repeatable' : ''}</td><td>${escapeHtml(schemaSummary(p['schema']))}</td><td>${escapeHtml(typeof p['description'] === 'string' ? p['description'] : '')}</td></tr>`,
        )
        .join('');
      const responses = Object.entries((op['responses'] ?? {}) as Record<string, Json>)
        .map(([status, r]) => {
          const content = r['content'] as Record<string, { schema?: unknown }> | undefined;
          const shape = content ? Object.values(content).map((m) => schemaSummary(m.schema)).join(', ') : '';
          return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r['description'] as string)}${shape ? ` <code>${escapeHtml(shape)}</code>` : ''}</li>`;
        })
        .join('');
      const body = op['requestBody'] ? '<p>Body: <code>application/json</code>, <a href="#schema-ArticleInput">ArticleInput</a>.</p>' : '';
      const auth = describeAuth(op['security']);
      sections.push(
        `<section><h2><span class="method">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h2><p>${escapeHtml(op['summary'] as string)}</p>${
          typeof op['description'] === 'string' ? `<p>${escapeHtml(op['description'])}</p>` : ''
        }${auth}${params ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>${params}</table>` : ''}${body}<ul>${responses}</ul></section>`,
      );
    }
  }
  const components = (document['components'] as { schemas: Record<string, Json> }).schemas;
  const schemas = Object.entries(components)
    .map(([name, s]) => renderSchemaFields(name, s))
    .join('');
  const info = document['info'] as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} · reference</title>
</head>
<body>
<noscript><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.1rem}.method{color:#a00;font-family:monospace}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
code{background:#f4f4f4;padding:0 .2rem}.auth{color:#850}</style>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). With JavaScript on, this page lets you try each request.</p>
${sections.join('\n')}
<h2>Schemas</h2>${schemas}
</noscript>
<script id="api-reference" type="application/json" data-url="/openapi.json" data-configuration="${escapeHtml(JSON.stringify(scalarConfiguration))}"></script>
<script src="${docsScriptPath}?v=${encodeURIComponent(scalarVersion())}"></script>
</body></html>`;
}

/**
 * Scalar's settings: nothing that reaches beyond this origin (its web
 * fonts, telemetry, the AI agent, the request proxy), and tokens typed into
 * the page kept only while it is open.
 */
const scalarConfiguration = {
  url: '/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  persistAuth: false,
  hideClientButton: false,
  showDeveloperTools: 'never',
  defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
};

const requireHere = createRequire(import.meta.url);

/**
 * The package's directory, found through its entry point (its exports do not
 * include package.json). Only its browser bundle is read: the package's
 * `engines` (Node >= 22) concern its own server-side code, which never runs here.
 */
function scalarPackageDir(): string {
  return dirname(dirname(requireHere.resolve('@scalar/api-reference')));
}

let cachedVersion: string | undefined;
function scalarVersion(): string {
  cachedVersion ??= (requireHere(join(scalarPackageDir(), 'package.json')) as { version: string }).version;
  return cachedVersion;
}

interface ScriptAsset {
  code: Buffer;
  gzipped: Buffer;
  etag: string;
}

let scriptAsset: Promise<ScriptAsset> | undefined;

/** The standalone bundle (about 5 MB, 1.5 MB gzipped), read and compressed once. */
function loadScalarScript(): Promise<ScriptAsset> {
  scriptAsset ??= (async () => {
    const code = await readFile(join(scalarPackageDir(), 'dist/browser/standalone.js'));
    const gzipped = await promisify(gzip)(code);
    const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`;
    return { code, gzipped, etag };
  })();
  scriptAsset.catch(() => {
    scriptAsset = undefined;
  });
  return scriptAsset;
}

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export function createDocsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let cached: { document: Json; html: string } | undefined;
  const get = (): { document: Json; html: string } => {
    if (!cached) {
      const document = buildOpenApiDocument(deps.operations(), apiInfo);
      cached = { document, html: renderDocsPage(document) };
    }
    return cached;
  };
  app.get('/openapi.json', (c) => c.json(get().document, 200));
  app.get('/docs', (c) => c.html(get().html, 200));
  app.get(docsScriptPath, async (c) => {
    const asset = await loadScalarScript();
    // The page asks for ?v=<version>: a new release is a new URL, so the script may be cached for good.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', `W/${asset.etag}`);
    c.header('Vary', 'Accept-Encoding');
    const ifNoneMatch = c.req.header('If-None-Match') ?? '';
    if (ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//u, '') === asset.etag || tag.trim() === '*')) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    if (acceptsGzip(c.req.header('Accept-Encoding'))) {
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(asset.gzipped));
    }
    return c.body(new Uint8Array(asset.code));
  });
  return app;
}
