/**
 * Traditional script for zh-TW and zh-HK boxes. OpenCC's Simplified →
 * Traditional dictionaries are about half a megabyte gzipped, fifty times
 * the box itself, so they live in a script of their own, widget-zh-hant.js
 * (entry: zh-hant.ts), next to widget.js: only Traditional boxes fetch it,
 * once per page and then from the browser's cache.
 */
export type Convert = (text: string) => string;
export type Region = 'tw' | 'hk';
export type ConverterFactory = (region: Region) => Convert;

/** The one global the widget owns; widget-zh-hant.js adds `createConverter` to it. */
export interface Namespace {
  mount: (target: Element | string, attributes?: Record<string, string | undefined>) => boolean;
  createConverter?: ConverterFactory;
}

export const namespaceName = 'DangjianSearch';

export function readNamespace(): Namespace | undefined {
  return (window as unknown as Record<string, Namespace | undefined>)[namespaceName];
}

let loading: Promise<ConverterFactory> | undefined;

function loadFactory(scriptUrl: string): Promise<ConverterFactory> {
  const ready = readNamespace()?.createConverter;
  if (ready) return Promise.resolve(ready);
  loading ??= new Promise<ConverterFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = scriptUrl;
    script.async = true;
    script.addEventListener('load', () => {
      const factory = readNamespace()?.createConverter;
      if (factory) resolve(factory);
      else reject(new Error(`${scriptUrl} did not provide a converter`));
    });
    script.addEventListener('error', () => reject(new Error(`${scriptUrl} could not be loaded`)));
    (document.head ?? document.documentElement).append(script);
  }).catch((error: unknown) => {
    // The next box on the page (or a later mount) tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * The converter for `region`, loading widget-zh-hant.js from `scriptUrl` on
 * first use. Rejects when the script fails or takes longer than `timeoutMs`:
 * the caller then shows the box in Simplified rather than no box at all.
 */
export function loadConverter(region: Region, scriptUrl: string, timeoutMs = 10_000): Promise<Convert> {
  return new Promise<Convert>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${scriptUrl} took longer than ${timeoutMs} ms`)), timeoutMs);
    loadFactory(scriptUrl).then(
      (factory) => {
        clearTimeout(timer);
        resolve(factory(region));
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
