// First: zod must be configured before the shared schemas are built (see jitlessZod).
import './boot/jitlessZod.js';
// uPlot's stylesheet is bundled as a file like ours: the CSP allows no inline styles (DESIGN §10).
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { App } from './App.js';
import { HttpControllerClient } from './api/HttpControllerClient.js';
import { IpcControllerClient } from './api/IpcControllerClient.js';
import type { ShardlineBridge } from '../../src/shared/control/ipcContract.js';
import { forgetToken, pageToken } from './auth/takeToken.js';
import { NoTokenView } from './views/NoTokenView.js';

/**
 * The browser entry: the page is served by the daemon's control server, so the API is this
 * origin, and the token comes from the address `shardline ui` prints.
 */
function BrowserRoot() {
  const [token, setToken] = useState(() => pageToken(window));
  const [refused, setRefused] = useState(false);
  const client = useMemo(() => (token === undefined ? undefined : new HttpControllerClient(window.location.origin, token)), [token]);
  if (client === undefined) return <NoTokenView reason={refused ? 'refused' : 'missing'} />;
  return (
    <App
      client={client}
      onUnauthorized={() => {
        forgetToken(window);
        setRefused(true);
        setToken(undefined);
      }}
    />
  );
}

/** Inside the tray app the preload exposes the controller over IPC: no token, no HTTP. */
function TrayRoot({ bridge }: { bridge: ShardlineBridge }) {
  const client = useMemo(() => new IpcControllerClient(bridge), [bridge]);
  return <App client={client} onUnauthorized={() => undefined} />;
}

const bridge = (window as { shardline?: ShardlineBridge }).shardline;
const root = document.getElementById('app');
if (root !== null) render(bridge === undefined ? <BrowserRoot /> : <TrayRoot bridge={bridge} />, root);
