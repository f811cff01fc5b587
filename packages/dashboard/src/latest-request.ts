import { useRef } from 'preact/hooks';

/**
 * Loads overlap: a filter changes, a tab switches or a base is created while the last answer is still
 * travelling, and a busy server can answer them out of order. Each load calls the returned `begin()` and
 * shows its answer only while the check it got back still holds, so an older answer never replaces a newer one.
 */
export function useLatestRequest(): () => () => boolean {
  const latest = useRef(0);
  return () => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  };
}
