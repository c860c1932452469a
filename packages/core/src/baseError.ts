/** Where the guides an error's `docsPath` points into are published (the repository's `docs/` folder). */
export const docsBaseUrl = 'https://github.com/mhrchain/mhrchain/blob/main/docs/';

/** Parameters accepted by {@link BaseError}. */
export interface BaseErrorParameters {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
  /** Extra detail for logs; never secret material. */
  details?: string;
  /** Path of the guide that explains the error, relative to the docs root (`errors.md#deployments`). */
  docsPath?: string;
  /** Further lines appended to the message. */
  metaMessages?: string[];
}

/**
 * The root of every error the MHR Chain SDK throws.
 *
 * Each subclass sets a stable `name` (both static and on the instance), so checks by name survive duplicate
 * installs of a package. `shortMessage` is the one-line summary; `message` adds details and docs path.
 *
 * @example
 * ```ts
 * import { BaseError } from '@mhrchain/core';
 *
 * try {
 *   throw new BaseError('Something failed.', { details: 'more context' });
 * } catch (error) {
 *   if (error instanceof BaseError) console.log(error.shortMessage);
 * }
 * ```
 */
export class BaseError extends Error {
  static override name = 'BaseError';
  override name = 'BaseError';
  /** The one-line summary of what went wrong. */
  readonly shortMessage: string;
  /** Extra detail, or the message of the cause. */
  readonly details: string | undefined;
  /** Path of the guide that explains the error. */
  readonly docsPath: string | undefined;
  /** Further lines of the message. */
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const details =
      parameters.details ??
      (parameters.cause instanceof BaseError
        ? parameters.cause.details
        : parameters.cause instanceof Error
          ? parameters.cause.message
          : undefined);
    const message = [
      shortMessage,
      ...(parameters.metaMessages ? ['', ...parameters.metaMessages] : []),
      ...(details ? ['', `Details: ${details}`] : []),
      ...(parameters.docsPath ? [`Docs: ${docsBaseUrl}${parameters.docsPath}`] : []),
    ].join('\n');
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = details;
    this.docsPath = parameters.docsPath;
    this.metaMessages = parameters.metaMessages;
  }

  /**
   * Walks the `cause` chain and returns the deepest error, or the first one for which `predicate` holds.
   *
   * @example
   * ```ts
   * import { BaseError } from '@mhrchain/core';
   *
   * const error = new BaseError('outer', { cause: new Error('inner') });
   * error.walk(); // the inner Error
   * ```
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    for (;;) {
      if (predicate?.(current)) return current;
      const next = (current as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return predicate ? null : current;
      current = next;
    }
  }
}
