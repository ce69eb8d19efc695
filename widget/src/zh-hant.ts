/**
 * widget-zh-hant.js: OpenCC's Simplified → Traditional conversion, loaded by
 * zh-TW / zh-HK boxes only (see traditional.ts). It hands widget.js a
 * converter factory through the widget's own global and defines nothing else.
 */
import { ConverterBuilder } from 'opencc-js/core';
import * as cn2t from 'opencc-js/preset/cn2t';
import { readNamespace, type Convert, type ConverterFactory, type Region } from './traditional.js';

// What opencc-js's own cn2t entry point builds, from the Simplified-only preset
// (the full one would add the Traditional → Simplified tables too).
const converter = ConverterBuilder(cn2t);
// Building the tries takes a moment: boxes of one region on a page share them.
const converters = new Map<Region, Convert>();
export const createConverter: ConverterFactory = (region) => {
  let convert = converters.get(region);
  if (!convert) {
    convert = converter({ from: 'cn', to: region });
    converters.set(region, convert);
  }
  return convert;
};

// Guarded so the tests can import the converter outside a browser.
const namespace = typeof window === 'undefined' ? undefined : readNamespace();
if (namespace) namespace.createConverter = createConverter;
