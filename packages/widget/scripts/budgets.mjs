/** Size budgets after `gzip -9`, in bytes. `pnpm size` and the build test enforce them. */
export const BUDGETS = {
  'loader.js': 3 * 1024,
  'widget.js': 30 * 1024,
};
