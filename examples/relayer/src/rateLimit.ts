/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Actions accepted per account within `windowMs`. */
  perAccount: number;
  windowMs: number;
}

/** A sliding-window limit per account. */
export interface RateLimiter {
  /** Counts an action of `account` now; false when the account is over its limit (nothing counted then). */
  take(account: string): boolean;
}

/** Creates a sliding-window rate limiter: at most `perAccount` actions per account in any `windowMs`. */
export function createRateLimiter(options: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const seen = new Map<string, number[]>();
  return {
    take(account) {
      const key = account.toLowerCase();
      const cutoff = now() - options.windowMs;
      const times = (seen.get(key) ?? []).filter((time) => time > cutoff);
      if (times.length >= options.perAccount) {
        seen.set(key, times);
        return false;
      }
      times.push(now());
      seen.set(key, times);
      return true;
    },
  };
}
