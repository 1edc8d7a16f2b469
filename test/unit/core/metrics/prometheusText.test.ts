import { describe, expect, it } from 'vitest';
import { prometheusText } from '../../../../src/core/metrics/prometheusText.js';
import { FlowStats } from '../../../../src/core/stats/FlowStats.js';
import type { AgentStatus } from '../../../../src/shared/stats/flowStatus.js';

function status(): AgentStatus {
  const stats = new FlowStats();
  stats.counters.recordsSent = 42;
  stats.skip('logFormatMismatch', 3);
  stats.fail('ProvisionedThroughputExceededException', 2);
  stats.observeLatency(7);
  stats.observeLatency(300);
  stats.gauges.lagBytes = 1024;
  return {
    version: '0', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', uptimeMillis: 1500,
    flows: [{ key: 'k', id: 'kinesis:s:/var/log/"x"\\*.log', name: 'app', type: 'kinesis', streamName: 's', filePattern: '/var/log/*.log', state: 'running', warnings: [], counters: stats.snapshotCounters(), gauges: stats.gauges, putLatency: stats.latency() }],
  };
}

describe('prometheusText', () => {
  const text = prometheusText(status());
  const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  it('every sample line is valid exposition format, every family has HELP and TYPE once', () => {
    for (const line of samples) expect(line).toMatch(/^shardline_[a-z_]+(\{([a-z_]+="(?:[^"\\\n]|\\.)*",?)*\})? -?[0-9.e+]+$/);
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
  });

  it.each([
    'shardline_up 1',
    'shardline_uptime_seconds 1.5',
    'shardline_records_sent_total{flow="app"} 42',
    'shardline_records_skipped_by_reason_total{flow="app",reason="logFormatMismatch"} 3',
    'shardline_records_failed_by_code_total{flow="app",code="ProvisionedThroughputExceededException"} 2',
    'shardline_lag_bytes{flow="app"} 1024',
    'shardline_flow_state{flow="app",state="running"} 1',
    'shardline_flow_state{flow="app",state="error"} 0',
    'shardline_put_latency_seconds_bucket{flow="app",le="0.01"} 1',
    'shardline_put_latency_seconds_bucket{flow="app",le="0.5"} 2',
    'shardline_put_latency_seconds_bucket{flow="app",le="+Inf"} 2',
    'shardline_put_latency_seconds_count{flow="app"} 2',
    'shardline_flow_info{flow="app",id="kinesis:s:/var/log/\\"x\\"\\\\*.log",type="kinesis",stream="s"} 1',
  ])('has %s', (line) => {
    expect(samples).toContain(line);
  });
});
