import { describe, expect, it } from 'vitest';
import { BaseError, docsBaseUrl } from './baseError.js';

class ChildError extends BaseError {
  static override name = 'ChildError';
  override name = 'ChildError';
}

describe('BaseError', () => {
  it('builds a message from the short message, details and docs path', () => {
    const error = new BaseError('Upload failed.', { details: 'disk full', docsPath: 'guide.md' });
    expect(error.shortMessage).toBe('Upload failed.');
    expect(error.message).toBe(`Upload failed.\n\nDetails: disk full\nDocs: ${docsBaseUrl}guide.md`);
    expect(error.name).toBe('BaseError');
  });

  it('takes details from the cause and walks to the deepest cause', () => {
    const root = new Error('socket closed');
    const error = new ChildError('Fetch failed.', { cause: new BaseError('inner', { cause: root }) });
    expect(error.name).toBe('ChildError');
    expect(ChildError.name).toBe('ChildError');
    expect(error).toBeInstanceOf(BaseError);
    expect(error.walk()).toBe(root);
    expect(error.walk((e) => e instanceof BaseError && e.shortMessage === 'inner')).toBe(error.cause);
    expect(error.walk(() => false)).toBeNull();
  });
});
