import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/src/route/parseRoute.js';

const id = 'kinesis:web-logs:/var/log/nginx/access.log*';

describe('parseRoute and routeHref', () => {
  it.each<[string, Route]>([
    ['', { view: 'overview' }],
    ['#/', { view: 'overview' }],
    ['#/flows/new', { view: 'newFlow' }],
    [`#/flows/${encodeURIComponent(id)}`, { view: 'flow', id }],
    ['#/preview', { view: 'preview', id: undefined }],
    [`#/preview/${encodeURIComponent(id)}`, { view: 'preview', id }],
    ['#/files', { view: 'files', id: undefined }],
    ['#/log', { view: 'log' }],
    ['#/nope', { view: 'notFound', hash: '#/nope' }],
    ['#/log/x', { view: 'notFound', hash: '#/log/x' }],
    ['#/flows/a/b', { view: 'notFound', hash: '#/flows/a/b' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips every view, ids with : / * included', () => {
    const routes: Exclude<Route, { view: 'notFound' }>[] = [
      { view: 'overview' }, { view: 'newFlow' }, { view: 'flow', id }, { view: 'preview', id }, { view: 'preview', id: undefined }, { view: 'files', id }, { view: 'log' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });
});
