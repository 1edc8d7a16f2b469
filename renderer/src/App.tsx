import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ControllerClient } from './api/ControllerClient.js';
import { ApplyResultView } from './components/ApplyResultView.js';
import { formatAgo, formatDuration } from './format/formatDuration.js';
import type { Notice } from './notice.js';
import { routeHref, type Route } from './route/parseRoute.js';
import { useRoute } from './route/useRoute.js';
import { FlowHistory } from './stats/FlowHistory.js';
import { useAgentStatus, type LiveStatus } from './stats/useAgentStatus.js';
import { FilesView } from './views/FilesView.js';
import { FlowEditorView } from './views/FlowEditorView.js';
import { LogView } from './views/LogView.js';
import { OverviewView } from './views/OverviewView.js';
import { PreviewView } from './views/PreviewView.js';

const NAV: readonly { label: string; route: Exclude<Route, { view: 'notFound' }>; views: readonly Route['view'][] }[] = [
  { label: 'Overview', route: { view: 'overview' }, views: ['overview', 'flow', 'newFlow'] },
  { label: 'Preview', route: { view: 'preview', id: undefined }, views: ['preview'] },
  { label: 'Files', route: { view: 'files', id: undefined }, views: ['files'] },
  { label: 'Log', route: { view: 'log' }, views: ['log'] },
];

const NOTICE_FOLLOWS_MILLIS = 2000;

function ConnectionState({ live }: { live: LiveStatus }) {
  // Re-renders each second on its own so "updated 3 s ago" keeps counting if the stream stalls.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const age = live.receivedAt === undefined ? undefined : now - live.receivedAt;
  if (live.connection === 'offline') {
    return <span class="connection tone-error" role="status"><span aria-hidden="true">▲ </span>Agent unreachable, retrying</span>;
  }
  if (live.connection === 'connecting' || live.status === undefined || age === undefined) {
    return <span class="connection tone-muted" role="status"><span aria-hidden="true">◌ </span>Connecting…</span>;
  }
  const stale = age > 5000;
  return (
    <span class={`connection tone-${stale ? 'warn' : 'ok'}`} title={`Shardline ${live.status.version}, pid ${live.status.pid}, up ${formatDuration(live.status.uptimeMillis)}`}>
      <span aria-hidden="true">{stale ? '⚠ ' : '● '}</span>
      {stale ? `No update for ${formatAgo(age).replace(' ago', '')}` : 'Live'} · v{live.status.version} · up {formatDuration(live.status.uptimeMillis)}
    </span>
  );
}

function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  return (
    <div class="notice card" aria-label={notice.title}>
      <div class="notice-head">
        <strong>{notice.title}</strong>
        <button type="button" class="button icon" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>✕</button>
      </div>
      {notice.kind === 'apply' ? (
        <ApplyResultView result={notice.result} />
      ) : (
        <p class="message tone-error" role="alert"><span aria-hidden="true">▲ </span>{notice.message}</p>
      )}
    </div>
  );
}

/**
 * The console: a header with navigation and the connection state, and the current view. One
 * status stream and one history serve every view, so charts keep their 15 minutes across views.
 */
export function App({ client, onUnauthorized }: { client: ControllerClient; onUnauthorized: () => void }) {
  const route = useRoute();
  const history = useMemo(() => new FlowHistory(), []);
  const live = useAgentStatus(client, history, onUnauthorized);
  const [shown, setShown] = useState<{ notice: Notice; at: number } | undefined>();
  const setNotice = useCallback((notice: Notice) => setShown({ notice, at: Date.now() }), []);
  const notice = shown?.notice;

  // On a change of view, focus moves to <main> (which stays while views come and go), so keyboard
  // and screen-reader users start at the new content; on the first load the page starts at the top.
  const routeKey = JSON.stringify(route);
  const firstRoute = useRef(routeKey);
  useEffect(() => {
    if (routeKey === firstRoute.current) return;
    firstRoute.current = '';
    // A save or removal may move to another view itself; the outcome stays for that move only.
    setShown((current) => (current !== undefined && Date.now() - current.at > NOTICE_FOLLOWS_MILLIS ? undefined : current));
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [routeKey]);

  const flows = live.status?.flows ?? [];
  return (
    <>
      <header class="topbar">
        <a class="brand" href={routeHref({ view: 'overview' })}>
          <img src="./favicon.svg" alt="" width="18" height="18" /> Shardline
        </a>
        <nav aria-label="Views">
          {NAV.map((item) => (
            <a key={item.label} href={routeHref(item.route)} aria-current={item.views.includes(route.view) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <ConnectionState live={live} />
      </header>
      <main id="main" tabIndex={-1}>
        {notice !== undefined && <NoticeBar notice={notice} onDismiss={() => setShown(undefined)} />}
        {route.view === 'overview' && <OverviewView client={client} live={live} history={history} />}
        {route.view === 'flow' && <FlowEditorView key={route.id} client={client} id={route.id} onNotice={setNotice} />}
        {route.view === 'newFlow' && <FlowEditorView key="new" client={client} id={undefined} onNotice={setNotice} />}
        {route.view === 'preview' && <PreviewView client={client} id={route.id} />}
        {route.view === 'files' && <FilesView client={client} flows={flows} id={route.id} />}
        {route.view === 'log' && <LogView client={client} flows={flows} />}
        {route.view === 'notFound' && (
          <section class="view">
            <h1 tabIndex={-1}>Page not found</h1>
            <p class="empty">Nothing at <code>{route.hash}</code>. <a href={routeHref({ view: 'overview' })}>Go to the overview</a>.</p>
          </section>
        )}
      </main>
    </>
  );
}
