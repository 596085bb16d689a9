// Token-bucket rate limiting per caller (API key id, or client address before authentication).

export interface RateLimitOptions {
  /** Sustained requests per second per caller. */
  readonly ratePerS: number;
  /** Bucket size: requests a caller may burst above the sustained rate. */
  readonly burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly options: RateLimitOptions) {}

  /** Take one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(caller: string, nowMs: number): number {
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size > 200_000) this.buckets.clear();
      bucket = { tokens: this.options.burst, updatedMs: nowMs };
      this.buckets.set(caller, bucket);
    }
    const elapsedS = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsedS * this.options.ratePerS);
    bucket.updatedMs = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.options.ratePerS);
  }
}
