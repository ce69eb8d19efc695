/**
 * In-memory token buckets, one per client address and one per site key. A
 * bucket holds up to `burst` tokens and refills at `perMinute`; a request
 * takes one token or is refused with 429 and `Retry-After` (seconds until a
 * token is back). Memory stays bounded: idle buckets (full again) are dropped
 * when the table grows. Per-process state: behind several replicas each
 * replica limits on its own.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../context.js';

export interface BucketSettings {
  /** Refill rate; 0 switches the limit off. */
  perMinute: number;
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = () => Date.now(),
    private readonly maxEntries = 50_000,
  ) {
    this.perMs = settings.perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.settings.perMinute > 0;
  }

  take(key: string): TakeResult {
    if (!this.enabled) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, updatedAt: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxEntries) this.dropIdle(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private dropIdle(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedAt) * this.perMs >= this.settings.burst) this.buckets.delete(key);
    }
    // Under a flood of distinct clients nothing is idle: forget the oldest rather than grow without bound.
    if (this.buckets.size >= this.maxEntries) {
      const excess = this.buckets.size - this.maxEntries + 1;
      let i = 0;
      for (const key of this.buckets.keys()) {
        if (i++ >= excess) break;
        this.buckets.delete(key);
      }
    }
  }
}

function refuse(retryAfterSeconds: number, what: string): ApiError {
  return new ApiError('rate_limited', `Too many requests ${what}. Retry after ${retryAfterSeconds} s.`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/** Requests with the valid admin token: charged to their own, larger buckets instead of the visitors'. */
export interface AdminLane {
  isAdmin: (c: Context) => boolean;
  buckets: TokenBuckets;
}

/** Charged before anything else is done for the request (an invalid-key flood is limited too). */
export function limitByAddress(
  buckets: TokenBuckets,
  clientAddress: (c: Context) => string,
  admin?: AdminLane,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (admin?.isAdmin(c)) {
      const taken = admin.buckets.take(clientAddress(c));
      if (!taken.ok) throw refuse(taken.retryAfterSeconds, 'with the admin token from this address');
    } else {
      const taken = buckets.take(clientAddress(c));
      if (!taken.ok) throw refuse(taken.retryAfterSeconds, 'from this address');
    }
    await next();
  };
}

/** Runs after the site-key middleware has resolved the key. */
export function limitBySiteKey(buckets: TokenBuckets): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const scope = c.get('siteScope');
    if (scope) {
      const taken = buckets.take(scope.key);
      if (!taken.ok) throw refuse(taken.retryAfterSeconds, 'for this site key');
    }
    await next();
  };
}
