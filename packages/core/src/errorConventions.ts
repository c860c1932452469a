import { BaseError, docsBaseUrl } from './baseError.js';

/** Parameters of {@link errorConventionViolations}. */
export interface ErrorConventionViolationsParameters {
  /**
   * What the package's error modules export (`import * as errors from './errors.js'`; spread several into one
   * object). Every export that is a class extending `Error` is an error class to check; functions, constants and
   * types beside them are ignored.
   */
  readonly errors: object;
  /** One instance of every exported error class, keyed by the class name, built the way the package throws it. */
  readonly instances: Readonly<Record<string, BaseError>>;
  /** Deprecated aliases kept for renamed classes: old name → current name. Each must be the current class itself. */
  readonly deprecated?: Readonly<Record<string, string>>;
  /** Whether every error must point at a guide (`docsPath` set). Default: `true`. */
  readonly requireDocsPath?: boolean;
}

/** Whether `value` is a class whose instances are errors (aliases included). */
function isErrorClass(value: unknown): value is new (...args: never[]) => Error {
  return typeof value === 'function' && value.prototype instanceof Error;
}

/**
 * Checks a package's error classes against the SDK's error conventions (`docs/errors.md#conventions`) and returns
 * what breaks them, one sentence each; an empty list means every class follows them. Framework-free: a test asserts
 * the list is empty, so a failure prints every violation at once.
 *
 * The checks: every exported error class has an instance in `instances` and every instance an exported class; each
 * class extends `BaseError`; each instance is an instance of its class; the class and the instance both carry the
 * class name as `name`; `message` starts with `shortMessage`; `docsPath` is set (unless `requireDocsPath` is
 * `false`) and the message ends with its `Docs:` line under `docsBaseUrl` (an https URL); each deprecated alias is
 * the class it names.
 *
 * @example
 * ```ts
 * import { BaseError } from '@mhrchain/core';
 * import { errorConventionViolations } from '@mhrchain/core/testing';
 *
 * class RoundClosedError extends BaseError {
 *   static override name = 'RoundClosedError';
 *   override name = 'RoundClosedError';
 *   constructor() {
 *     super('The round is closed.', { docsPath: 'errors.md#statistics' });
 *   }
 * }
 * const errors = { RoundClosedError, RoundEndedError: RoundClosedError };
 *
 * // in a test: expect(errorConventionViolations({ ... })).toEqual([]);
 * const violations = errorConventionViolations({
 *   errors,
 *   instances: { RoundClosedError: new RoundClosedError() },
 *   deprecated: { RoundEndedError: 'RoundClosedError' },
 * });
 * if (violations.length > 0) throw new Error(violations.join('\n'));
 * ```
 */
export function errorConventionViolations(parameters: ErrorConventionViolationsParameters): string[] {
  const { instances, deprecated = {}, requireDocsPath = true } = parameters;
  const exported = parameters.errors as Record<string, unknown>;
  const violations: string[] = [];

  if (!docsBaseUrl.startsWith('https://')) violations.push(`docsBaseUrl ${docsBaseUrl} is not an https URL.`);

  const classes = Object.keys(exported).filter((name) => isErrorClass(exported[name]) && !(name in deprecated));
  for (const name of classes.sort()) {
    if (!(name in instances)) violations.push(`${name} is exported but has no instance in the check.`);
    if (!((exported[name] as () => unknown).prototype instanceof BaseError))
      violations.push(`${name} does not extend BaseError.`);
  }

  for (const [name, error] of Object.entries(instances)) {
    const Class = exported[name];
    if (!isErrorClass(Class) || name in deprecated) {
      violations.push(`${name} has an instance in the check but is not an exported error class.`);
      continue;
    }
    if (!(error instanceof BaseError)) violations.push(`${name}: the instance is not a BaseError.`);
    if (!(error instanceof Class)) violations.push(`${name}: the instance is not a ${name}.`);
    if (Class.name !== name) violations.push(`${name}: the class's static name is "${Class.name}".`);
    if (error.name !== name) violations.push(`${name}: the instance's name is "${error.name}".`);
    if (typeof error.shortMessage !== 'string' || !error.message.startsWith(error.shortMessage))
      violations.push(`${name}: the message does not start with the shortMessage.`);
    if (error.docsPath) {
      const docsLine = `Docs: ${docsBaseUrl}${error.docsPath}`;
      if (!error.message.endsWith(docsLine)) violations.push(`${name}: the message does not end with "${docsLine}".`);
    } else if (requireDocsPath) violations.push(`${name}: no docsPath (every error points at its guide).`);
  }

  for (const [old, current] of Object.entries(deprecated)) {
    if (!(old in exported)) violations.push(`${old}: the deprecated alias is not exported.`);
    else if (exported[old] !== exported[current])
      violations.push(`${old}: the deprecated alias is not the class ${current}.`);
  }

  return violations;
}
