// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/**
 * Runtime layers (DESIGN §1). A file may import only from the layers listed for its folder;
 * a violation fails `npm test`.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const runtimePackages = ['@aws-sdk/*', '@smithy/*', 'chokidar', 'lowdb', 'lowdb/*', 'pino', 'pino-*', 'commander', 'kinesalite'];

/** @param {{ names?: string[], groups?: string[], message: string }} ban */
const restrict = ({ names = [], groups = [], message }) => ({
  'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })), patterns: groups.length > 0 ? [{ group: groups, message }] : [] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'dist-bundle/**', 'release/**', 'out/**', 'node_modules/**', 'coverage/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict({
      names: nodeBuiltins,
      groups: [...runtimePackages, 'electron', 'jsonc-parser', 'picomatch', '**/core/**', '**/node/**', '**/cli/**', '**/electron/**'],
      message: 'src/shared may import zod only (DESIGN §1 layers).',
    }),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...restrict({
        names: [...nodeBuiltins, 'electron'],
        groups: [...runtimePackages, 'electron', 'node:*', '**/node/**', '**/cli/**', '**/electron/**'],
        message: 'src/core is pure: shared and pure libraries only, nothing runtime-specific (DESIGN §1 layers).',
      }),
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: inject what you need.' }, { name: 'Buffer', message: 'src/core uses Uint8Array.' }, { name: 'require', message: 'src/core is ESM and pure.' }],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: restrict({ names: ['electron'], groups: ['electron', '**/cli/**', '**/electron/**'], message: 'src/node may import shared, core, node:* and its libraries, never cli or electron (DESIGN §1 layers).' }),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict({ names: ['electron'], groups: ['electron', '**/electron/**'], message: 'src/cli never imports electron (DESIGN §1 layers).' }),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: restrict({
      names: [...nodeBuiltins, 'electron'],
      groups: [...runtimePackages, 'electron', 'node:*', '**/core/**', '**/node/**', '**/cli/**', '**/electron/**'],
      message: 'renderer may import src/shared only (DESIGN §1 layers).',
    }),
  },
  {
    // `electron` is loaded at run time by the app's two entry modules only; everything else takes the
    // facade (src/electron/main/ElectronFacade.ts) or types. Anywhere else, even in tests, requiring it
    // would try to download the Electron binary.
    files: ['src/electron/**/*.ts', 'test/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.js', '*.config.*'],
    ignores: ['src/electron/main/main.ts', 'src/electron/preload/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', allowTypeImports: true, message: 'Only src/electron/main/main.ts and src/electron/preload/preload.ts import electron at run time; use the ElectronFacade or `import type`.' }],
        patterns: [{ group: ['electron/*'], allowTypeImports: true, message: 'Only the app entries import electron at run time.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.mjs', '*.config.*'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
