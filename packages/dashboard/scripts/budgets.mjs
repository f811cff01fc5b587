/**
 * Size budgets after `gzip -9`, in bytes. The build prints the sizes against
 * them and test/build-size.test.ts enforces them.
 * - `initial`: what the first visit fetches (index.html's CSS, entry module and
 *   every chunk it imports statically): sign-in, the shell and the inbox.
 * - `total`: every JS and CSS file of the build (all pages).
 */
export const BUDGETS = {
  initial: 48 * 1024,
  total: 128 * 1024,
};
