/**
 * The benchmark's yardstick for the middleware stack: a Hono app with one
 * route answering what the service's `/healthz` answers, served by the same
 * adapter (@hono/node-server) on 127.0.0.1:$PORT, and nothing else. The
 * service's `/healthz` is compared with it in requests per second.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' as const }, 200));
app.get('/readyz', (c) => c.json({ status: 'ready' as const }, 200));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env['PORT']) });
