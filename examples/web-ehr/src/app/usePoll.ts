import { useEffect, useState } from 'react';

/**
 * Runs `load` now and every `intervalMs` while the component is mounted (and `enabled`), keeping the latest result.
 * `version` forces an immediate reload when it changes.
 */
export function usePoll<T>(load: (() => Promise<T>) | undefined, intervalMs: number, version = 0): T | undefined {
  const [value, setValue] = useState<T>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `version` is a request to reload now.
  useEffect(() => {
    if (!load) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const next = await load();
        if (live) setValue(next);
      } catch (error) {
        console.warn(error);
      }
      if (live) timer = setTimeout(tick, intervalMs);
    };
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [load, intervalMs, version]);
  return value;
}
