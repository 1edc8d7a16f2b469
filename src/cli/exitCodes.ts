// The exit codes live in src/shared: the tray app's agent process reports them too.
export * from '../shared/exitCodes.js';
