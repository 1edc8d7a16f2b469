/** The views, addressed by the URL fragment so reloads and the back button work without a server. */
export type Route =
  | { view: 'overview' }
  | { view: 'flow'; id: string }
  | { view: 'newFlow' }
  | { view: 'preview'; id: string | undefined }
  | { view: 'files'; id: string | undefined }
  | { view: 'log' }
  | { view: 'notFound'; hash: string };

/** Flow ids contain `:` and `/` (`kinesis:web:/var/log/*.log`), so they travel URI-encoded. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/?/, '/');
  const parts = path.split('/').slice(1);
  const [head = '', rawId, ...rest] = parts;
  if (rest.length > 0) return { view: 'notFound', hash };
  const id = rawId === undefined || rawId === '' ? undefined : safeDecode(rawId);
  switch (head) {
    case '':
      return id === undefined ? { view: 'overview' } : { view: 'notFound', hash };
    case 'flows':
      if (id === 'new' && rawId === 'new') return { view: 'newFlow' };
      return id === undefined ? { view: 'overview' } : { view: 'flow', id };
    case 'preview':
      return { view: 'preview', id };
    case 'files':
      return { view: 'files', id };
    case 'log':
      return id === undefined ? { view: 'log' } : { view: 'notFound', hash };
    default:
      return { view: 'notFound', hash };
  }
}

export function routeHref(route: Exclude<Route, { view: 'notFound' }>): string {
  const withId = (base: string, id: string | undefined) => (id === undefined ? base : `${base}/${encodeURIComponent(id)}`);
  switch (route.view) {
    case 'overview':
      return '#/';
    case 'flow':
      return withId('#/flows', route.id);
    case 'newFlow':
      return '#/flows/new';
    case 'preview':
      return withId('#/preview', route.id);
    case 'files':
      return withId('#/files', route.id);
    case 'log':
      return '#/log';
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
