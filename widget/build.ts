/**
 * Bundles widget/src into the single self-contained script served as
 * /widget.js. Built in memory on first use (esbuild takes tens of
 * milliseconds) and cached for the life of the process, so there is no build
 * step and nothing under dist/ to go stale.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface WidgetBundle {
  code: string;
  gzipped: Uint8Array<ArrayBuffer>;
  /** Strong validator derived from the bundled bytes. */
  etag: string;
}

const entryPoint = fileURLToPath(new URL('./src/widget.ts', import.meta.url));

export async function buildWidgetBundle(): Promise<WidgetBundle> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: 'iife',
    // Visitors of hospital sites include older in-app and domestic browsers.
    target: 'es2019',
    // ASCII output (\uXXXX escapes) decodes correctly even when a GBK host page
    // loads the script and a proxy drops our charset header.
    charset: 'ascii',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no output for widget.js');
  const digest = createHash('sha256').update(code).digest('base64url').slice(0, 22);
  return { code, gzipped: new Uint8Array(gzipSync(code, { level: 9 })), etag: `"${digest}"` };
}

let cached: Promise<WidgetBundle> | undefined;

/** The bundle, built once per process; a failed build is retried on the next call. */
export function loadWidgetBundle(): Promise<WidgetBundle> {
  cached ??= buildWidgetBundle().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
