import { open } from 'node:fs/promises';
import type { ConfigProblem } from '../../core/config/configFile.js';
import { checkProcessing } from '../../core/config/checkProcessing.js';
import { formatPath } from '../../core/config/validateConfig.js';
import { compileChain, type ChainDeps } from '../../core/processing/compileChain.js';
import { translateJavaRegex } from '../../core/processing/javaRegex.js';
import { RecordProcessor } from '../../core/processing/RecordProcessor.js';
import type { AgentConfig } from '../../shared/config/agentConfigSchema.js';
import { flowSchema } from '../../shared/config/flowSchema.js';
import type { PreviewRequest, PreviewResult } from '../../shared/control/controllerApi.js';
import { FileScanner } from '../source/FileScanner.js';

export interface PreviewDeps {
  chainDeps: ChainDeps;
  random: () => number;
  md5Hex: (data: Uint8Array) => string;
}

/** How much of the end of a file is read for its last lines. */
const TAIL_BYTES = 256 * 1024;
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Runs a flow's processing chain (converters, partition key, truncation; footer) on sample lines or
 * on the last lines of the newest file its pattern matches, so a wrong logFormat shows before
 * anything is shipped. Nothing is sent; multi-line assembly is not applied (each line stands alone).
 */
export async function previewFlow(request: PreviewRequest, deps: PreviewDeps): Promise<PreviewResult> {
  const lineCount = request.lines ?? 20;
  const parsed = flowSchema.safeParse(request.flow);
  if (!parsed.success) {
    return { ok: false, items: [], problems: parsed.error.issues.map((issue) => ({ file: '', path: formatPath(['flow', ...issue.path]), message: issue.message })) };
  }
  const flow = parsed.data;
  const problems: ConfigProblem[] = checkProcessing({ flows: [flow] } as unknown as AgentConfig, [{ file: '', index: 0 }], '');
  if (problems.length > 0) return { ok: false, items: [], problems };
  let file: string | undefined;
  let lines = request.sample;
  if (lines === undefined) {
    const tail = await lastLines(flow.filePattern, lineCount);
    if (tail === undefined) return { ok: false, items: [], problems: [{ file: '', path: 'flow.filePattern', message: `no readable file matches ${flow.filePattern}; paste sample lines instead` }] };
    ({ file, lines } = tail);
  }
  const footer = flow.fileFooterPattern === undefined ? undefined : translateJavaRegex(flow.fileFooterPattern, { multiline: true });
  const processor = new RecordProcessor({
    chain: compileChain(flow.dataProcessingOptions, deps.chainDeps),
    footer: footer?.ok === true ? new RegExp(`(?<![\\s\\S])(?:${footer.regex.source})(?![\\s\\S])`, footer.regex.flags) : undefined,
    maxRecordBytes: flow.maxRecordSizeBytes,
    terminator: encoder.encode(flow.truncatedRecordTerminator),
    partitionKeyOption: flow.partitionKeyOption,
    partitionKeys: flow.type === 'kinesis',
    random: deps.random,
    md5Hex: deps.md5Hex,
  });
  const items = lines.slice(-lineCount).map((line) => {
    const input = line.endsWith('\n') ? line : `${line}\n`;
    const result = processor.process(encoder.encode(input), { path: file ?? 'preview', fingerprint: 'preview', offset: 0 });
    if (result.kind === 'skip') return { input, skipped: result.reason };
    return {
      input,
      output: decoder.decode(result.data),
      ...(flow.type === 'kinesis' ? { partitionKey: result.partitionKey } : {}),
      ...(result.fallback === undefined ? {} : { error: result.fallback instanceof Error ? result.fallback.message : String(result.fallback) }),
      ...(result.truncated ? { truncated: true } : {}),
    };
  });
  return { ok: true, ...(file === undefined ? {} : { file }), items, problems: [] };
}

/** The last complete lines of the most recently modified file the pattern matches. */
async function lastLines(pattern: string, count: number): Promise<{ file: string; lines: string[] } | undefined> {
  const { matching } = await new FileScanner(pattern).scan();
  const newest = [...matching.values()].sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const candidate of newest) {
    const handle = await open(candidate.path, 'r').catch(() => undefined);
    if (handle === undefined) continue;
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      // Drop the first (possibly cut) line when the read did not start at the beginning.
      const lines = complete.split(/(?<=\n)/).filter((line) => line !== '');
      if (start > 0) lines.shift();
      return { file: candidate.path, lines: lines.slice(-count) };
    } finally {
      await handle.close();
    }
  }
  return undefined;
}
