/**
 * Parsed JSON whose shape the reader checks field by field itself: the simulator's and the API's
 * answers in tests, a child process's messages in benchmarks. The one place `any` is allowed: typing
 * every response of a contract test would repeat the DTOs the test is there to check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;
