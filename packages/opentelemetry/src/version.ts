/** The instrumentation scope version; kept in step with package.json by test/dist.test.ts. */
export const VERSION = '0.1.0';
