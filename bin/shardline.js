#!/usr/bin/env node
// Entry point of the `shardline` command; the code is built to dist/ by `npm ci` (prepare).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { launch } = await import('../dist/cli/launch.js');
const code = await launch(process.argv.slice(2));
process.exitCode = code;
// A running agent holds timers and sockets; once a command has finished, leave promptly.
setImmediate(() => process.exit(code)).unref();
