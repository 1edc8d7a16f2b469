/**
 * Shown without a token (or with a refused one). The browser can only get the token from the
 * address `shardline ui` prints; the page never asks for it in a form, so it cannot be phished.
 */
export function NoTokenView({ reason }: { reason: 'missing' | 'refused' }) {
  return (
    <main class="no-token" id="main">
      <div class="card">
        <img src="./favicon.svg" alt="" width="32" height="32" />
        <h1>
          {reason === 'missing' ? 'This page needs the agent’s access token' : 'The agent refused the access token'}
        </h1>
        <p>
          {reason === 'missing'
            ? 'The Shardline console only talks to the agent with the token the agent created. It comes in the address itself.'
            : 'The agent has probably restarted with a new token, or the address was not copied completely.'}
        </p>
        <p>On the machine running the agent, run:</p>
        <pre class="command">shardline ui</pre>
        <p>
          It prints the address to open, with the token after <code>#token=</code> (for example <code>http://127.0.0.1:7387/#token=…</code>). The token is kept for this tab only and removed from the address bar.
        </p>
      </div>
    </main>
  );
}
