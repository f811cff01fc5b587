import { useEffect, useState } from 'preact/hooks';

/**
 * The management cards' pattern: `load` fills the card on mount and again
 * after every action; a failed load or action shows its message (`error`),
 * and the next action clears it.
 */
export function useReloadingActions(load: () => Promise<unknown>, options: { onMount?: boolean } = {}) {
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    load().then(
      () => undefined,
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    if (options.onMount !== false) void reload();
  }, []);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { error, setError, act, reload };
}
