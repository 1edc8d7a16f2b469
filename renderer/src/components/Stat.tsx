import type { ComponentChildren } from 'preact';

/** One labelled number in a card or the totals bar. */
export function Stat({ label, value, tone, title }: { label: string; value: ComponentChildren; tone?: 'warn' | 'error' | undefined; title?: string }) {
  return (
    <div class={`stat${tone === undefined ? '' : ` tone-${tone}`}`} title={title}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
