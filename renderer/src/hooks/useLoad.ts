import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data for a view and reloads it on demand. A reply that arrives after a newer request (or
 * after the view went away) is dropped, so a slow answer never overwrites a fresh one. The data
 * already shown stays while a reload runs, so a refresh does not flash an empty view.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `deps` say when it means something new.
  }, [...deps, generation]);
  return { ...state, reload };
}

/** Calls `tick` every `millis` while the view is shown (polling views: files, log). */
export function useInterval(tick: () => void, millis: number): void {
  useEffect(() => {
    const timer = setInterval(tick, millis);
    return () => clearInterval(timer);
  }, [tick, millis]);
}
