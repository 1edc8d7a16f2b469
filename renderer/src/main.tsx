// First: zod must be configured before the shared schemas are built (see jitlessZod).
import './boot/jitlessZod.js';
// uPlot's stylesheet is bundled as a file like ours: the CSP allows no inline styles (DESIGN §10).
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { App } from './App.js';
import { HttpControllerClient } from './api/HttpControllerClient.js';
import { forgetToken, pageToken } from './auth/takeToken.js';
import { NoTokenView } from './views/NoTokenView.js';

/**
 * The browser entry: the page is served by the daemon's control server, so the API is this
 * origin, and the token comes from the address `shardline ui` prints. (The tray app will have its
 * own entry that renders <App> with an IPC client and no token.)
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

const root = document.getElementById('app');
if (root !== null) render(<BrowserRoot />, root);
