/**
 * Near-duplicate detection: the same news reposted by several sites with a
 * different header, footer or source line, small edits, or cut down to an
 * excerpt.
 *
 * Reposts are rewritten too much for SimHash (measured on the dev reposts:
 * 15–18 differing bits, as far apart as unrelated articles), but they keep
 * long runs of identical characters. So the fingerprint is a content-defined
 * sample of character 6-gram hashes (those ≡ 0 mod 16): a shingle sampled in
 * one copy is sampled in every copy that contains it. Two articles are
 * near-duplicates when most of the smaller one's samples occur in the other
 * (containment, which also catches excerpts). Measured on the dev corpus:
 * true pairs 0.44 and 0.75, the closest unrelated pair 0.26.
 */

const shingleLength = 6;
const sampleModulus = 16;
export const minContainment = 0.35;
/** Below this many samples a text is too short to judge: only exact copies count. */
export const minSamples = 5;
/** A shingle shared by this many articles is stock phrasing, not evidence of copying. */
const maxPostings = 200;

function fnv1a(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Sampled shingle hashes of the text's letters and digits (punctuation and spacing ignored). */
export function computeFingerprint(text: string): string {
  const letters = text.replace(/[^\u3400-\u9fffA-Za-z0-9]/gu, '');
  const samples = new Set<number>();
  for (let i = 0; i + shingleLength <= letters.length; i++) {
    const h = fnv1a(letters, i, i + shingleLength);
    if (h % sampleModulus === 0) samples.add(h);
  }
  return [...samples].map((h) => h.toString(16)).join(' ');
}

function parseFingerprint(fingerprint: string): number[] {
  if (fingerprint === '') return [];
  return fingerprint.split(' ').map((h) => parseInt(h, 16));
}

export function fingerprintSize(fingerprint: string): number {
  return parseFingerprint(fingerprint).length;
}

/** Share of the smaller fingerprint's samples found in the other one. */
export function containment(a: string, b: string): number {
  const sa = parseFingerprint(a);
  const sb = new Set(parseFingerprint(b));
  const small = Math.min(sa.length, sb.size);
  if (small === 0) return 0;
  let shared = 0;
  for (const h of sa) if (sb.has(h)) shared++;
  return shared / small;
}

/**
 * Canonical articles seen so far, in corpus order, with an inverted index
 * from sample to articles. `find` returns the earliest registered article
 * that the candidate overlaps enough: reposts point to the first copy.
 */
export class NearDuplicateIndex {
  private readonly postings = new Map<number, string[]>();
  private readonly sizes = new Map<string, number>();
  private readonly order = new Map<string, number>();
  private nextOrder = 0;

  add(id: string, fingerprint: string): void {
    if (this.sizes.has(id)) return;
    const samples = parseFingerprint(fingerprint);
    if (samples.length < minSamples) return;
    this.sizes.set(id, samples.length);
    this.order.set(id, this.nextOrder++);
    for (const h of samples) {
      const list = this.postings.get(h);
      if (!list) this.postings.set(h, [id]);
      else if (list.length < maxPostings) list.push(id);
    }
  }

  find(fingerprint: string, selfId: string): string | null {
    const samples = parseFingerprint(fingerprint);
    if (samples.length < minSamples) return null;
    const shared = new Map<string, number>();
    for (const h of samples) {
      const list = this.postings.get(h);
      if (!list || list.length >= maxPostings) continue;
      for (const id of list) if (id !== selfId) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    let best: { id: string; order: number } | null = null;
    for (const [id, count] of shared) {
      const size = this.sizes.get(id) ?? 0;
      if (count / Math.min(samples.length, size) < minContainment) continue;
      const order = this.order.get(id) ?? Number.MAX_SAFE_INTEGER;
      if (best === null || order < best.order) best = { id, order };
    }
    return best?.id ?? null;
  }
}
