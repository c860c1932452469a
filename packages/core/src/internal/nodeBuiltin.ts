/**
 * A Node built-in module when running in Node, `undefined` elsewhere. Looked up through `process.getBuiltinModule`
 * (no import statement), so bundles for browsers neither include nor fail on Node modules.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  return (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(id) as
    | T
    | undefined;
}
