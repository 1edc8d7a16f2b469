import { isMainThread } from 'node:worker_threads';

// Entry point of the single-file bundle (scripts/bundle.mjs → dist-bundle/shardline.mjs), what
// bin/shardline.js is to the package. `run` works in a worker thread (launch.ts), and in one file
// that worker can only be this same file started again: on the main thread it is the command line,
// on any other it is the agent's thread. Both imports are dynamic so esbuild initialises only the
// branch taken, and so the environment below is set before the AWS SDK is loaded.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (isMainThread) {
  const { launch } = await import('./launch.js');
  const code = await launch(process.argv.slice(2), new URL(import.meta.url));
  process.exitCode = code;
  // A running agent holds timers and sockets; once a command has finished, leave promptly.
  setImmediate(() => process.exit(code)).unref();
} else {
  await import('./agentWorker.js');
}
