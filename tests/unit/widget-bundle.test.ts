import { describe, expect, it } from 'vitest';
import { buildWidgetBundle } from '../../widget/build.js';

describe('widget.js bundle', () => {
  it('is under 15 KB gzipped and one self-contained script', async () => {
    const bundle = await buildWidgetBundle();
    expect(bundle.gzipped.byteLength).toBeLessThan(15 * 1024);
    // An IIFE with no module syntax left: a plain <script> tag can load it.
    expect(/^\s*(import|export)\s/m.test(bundle.code)).toBe(false);
    expect(bundle.code.startsWith('"use strict";(()=>{')).toBe(true);
  });

  it('never hands strings to the HTML parser or to eval', async () => {
    const { code } = await buildWidgetBundle();
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
      expect(code.includes(sink), sink).toBe(false);
    }
  });

  it('is ASCII so a GBK host page cannot garble the Chinese labels', async () => {
    const { code } = await buildWidgetBundle();
    expect([...code].every((char) => char.charCodeAt(0) < 128)).toBe(true);
    // 搜索, escaped.
    expect(code.includes('\\u641C\\u7D22')).toBe(true);
  });
});
