import { defineConfig } from 'vite';

/**
 * The renderer bundle (DESIGN §1): one build for the browser console and the tray app. Run from
 * the repository root as `vite build renderer`; the output goes to renderer/dist/.
 */
export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the same files load from the control server's `/` and from the tray app.
  base: './',
  // Preact's automatic JSX runtime, compiled by Vite's own transformer (no Babel).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset is a file: the CSP allows no data: URLs for scripts, styles or fonts.
    assetsInlineLimit: 0,
    // The polyfill serves browsers without modulepreload; Chromium (browser and Electron) has it.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { host: '127.0.0.1' },
});
