import { RpcUnavailableError } from '../chainErrors.js';
import { classifyLogError } from '../logReader.js';

/** How a provider request is retried. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** The first retry's delay; each next one doubles (with jitter), up to 5 s. */
  retryDelayMs: number;
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The delay before retry `attempt` (0-based): doubling from `base`, capped at 5 s, with ±50 % jitter. */
export function retryDelay(base: number, attempt: number): number {
  return Math.min(5_000, base * 2 ** attempt) * (0.5 + Math.random());
}

/**
 * Runs a provider request, retrying transient failures (connection refused or reset, HTTP 5xx, timeouts) with
 * backoff; throws `RpcUnavailableError` when they last through every retry. Other errors pass through unchanged.
 */
export async function withRetries<T>(method: string, options: RetryOptions, request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (classifyLogError(error) !== 'transient') throw error;
      if (attempt >= options.retries) throw new RpcUnavailableError({ method, attempts: attempt + 1, cause: error });
      await sleep(retryDelay(options.retryDelayMs, attempt));
    }
  }
}
