/**
 * Row lists as SQLite hands them over (one group_concat string: building one
 * JS row per match costs ~1 µs, which at 80k matches is most of the time
 * budget), and bounded top-k selection over them.
 */

/** Parses group_concat's `1,5,9` into rows. */
export function parseRowList(text: string | null | undefined): Int32Array {
  if (!text) return new Int32Array(0);
  // One pass: every row takes at least two characters with its comma, so this bounds the count.
  const out = new Int32Array((text.length >> 1) + 1);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[n++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  out[n++] = value;
  return out.slice(0, n);
}

/** Rows in the order SQLite listed them, and their scores indexed by row. */
export interface ScoredRows {
  rows: Int32Array;
  scores: Float64Array;
}

/** Parses `row:score,row:score` (integer thousandths). */
export function parseScores(text: string | null | undefined, capacity: number): ScoredRows {
  const scores = new Float64Array(capacity);
  if (!text) return { rows: new Int32Array(0), scores };
  // Every entry takes at least four characters with its comma (`1:0,`), which bounds the count.
  const rows = new Int32Array((text.length >> 2) + 1);
  let n = 0;
  let row = 0;
  let value = 0;
  let negative = false;
  let inScore = false;
  const flush = (): void => {
    if (row < capacity) {
      scores[row] = (negative ? -value : value) / 1000;
      rows[n++] = row;
    }
    row = 0;
    value = 0;
    negative = false;
    inScore = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) flush();
    else if (c === 58) inScore = true;
    else if (c === 45) negative = true;
    else if (inScore) value = value * 10 + (c - 48);
    else row = row * 10 + (c - 48);
  }
  flush();
  return { rows: rows.slice(0, n), scores };
}

/**
 * Indices 0..count-1 of the best `k` by `compare` (negative = first is
 * better), in order, without sorting everything: a bounded heap, O(n log k).
 */
export function selectTop(count: number, k: number, compare: (a: number, b: number) => number, include?: (i: number) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  // heap[0] is the worst kept index.
  const worse = (a: number, b: number): boolean => compare(a, b) > 0;
  const siftUp = (at: number): void => {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!worse(heap[at] ?? 0, heap[parent] ?? 0)) break;
      [heap[at], heap[parent]] = [heap[parent] ?? 0, heap[at] ?? 0];
      at = parent;
    }
  };
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && worse(heap[left] ?? 0, heap[worst] ?? 0)) worst = left;
      if (right < heap.length && worse(heap[right] ?? 0, heap[worst] ?? 0)) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst] ?? 0, heap[at] ?? 0];
      at = worst;
    }
  };
  for (let i = 0; i < count; i++) {
    if (include && !include(i)) continue;
    if (heap.length < k) {
      heap.push(i);
      siftUp(heap.length - 1);
    } else if (compare(i, heap[0] ?? 0) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}
