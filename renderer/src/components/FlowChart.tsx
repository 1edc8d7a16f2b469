import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatCount } from '../format/formatCount.js';
import { CHART_WINDOW_MILLIS, type FlowHistory } from '../stats/FlowHistory.js';

const HEIGHT = 150;
const WINDOW_SECONDS = CHART_WINDOW_MILLIS / 1000;

const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Tick labels: the time of day only; the window is 15 minutes, so a date would be noise. */
function clockTime(unixSeconds: number): string {
  return CLOCK.format(new Date(unixSeconds * 1000));
}

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function chartOptions(width: number): uPlot.Options {
  const axis = cssColor('--muted');
  const grid = cssColor('--grid');
  const accent = cssColor('--accent');
  const axisLook = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui, sans-serif' };
  return {
    width,
    height: HEIGHT,
    // A fixed 15-minute window ending now: a young flow fills it from the right.
    scales: {
      x: {
        time: true,
        range: (_u, _min, max) => {
          const end = max ?? Date.now() / 1000;
          return [end - WINDOW_SECONDS, end];
        },
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 0) * 1.15)] },
    },
    series: [
      {},
      { label: 'lines read/s', stroke: axis, width: 1, dash: [4, 3], value: (_u, v) => (v === null ? '–' : formatCount(v)) },
      { label: 'records sent/s', stroke: accent, width: 1.5, fill: cssColor('--accent-fill'), value: (_u, v) => (v === null ? '–' : formatCount(v)) },
    ],
    axes: [
      { ...axisLook, space: 70, values: (_u, ticks) => ticks.map((t) => clockTime(t)) },
      { ...axisLook, size: 44, values: (_u, ticks) => ticks.map((t) => formatCount(t)) },
    ],
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/**
 * Lines read and records sent per second over the last 15 minutes. The uPlot instance is made
 * once and fed from the history's subscription, so the chart appends a point a second without
 * the view re-rendering (DESIGN §10). It is rebuilt only when the colour scheme changes.
 */
export function FlowChart({ history, flowKey, label }: { history: FlowHistory; flowKey: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const make = () => new uPlot(chartOptions(Math.max(element.clientWidth, 200)), history.chart(flowKey), element);
    let plot = make();
    const unsubscribe = history.subscribe(() => plot.setData(history.chart(flowKey)));
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT }));
    resize.observe(element);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const recolour = () => {
      plot.destroy();
      plot = make();
    };
    scheme.addEventListener('change', recolour);
    return () => {
      scheme.removeEventListener('change', recolour);
      resize.disconnect();
      unsubscribe();
      plot.destroy();
    };
  }, [history, flowKey]);
  return <div class="chart" ref={box} role="img" aria-label={`${label}: lines read and records sent per second, last 15 minutes`} />;
}
