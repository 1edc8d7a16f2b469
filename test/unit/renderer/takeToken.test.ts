import { describe, expect, it } from 'vitest';
import { forgetToken, pageToken, takeToken, TOKEN_STORAGE_KEY, type TokenPage } from '../../../renderer/src/auth/takeToken.js';

function fakePage(hash: string, stored?: string): TokenPage & { replaced: string[]; storage: Map<string, string> } {
  const storage = new Map<string, string>(stored === undefined ? [] : [[TOKEN_STORAGE_KEY, stored]]);
  const replaced: string[] = [];
  return {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState: (_data, _unused, url) => replaced.push(url) },
    sessionStorage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => storage.set(key, value),
      removeItem: (key) => storage.delete(key),
    },
    replaced,
    storage,
  };
}

describe('takeToken', () => {
  it.each([
    ['#token=abc', 'abc', '#/'],
    ['#token=a%2Fb', 'a/b', '#/'],
    ['#/log&token=abc', 'abc', '#/log'],
    ['#/flows/kinesis%3Aweb?token=abc', 'abc', '#/flows/kinesis%3Aweb'],
    ['token=abc', 'abc', '#/'],
  ])('%s → token %s, fragment %s', (hash, token, rest) => {
    expect(takeToken(hash)).toEqual({ token, hash: rest });
  });

  it.each(['', '#', '#/log', '#token=', '#tokens=abc'])('%s has no token and stays as it is', (hash) => {
    expect(takeToken(hash)).toEqual({ token: undefined, hash });
  });
});

describe('pageToken', () => {
  it('keeps a token from the address for the tab and removes it from the address bar', () => {
    const page = fakePage('#/log&token=secret');
    expect(pageToken(page)).toBe('secret');
    expect(page.storage.get(TOKEN_STORAGE_KEY)).toBe('secret');
    expect(page.replaced).toEqual(['/#/log']);
  });

  it('uses the stored token on a reload, without touching the address', () => {
    const page = fakePage('#/files', 'stored');
    expect(pageToken(page)).toBe('stored');
    expect(page.replaced).toEqual([]);
  });

  it('prefers a fresh token from the address over a stored one', () => {
    const page = fakePage('#token=fresh', 'old');
    expect(pageToken(page)).toBe('fresh');
    expect(page.storage.get(TOKEN_STORAGE_KEY)).toBe('fresh');
  });

  it('has no token without either, and forgets a refused one', () => {
    expect(pageToken(fakePage(''))).toBeUndefined();
    const page = fakePage('', 'refused');
    forgetToken(page);
    expect(pageToken(page)).toBeUndefined();
  });
});
