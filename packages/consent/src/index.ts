/**
 * `@mhrchain/consent`.
 *
 * @packageDocumentation
 */
export {};
