/**
 * `@mhrchain/core/testing`: checks a package's own tests run against the SDK's conventions. Framework-free: each
 * check returns what it objects to, and the test asserts the list is empty (no test runner is imported here).
 *
 * @packageDocumentation
 */
export { type ErrorConventionViolationsParameters, errorConventionViolations } from './errorConventions.js';
