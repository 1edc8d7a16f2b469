import { afterEach, describe, expect, it } from 'vitest';
import { roleFor } from '../../../../src/node/sink/credentials.js';
import { createHttpHandler } from '../../../../src/node/sink/httpHandler.js';

const HTTP = { connectionTimeoutMillis: 1000, socketTimeoutMillis: 1000, maxConnections: 2, useTcpKeepAlive: false };
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy'];

describe('createHttpHandler: proxies from the environment', () => {
  const saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of PROXY_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it.each<[string, Record<string, string>, string, string | undefined]>([
    ['no proxy variables', {}, 'https://kinesis.us-east-1.amazonaws.com', undefined],
    ['HTTPS_PROXY for an https endpoint', { HTTPS_PROXY: 'http://proxy.corp:3128' }, 'https://kinesis.us-east-1.amazonaws.com', 'http://proxy.corp:3128/'],
    ['HTTP_PROXY does not apply to https', { HTTP_PROXY: 'http://proxy.corp:3128' }, 'https://kinesis.us-east-1.amazonaws.com', undefined],
    ['HTTP_PROXY for an http endpoint', { HTTP_PROXY: 'http://proxy.corp:3128' }, 'http://127.0.0.1:4567', 'http://proxy.corp:3128/'],
    ['NO_PROXY suffix match', { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.amazonaws.com' }, 'https://kinesis.us-east-1.amazonaws.com', undefined],
    ['NO_PROXY other host', { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'internal.corp' }, 'https://firehose.eu-west-1.amazonaws.com', 'http://proxy.corp:3128/'],
    ['lower-case variables', { https_proxy: 'http://p:8080' }, 'https://sts.amazonaws.com', 'http://p:8080/'],
    ['the password never reaches the log', { HTTPS_PROXY: 'http://user:s3cret@proxy.corp:3128' }, 'https://kinesis.us-east-1.amazonaws.com', 'http://user:***@proxy.corp:3128/'],
  ])('%s', (_name, env, endpoint, expected) => {
    for (const name of PROXY_VARS) delete process.env[name];
    Object.assign(process.env, env);
    const { handler, proxy } = createHttpHandler(endpoint, HTTP);
    expect(proxy).toBe(expected);
    handler.destroy();
  });
});

describe('roleFor', () => {
  const none = { assumeRoleARN: undefined, assumeRoleExternalId: undefined };
  it.each([
    ['no role anywhere', none, none, none],
    ['the global role and external id', { assumeRoleARN: 'arn:g', assumeRoleExternalId: 'gx' }, none, { assumeRoleARN: 'arn:g', assumeRoleExternalId: 'gx' }],
    ['a flow role wins, with its own external id only', { assumeRoleARN: 'arn:g', assumeRoleExternalId: 'gx' }, { assumeRoleARN: 'arn:f', assumeRoleExternalId: undefined }, { assumeRoleARN: 'arn:f', assumeRoleExternalId: undefined }],
    ['a flow external id without a flow role is not used', { assumeRoleARN: 'arn:g', assumeRoleExternalId: undefined }, { assumeRoleARN: undefined, assumeRoleExternalId: 'fx' }, { assumeRoleARN: 'arn:g', assumeRoleExternalId: undefined }],
  ])('%s', (_name, global, flow, expected) => {
    expect(roleFor(global, flow)).toEqual(expected);
  });
});
