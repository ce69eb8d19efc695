/**
 * Bundles widget/src into the self-contained scripts served as /widget.js
 * and /widget-zh-hant.js (the Traditional-script converter, fetched only by
 * zh-TW / zh-HK boxes). Built in memory on first use (esbuild takes tens of
 * milliseconds for the box, a few hundred for OpenCC's dictionaries) and
 * cached for the life of the process, so there is no build step and nothing
 * under dist/ to go stale.
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

const entryPoints = {
  widget: fileURLToPath(new URL('./src/widget.ts', import.meta.url)),
  traditional: fileURLToPath(new URL('./src/zh-hant.ts', import.meta.url)),
};
export type BundleName = keyof typeof entryPoints;

async function buildBundle(name: BundleName): Promise<WidgetBundle> {
  const result = await build({
    entryPoints: [entryPoints[name]],
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
  if (code === undefined) throw new Error(`esbuild produced no output for ${entryPoints[name]}`);
  const digest = createHash('sha256').update(code).digest('base64url').slice(0, 22);
  return { code, gzipped: new Uint8Array(gzipSync(code, { level: 9 })), etag: `"${digest}"` };
}

export function buildWidgetBundle(): Promise<WidgetBundle> {
  return buildBundle('widget');
}

export function buildTraditionalBundle(): Promise<WidgetBundle> {
  return buildBundle('traditional');
}

const cached = new Map<BundleName, Promise<WidgetBundle>>();

/** A bundle, built once per process; a failed build is retried on the next call. */
function loadBundle(name: BundleName): Promise<WidgetBundle> {
  let bundle = cached.get(name);
  if (!bundle) {
    bundle = buildBundle(name).catch((error: unknown) => {
      cached.delete(name);
      throw error;
    });
    cached.set(name, bundle);
  }
  return bundle;
}

export function loadWidgetBundle(): Promise<WidgetBundle> {
  return loadBundle('widget');
}

export function loadTraditionalBundle(): Promise<WidgetBundle> {
  return loadBundle('traditional');
}
