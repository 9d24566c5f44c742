// Builds the renderer: the kiosk (index.html) and the agents' console (agent.html), served by app:// or the web shell.
import react from '@vitejs/plugin-react';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, 'renderer');
const entries = Object.fromEntries(
  ['index', 'agent', 'coordinator']
    .map((name) => [name, resolve(root, `${name}.html`)] as const)
    .filter(([, file]) => existsSync(file)),
);

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  resolve: {
    // simple-peer's CommonJS entry needs Node globals; its prebuilt browser bundle does not (FIELD-NOTES.md).
    alias: { 'simple-peer': 'simple-peer/simplepeer.min.js' },
  },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { input: entries },
  },
});
