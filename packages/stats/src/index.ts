/**
 * `@mhrchain/stats`.
 *
 * @packageDocumentation
 */
export {};
