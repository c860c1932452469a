/**
 * `@mhrchain/ecg`.
 *
 * @packageDocumentation
 */
export {};
