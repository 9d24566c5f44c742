// Lint rules, including the layers of STYLE.md: a wrong import across layers fails `npm test`.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'url', 'util', 'stream', 'events',
  'worker_threads', 'zlib', 'dgram', 'dns', 'readline', 'buffer', 'process', 'module', 'v8', 'vm', 'perf_hooks',
];
const nodeModules = ['node:*', ...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `${m}/*`)];

const restrict = (patterns, message) => restrictAll([{ group: patterns, message }]);
/** Several groups of forbidden imports, each with its own reason (a later config's rule replaces an earlier one's). */
const restrictAll = (groups) => ({ 'no-restricted-imports': ['error', { patterns: groups }] });

const RENDERER_ONLY = {
  group: [...nodeModules, 'electron', 'better-sqlite3', 'ws', 'pino', '**/electron/**', '**/server/**'],
  message: 'renderer/ runs in the sandboxed page: no Node, no electron, no main-process code (STYLE.md).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'node_modules/**', 'out/**', 'tests/.tmp/**', 'playwright-report/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrictAll([RENDERER_ONLY]),
    },
  },
  {
    files: ['renderer/agent/**/*.{ts,tsx}', 'renderer/coordinator/**/*.{ts,tsx}', 'renderer/ui/**/*.{ts,tsx}'],
    rules: restrictAll([
      RENDERER_ONLY,
      {
        group: ['**/kiosk/**'],
        message: 'the agents\' console, the coordinator\'s dashboard and renderer/ui/ never import the booth\'s screens (renderer/kiosk/): what they share lives in renderer/ui/ or renderer/call/.',
      },
    ]),
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/node/**'],
    rules: restrict(
      [...nodeModules, 'electron', 'better-sqlite3', 'ws', 'pino', 'react', '**/electron/**', '**/renderer/**', '**/server/**'],
      'shared/ imports only shared/ (and zod): it runs on both sides (STYLE.md).',
    ),
  },
  {
    // Node code both programs use (the kiosk's shells and the hub): Node built-ins and shared/, nothing of either program.
    files: ['shared/node/**/*.ts'],
    rules: restrict(
      ['electron', 'electron/*', 'react', '**/electron/**', '**/renderer/**', '**/server/**'],
      'shared/node/ is used by the kiosk and the hub alike: Node and shared/ only, never either program\'s code.',
    ),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrictAll([
      { group: ['electron', 'electron/*', '**/renderer/**', '**/shell/**', '**/webshell/**'], message: 'electron/services/ is pure Node: never import electron or the shells (ARCHITECTURE.md).' },
      { group: ['**/server/**', '**/boothHub*'], message: 'electron/services/ is the kiosk only: the hub program is started by the shells (electron/boothHub.ts), never by a service.' },
    ]),
  },
  {
    // The shells start the demo hub through its face, so the hub's insides can move without touching the kiosk.
    files: ['electron/*.ts', 'electron/shell/**/*.ts', 'electron/webshell/**/*.ts'],
    rules: restrict(['**/server/**', '!**/server/index.js'], 'outside server/, the hub is imported through server/index.ts only.'),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict(['electron', 'electron/*', '**/renderer/**', '**/electron/shell/**'], 'the hub runs without Electron and without the renderer.'),
  },
  {
    // Node code of both programs (the kiosk's services and the hub): Node and better-sqlite3, never a program's own code.
    files: ['shared/node/**/*.ts'],
    rules: restrict(['electron', 'electron/*', 'react', 'react-dom', '**/electron/**', '**/renderer/**', '**/server/**'], 'shared/node/ is Node code of both programs: it imports Node, better-sqlite3 and shared/ only.'),
  },
  {
    // The TypeScript twin of no-restricted-imports, so that this adds to each layer's own list instead of replacing it.
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['shared/node/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/shared/node/**', './node/**', '../node/**', '../../node/**'], message: 'shared/node/ is Node-only: the renderer and the rest of shared/ never import it.' }] }],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx,mjs}', 'build/**/*.{js,mjs,cjs,ts}', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
