/**
 * `@mhrchain/contracts`.
 *
 * @packageDocumentation
 */
export {};
