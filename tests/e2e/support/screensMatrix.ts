// The screens matrix: one page per screen, its viewport and text size changed in place, the audit of screenAudit.ts run at
// each combination (failures collected with expect.soft, so one run names them all), a screenshot of each in
// docs/screenshots/<viewport>/<screen>--<size>.png, and an index (index.html and index.md) a person can browse.
import { internalCodesOn } from './internalCodes.js';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditScreen, hoverRulesOutsideHoverMedia, type AuditScope } from './screenAudit.js';
import { REPO } from './kiosk.js';

export const SCREENSHOTS = join(REPO, 'docs/screenshots');

export interface Viewport {
  name: string;
  width: number;
  height: number;
  what: string;
}

export const VIEWPORTS: Viewport[] = [
  { name: '1024x768', width: 1024, height: 768, what: 'small kiosk / old 4:3 screen' },
  { name: '1280x800', width: 1280, height: 800, what: 'common kiosk and tablet' },
  { name: '1366x768', width: 1366, height: 768, what: 'common laptop-class panel' },
  { name: '1920x1080', width: 1920, height: 1080, what: 'full HD kiosk' },
  { name: '1080x1920', width: 1080, height: 1920, what: 'portrait kiosk' },
];

export interface TextSize {
  name: string;
  slug: string;
  /** The accessible name of its button in the kiosk's header. */
  button: string;
}

export const TEXT_SIZES: TextSize[] = [
  { name: 'A', slug: 'A', button: 'Texte normal' },
  { name: 'A+', slug: 'A-plus', button: 'Texte grand' },
  { name: 'A++', slug: 'A-plus-plus', button: 'Texte très grand' },
];

export interface ScreenSpec {
  /** File-name slug: `visio-connected`. */
  screen: string;
  /** What it is, for the index. */
  title: string;
  scope: AuditScope;
  /** Selectors of what must be in view (the primary actions of a staff screen, an alert, a document). */
  primary?: string[];
  /** Viewport names (default: all five). */
  viewports?: string[];
  /** Text size names (default: all three; the agents' console has none: `[]`). */
  sizes?: string[];
  /** More checks run at each combination, each returning its problems. */
  extra?: (page: Page, at: { viewport: Viewport; size: TextSize | null }) => Promise<string[]>;
  /**
   * axe-core at 1280×800, text A (default false: the other specs already run it on the screens they reach; the matrix runs
   * it on the states only it reaches, where it costs ~10 s each on a busy 2-core machine).
   */
  axe?: boolean;
  /**
   * Before each measure, a key event tells the idle guards (the idle countdown, the charter shown after a minute) that
   * someone is there, so the screen does not change under the measure (default true; false for the idle countdown itself).
   */
  keepAlive?: boolean;
}

export interface MatrixResult {
  screen: string;
  title: string;
  viewport: string;
  size: string;
  file: string;
  problems: string[];
}

/** Sets the kiosk's text size as its header button does, without a pointer or key event (the idle guards ignore it). */
export async function setTextSize(page: Page, size: TextSize): Promise<void> {
  await page.evaluate((label) => {
    const button = document.querySelector<HTMLButtonElement>(`.text-size button[aria-label="${label}"]`);
    if (!button) throw new Error(`no text size button « ${label} »`);
    button.click();
  }, size.button);
}

/** Waits until the layout stops moving (fonts loaded, observers and re-renders done). */
export async function settle(page: Page): Promise<void> {
  let last = '';
  for (let i = 0; i < 20; i++) {
    const now = await page.evaluate(async () => {
      await document.fonts.ready;
      const main = document.querySelector('main')?.getBoundingClientRect();
      const se = document.scrollingElement ?? document.documentElement;
      return `${se.scrollHeight}:${se.scrollWidth}:${main?.height ?? 0}:${main?.width ?? 0}:${document.querySelectorAll('*').length}`;
    });
    if (now === last) return;
    last = now;
    await page.waitForTimeout(40);
  }
}

export function createScreensMatrix() {
  const results: MatrixResult[] = [];
  const timings: Array<{ screen: string; checks: number; ms: number; shots: number }> = [];

  /** `SCREENS=home,visio-connected` measures only those (the flow still goes through every screen); `VIEWPORTS=1024x768` too. */
  const only = process.env.SCREENS?.split(',').filter(Boolean);
  const onlyViewports = process.env.VIEWPORTS?.split(',').filter(Boolean);
  const phases = { settle: 0, audit: 0, shot: 0, axe: 0 };

  async function check(page: Page, spec: ScreenSpec): Promise<void> {
    if (only && !only.includes(spec.screen)) return;
    const started = Date.now();
    const viewports = VIEWPORTS.filter((v) => (!spec.viewports || spec.viewports.includes(v.name)) && (!onlyViewports || onlyViewports.includes(v.name)));
    const sizes: Array<TextSize | null> = spec.sizes && spec.sizes.length === 0 ? [null] : TEXT_SIZES.filter((s) => !spec.sizes || spec.sizes.includes(s.name));
    const original = page.viewportSize();
    let checks = 0;
    const shotsBefore = phases.shot;
    for (const viewport of viewports) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      for (const size of sizes) {
        if (spec.keepAlive ?? true) await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'Shift' })));
        if (size) await setTextSize(page, size);
        let t0 = Date.now();
        await settle(page);
        phases.settle += Date.now() - t0;
        t0 = Date.now();
        const problems = await page.evaluate(auditScreen, { scope: spec.scope, primary: spec.primary ?? [] });
        // Hover styles and the words on screen are the same at every size: said once per screen.
        if (checks === 0) problems.push(...(await page.evaluate(hoverRulesOutsideHoverMedia)).map((rule) => `a style depends on hover outside @media (hover: hover): ${rule}`));
        if (checks === 0) problems.push(...(await internalCodesOn(page)));
        if (spec.extra) problems.push(...(await spec.extra(page, { viewport, size })));
        const file = `${viewport.name}/${spec.screen}--${size?.slug ?? 'A'}.jpg`;
        mkdirSync(join(SCREENSHOTS, viewport.name), { recursive: true });
        phases.audit += Date.now() - t0;
        t0 = Date.now();
        // JPEG: twice as fast as PNG to take here, and a third of the size for the repository.
        await page.screenshot({ path: join(SCREENSHOTS, file), caret: 'hide', type: 'jpeg', quality: 80 });
        phases.shot += Date.now() - t0;
        results.push({ screen: spec.screen, title: spec.title, viewport: viewport.name, size: size?.name ?? 'A', file, problems });
        expect.soft(problems, `${spec.screen} at ${viewport.name}, text ${size?.name ?? 'A'}`).toEqual([]);
        checks++;
        if ((spec.axe ?? false) && viewport.name === '1280x800' && (size === null || size.name === 'A')) {
          t0 = Date.now();
          const axe = await new AxeBuilder({ page }).analyze();
          phases.axe += Date.now() - t0;
          const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          expect.soft(serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), `axe-core on ${spec.screen}`).toEqual([]);
        }
      }
    }
    if (sizes[0]) await setTextSize(page, TEXT_SIZES[0]!);
    if (original) await page.setViewportSize(original);
    await settle(page);
    timings.push({ screen: spec.screen, checks, ms: Date.now() - started, shots: phases.shot - shotsBefore });
  }

  /** Writes docs/screenshots/index.html and index.md from this run's results. */
  function writeIndex(seconds: number): void {
    const screens = [...new Map(results.map((r) => [r.screen, r.title])).entries()];
    const sizes = TEXT_SIZES.map((s) => s.name);
    const total = results.length;
    const failed = results.filter((r) => r.problems.length > 0).length;
    const summary = `${screens.length} screens, ${total} screenshots (screen × viewport × text size), ${failed} with a problem; taken by tests/e2e/screens-matrix.spec.ts in ${seconds} s.`;
    const cell = (r: MatrixResult | undefined, html: boolean) => {
      if (!r) return html ? '<td></td>' : ' ';
      const mark = r.problems.length === 0 ? '✔' : `✘ ${r.problems.length}`;
      const tip = r.problems.join('\n').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      const img = `<a href="${r.file}"><img src="${r.file}" width="180" alt="${r.screen} ${r.viewport} ${r.size}" loading="lazy"></a>`;
      return html ? `<td title="${tip}">${img}<br>${r.size} ${mark}</td>` : `${img}<br>${r.size} ${mark}`;
    };
    const html: string[] = [
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Relais — every screen at every size</title>',
      '<style>body{font-family:sans-serif;margin:1rem 2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:center;font-size:13px}img{border:1px solid #999}pre{white-space:pre-wrap;font-size:12px;text-align:left;max-width:900px}</style></head><body>',
      '<h1>Relais — every screen at every size</h1>',
      `<p>${summary} Viewports: ${VIEWPORTS.map((v) => `${v.name} (${v.what})`).join(', ')}. Text sizes: ${sizes.join(', ')}. Hover a cell to read its problems; click a picture to open it.</p>`,
    ];
    const md: string[] = ['# Relais — every screen at every size', '', summary, '', `Viewports: ${VIEWPORTS.map((v) => `${v.name} (${v.what})`).join(', ')}. Text sizes: ${sizes.join(', ')}.`, ''];
    for (const [screen, title] of screens) {
      const mine = results.filter((r) => r.screen === screen);
      const vps = VIEWPORTS.filter((v) => mine.some((r) => r.viewport === v.name));
      const rowSizes = sizes.filter((s) => mine.some((r) => r.size === s));
      html.push(`<h2 id="${screen}">${title} <small>(${screen})</small></h2><table><tr>${vps.map((v) => `<th>${v.name}</th>`).join('')}</tr>`);
      md.push(`## ${title} (\`${screen}\`)`, '', `| ${vps.map((v) => v.name).join(' | ')} |`, `|${vps.map(() => ' --- |').join('')}`);
      for (const size of rowSizes) {
        const row = vps.map((v) => mine.find((r) => r.viewport === v.name && r.size === size));
        html.push(`<tr>${row.map((r) => cell(r, true)).join('')}</tr>`);
        md.push(`| ${row.map((r) => cell(r, false)).join(' | ')} |`);
      }
      html.push('</table>');
      md.push('');
      const bad = mine.filter((r) => r.problems.length > 0);
      if (bad.length > 0) {
        html.push(`<pre>${bad.map((r) => `${r.viewport} ${r.size}:\n  ${r.problems.join('\n  ')}`).join('\n').replace(/</g, '&lt;')}</pre>`);
        md.push('Problems:', '', ...bad.flatMap((r) => r.problems.map((p) => `- ${r.viewport} ${r.size}: ${p}`)), '');
      }
    }
    html.push('</body></html>');
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, 'index.html'), html.join('\n'));
    writeFileSync(join(SCREENSHOTS, 'index.md'), md.join('\n'));
  }

  /** Before a full run: the previous run's screenshots go (a screen renamed or removed leaves none behind). */
  function clearScreenshots(): void {
    if (only || onlyViewports) return;
    for (const v of VIEWPORTS) rmSync(join(SCREENSHOTS, v.name), { recursive: true, force: true });
  }

  return { check, writeIndex, clearScreenshots, results, timings, phases };
}
