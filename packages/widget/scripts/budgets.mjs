/**
 * Size budgets in brotli (best quality) bytes: what a browser downloads, since
 * the server sends the build's precompressed `.br` twins. `pnpm size` and the
 * build test (CI) enforce them; `chat` is the largest language bundle.
 * - loader: paid on every page view of every host site.
 * - loaderPlusChat: paid by a visitor who shows intent or opens the chat.
 */
export const BUDGETS = {
  loader: 3 * 1024,
  loaderPlusChat: 25 * 1024,
};
