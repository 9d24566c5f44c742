// npm run bench:bornes — the coordinator's « Bornes » view for 1,000 booths, rendered in Debian's Chromium (the browser a
// coordinator uses: real style and layout of the table, which jsdom does not do), timed inside the page from the render
// call to the forced layout. Beside it, the same component rendered to static markup in Node, a floor without any DOM.
// Target (issue 17): ≤ 200 ms for 1,000 booths.
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { BoothsView } from '../../renderer/coordinator/booths/BoothsView.js';
import { initCoordinatorI18n } from '../../renderer/coordinator/i18n.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../e2e/playwright.config.js';
import { benchFleet } from './bornes/fleet.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BOOTHS = Number(process.env.BENCH_BOOTHS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const TARGET_MS = 200;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)] ?? 0;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function inChromium(): Promise<number[]> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'tests/bench/bornes/page.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const css = ['renderer/ui/kiosk.css', 'renderer/coordinator/coordinator.css'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, env: CHROMIUM_ENV });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The script as text in the page (no server needed); </script> cannot occur in esbuild's minified output of our code.
    await page.setContent(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>${css}</style></head><body class="coord"></body></html>`);
    await page.addScriptTag({ content: script });
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const r = await page.evaluate((n) => window.renderBornes(n), BOOTHS);
      if (r.rows !== BOOTHS) throw new Error(`${r.rows} rows drawn for ${BOOTHS} booths`);
      if (i >= WARMUP) times.push(r.ms);
    }
    return times;
  } finally {
    await browser.close();
  }
}

function inNode(): number[] {
  // The catalog sets the page's lang on start-up; Node has no page, so it gets a stand-in for that one property.
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
  initCoordinatorI18n('fr');
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const data = benchFleet(BOOTHS);
    const started = performance.now();
    const html = renderToStaticMarkup(createElement(BoothsView, { data, failed: false, reload: () => undefined, onSignedOut: () => undefined }));
    const elapsed = performance.now() - started;
    if (!html.includes('</tbody>')) throw new Error('no table rendered');
    if (i >= WARMUP) times.push(elapsed);
  }
  return times;
}

async function main(): Promise<void> {
  console.log(`bench:bornes — the « Bornes » view for ${BOOTHS} booths, ${RUNS} runs after ${WARMUP} warm-up; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const chromiumTimes = await inChromium();
  const nodeTimes = inNode();
  console.log(`  Chromium (render + style + layout): median ${ms(median(chromiumTimes))}, p90 ${ms(p90(chromiumTimes))}, min ${ms(Math.min(...chromiumTimes))} — target ≤ ${TARGET_MS} ms: ${median(chromiumTimes) <= TARGET_MS ? 'met' : 'NOT met'}`);
  console.log(`  Node, static markup (no DOM, a floor): median ${ms(median(nodeTimes))}, p90 ${ms(p90(nodeTimes))}`);
}

await main();
