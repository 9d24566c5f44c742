// The Electron end-to-end suite (Playwright `_electron`): runs where an Electron binary exists, reports itself skipped elsewhere.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  outputDir: '../.tmp/electron-results',
  reporter: [['list']],
});
