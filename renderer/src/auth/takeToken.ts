/** The sessionStorage key holding the control token for this tab. */
export const TOKEN_STORAGE_KEY = 'shardline.token';

export interface TokenFromHash {
  /** The token in the fragment, if there was one. */
  token: string | undefined;
  /** The fragment without the token, to put back in the address bar (`#/` when nothing is left). */
  hash: string;
}

/**
 * `shardline ui` prints `http://127.0.0.1:7387/#token=<token>`. A fragment never reaches the server
 * or its logs; the page takes the token out of it so it is not left in the address bar, history or
 * a screenshot. Other fragment content (a route such as `#/log`) is kept:
 * `#token=abc` → `#/`, `#/log&token=abc` → `#/log`, `#/log?token=abc` → `#/log`.
 */
export function takeToken(hash: string): TokenFromHash {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  let token: string | undefined;
  const kept: string[] = [];
  for (const part of body.split(/[&?]/)) {
    if (part.startsWith('token=')) {
      const value = safeDecode(part.slice('token='.length));
      if (value !== '') token = value;
    } else if (part !== '') {
      kept.push(part);
    }
  }
  if (token === undefined) return { token: undefined, hash };
  const route = kept.find((part) => part.startsWith('/')) ?? '/';
  return { token, hash: `#${route}` };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The parts of `window` the token handling touches, so tests can pass fakes. */
export interface TokenPage {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/**
 * The token for this page: a token in the fragment wins (a fresh `shardline ui` address), is kept
 * in sessionStorage (so a reload of the tab keeps working) and removed from the address bar.
 */
export function pageToken(page: TokenPage): string | undefined {
  const { token, hash } = takeToken(page.location.hash);
  if (token !== undefined) {
    page.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    page.history.replaceState(null, '', `${page.location.pathname}${page.location.search}${hash}`);
    return token;
  }
  const stored = page.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  return stored === null || stored === '' ? undefined : stored;
}

/** Forgets a token the agent refused (it restarted with a new one). */
export function forgetToken(page: Pick<TokenPage, 'sessionStorage'>): void {
  page.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
}
