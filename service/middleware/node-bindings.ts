/**
 * Node's own request and response behind a Hono context, when the app is
 * served by @hono/node-server (`serve` passes them as the context's env).
 * Under `app.request()` (tests, other runtimes) there are none, and callers
 * fall back to the fetch Request and Response.
 *
 * Why reach past fetch: on Node, a fetch Headers object is built from the
 * raw headers the first time anything asks for one, and a response with
 * headers set through Hono carries a second one that is copied back into
 * Node's header list. For the headers every request reads or every response
 * carries, Node's own objects do the same job at a fraction of the cost.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';

function bindingsOf(c: Context): Partial<HttpBindings> | undefined {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env !== null && typeof env === 'object' ? env : undefined;
}

export function nodeRequestOf(c: Context): IncomingMessage | undefined {
  return bindingsOf(c)?.incoming;
}

export function nodeResponseOf(c: Context): ServerResponse | undefined {
  const outgoing = bindingsOf(c)?.outgoing;
  // Only before the head is written can a header still join it.
  return outgoing && !outgoing.headersSent ? outgoing : undefined;
}
