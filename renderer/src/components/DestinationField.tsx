import type { DestinationType } from '../../../src/shared/config/flowSchema.js';
import { STREAM_KEYS } from '../edit/destination.js';

const NAMES: Record<DestinationType, string> = { kinesis: 'Kinesis Data Streams', firehose: 'Firehose' };

/** The destination type switch: which of kinesisStream / deliveryStream the flow sets. */
export function DestinationField({ type, onChange }: { type: DestinationType; onChange: (type: DestinationType) => void }) {
  const other = type === 'kinesis' ? 'firehose' : 'kinesis';
  return (
    <div class="field" role="radiogroup" aria-labelledby="destination-label">
      <span class="label" id="destination-label">
        Destination
      </span>
      <div class="control segmented">
        {(['kinesis', 'firehose'] as const).map((t) => (
          <label key={t} class={type === t ? 'selected' : undefined}>
            <input type="radio" name="destination" value={t} checked={type === t} onChange={() => onChange(t)} />
            {NAMES[t]}
          </label>
        ))}
      </div>
      <p class="hint">
        Sets <code>{STREAM_KEYS[type]}</code>; switching moves the stream name to <code>{STREAM_KEYS[other]}</code>.
      </p>
    </div>
  );
}
