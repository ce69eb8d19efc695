/**
 * Data problems are values, not exceptions: one bad file or line becomes a
 * Rejection and the run goes on. The reasons form a closed table so the run
 * summary can count them and a reader knows every way an input is refused.
 */

/** Every reason an input can be skipped, with the message a corpus editor reads. */
export const rejectionReasons = {
  empty: 'holds no article text',
  binary: 'is binary data, not text',
  'bad-encoding': 'is not valid UTF-8 and not recognisable GBK/GB18030 or Big5 Chinese',
  'bad-json': 'is not well-formed JSON',
  'invalid-article': 'is JSON but not a valid article',
  unreadable: 'could not be read',
  'too-large': 'is larger than the size limit',
  'unsupported-format': 'looks like an article but its format is not supported',
} as const;

export type RejectionReason = keyof typeof rejectionReasons;

export interface Rejection {
  kind: 'rejection';
  /** Corpus-relative path, plus `#N` (1-based line) for JSONL lines. */
  sourcePath: string;
  reason: RejectionReason;
  /** What exactly was wrong, for the person fixing the file. */
  detail: string;
}

export function createRejection(sourcePath: string, reason: RejectionReason, detail: string = rejectionReasons[reason]): Rejection {
  return { kind: 'rejection', sourcePath, reason, detail };
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'rejection';
}

/** `corpus/a.txt: is binary data, not text (NUL bytes)`: one line for logs and summaries. */
export function describeRejection(rejection: Rejection): string {
  const message = rejectionReasons[rejection.reason];
  const detail = rejection.detail === message ? '' : ` (${rejection.detail})`;
  return `${rejection.sourcePath}: ${message}${detail}`;
}

/** Counts per reason, most frequent first (ties in table order), for the run summary. */
export function countRejections(rejections: Iterable<Rejection>): Map<RejectionReason, number> {
  const counts = new Map<RejectionReason, number>();
  for (const r of rejections) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  const order = Object.keys(rejectionReasons);
  return new Map(
    [...counts].sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0])),
  );
}
