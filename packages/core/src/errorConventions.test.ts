import { describe, expect, it } from 'vitest';
import { BaseError } from './baseError.js';
import { errorConventionViolations } from './errorConventions.js';

class RoundClosedError extends BaseError {
  static override name = 'RoundClosedError';
  override name = 'RoundClosedError';
  constructor() {
    super('The round is closed.', { docsPath: 'errors.md#statistics' });
  }
}

/** Forgets to set its name on the instance (it stays `BaseError`). */
class NamelessError extends BaseError {
  static override name = 'NamelessError';
  constructor() {
    super('No name.', { docsPath: 'errors.md#statistics' });
  }
}

/** Sets a name other than its class name. */
class MisnamedError extends BaseError {
  static override name = 'OtherError';
  override name = 'OtherError';
  constructor() {
    super('Misnamed.', { docsPath: 'errors.md#statistics' });
  }
}

/** Points at no guide. */
class UndocumentedError extends BaseError {
  static override name = 'UndocumentedError';
  override name = 'UndocumentedError';
}

/** Extends `Error`, not `BaseError`. */
class PlainError extends Error {
  static override name = 'PlainError';
  override name = 'PlainError';
}

/** Rewrites its message after `BaseError` built it, so the `Docs:` line is gone. */
class RewrittenError extends BaseError {
  static override name = 'RewrittenError';
  override name = 'RewrittenError';
  constructor() {
    super('Rewritten.', { docsPath: 'errors.md#statistics' });
    this.message = 'Something else.';
  }
}

describe('errorConventionViolations', () => {
  it('finds nothing wrong with a class that follows the conventions, and ignores exports that are not errors', () => {
    const errors = { RoundClosedError, RoundEndedError: RoundClosedError, isRoundClosed: () => false, version: 1 };
    expect(
      errorConventionViolations({
        errors,
        instances: { RoundClosedError: new RoundClosedError() },
        deprecated: { RoundEndedError: 'RoundClosedError' },
      }),
    ).toEqual([]);
  });

  it('names an exported class without an instance, and an instance without an exported class', () => {
    expect(errorConventionViolations({ errors: { RoundClosedError }, instances: {} })).toEqual([
      'RoundClosedError is exported but has no instance in the check.',
    ]);
    expect(errorConventionViolations({ errors: {}, instances: { RoundClosedError: new RoundClosedError() } })).toEqual([
      'RoundClosedError has an instance in the check but is not an exported error class.',
    ]);
  });

  it('names a class without its name on the instance or with another name', () => {
    expect(
      errorConventionViolations({ errors: { NamelessError }, instances: { NamelessError: new NamelessError() } }),
    ).toEqual(['NamelessError: the instance\'s name is "BaseError".']);
    expect(
      errorConventionViolations({ errors: { MisnamedError }, instances: { MisnamedError: new MisnamedError() } }),
    ).toEqual([
      'MisnamedError: the class\'s static name is "OtherError".',
      'MisnamedError: the instance\'s name is "OtherError".',
    ]);
  });

  it('names an instance of another class', () => {
    expect(
      errorConventionViolations({
        errors: { RoundClosedError, UndocumentedError },
        instances: { RoundClosedError: new UndocumentedError('x'), UndocumentedError: new UndocumentedError('x') },
        requireDocsPath: false,
      }),
    ).toEqual([
      'RoundClosedError: the instance is not a RoundClosedError.',
      'RoundClosedError: the instance\'s name is "UndocumentedError".',
    ]);
  });

  it('names a missing guide unless guides are optional, and a message without its Docs line', () => {
    const undocumented = {
      errors: { UndocumentedError },
      instances: { UndocumentedError: new UndocumentedError('x') },
    };
    expect(errorConventionViolations(undocumented)).toEqual([
      'UndocumentedError: no docsPath (every error points at its guide).',
    ]);
    expect(errorConventionViolations({ ...undocumented, requireDocsPath: false })).toEqual([]);
    expect(
      errorConventionViolations({ errors: { RewrittenError }, instances: { RewrittenError: new RewrittenError() } }),
    ).toEqual([
      'RewrittenError: the message does not start with the shortMessage.',
      'RewrittenError: the message does not end with "Docs: https://github.com/mhrchain/mhrchain/blob/main/docs/errors.md#statistics".',
    ]);
  });

  it('names an exported error class that does not extend BaseError', () => {
    expect(
      errorConventionViolations({
        errors: { PlainError },
        instances: { PlainError: new PlainError('x') as unknown as BaseError },
      }),
    ).toEqual([
      'PlainError does not extend BaseError.',
      'PlainError: the instance is not a BaseError.',
      'PlainError: the message does not start with the shortMessage.',
      'PlainError: no docsPath (every error points at its guide).',
    ]);
  });

  it('names a deprecated alias that is missing or is another class', () => {
    expect(
      errorConventionViolations({
        errors: { RoundClosedError, UndocumentedError, RoundEndedError: UndocumentedError },
        instances: { RoundClosedError: new RoundClosedError(), UndocumentedError: new UndocumentedError('x') },
        deprecated: { RoundEndedError: 'RoundClosedError', RoundOverError: 'RoundClosedError' },
        requireDocsPath: false,
      }),
    ).toEqual([
      'RoundEndedError: the deprecated alias is not the class RoundClosedError.',
      'RoundOverError: the deprecated alias is not exported.',
    ]);
  });
});
