import { useEffect, useState } from 'preact/hooks';
import { parseRoute, routeHref, type Route } from './parseRoute.js';

/** The current view, following the URL fragment (links, back/forward, reloads). */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

export function navigate(route: Exclude<Route, { view: 'notFound' }>): void {
  window.location.hash = routeHref(route);
}
