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

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

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
      ...restrict([...nodeModules, 'electron', 'better-sqlite3', 'ws', 'pino', '**/electron/**', '**/server/**'], 'renderer/ runs in the sandboxed page: no Node, no electron, no main-process code (STYLE.md).'),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [...nodeModules, 'electron', 'better-sqlite3', 'ws', 'pino', 'react', '**/electron/**', '**/renderer/**', '**/server/**'],
      'shared/ imports only shared/ (and zod): it runs on both sides (STYLE.md).',
    ),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrict(['electron', 'electron/*', '**/renderer/**', '**/shell/**', '**/webshell/**'], 'electron/services/ is pure Node: never import electron or the shells (ARCHITECTURE.md).'),
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
