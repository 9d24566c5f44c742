// Runs axe-core on the page and fails on any serious or critical violation, naming them.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(summary, `axe-core on ${screen}`).toEqual([]);
}

/** Every visible interactive element is at least 48 × 48 CSS pixels (touch targets). */
export async function expectTouchTargets(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input:not([type=hidden]), select, textarea, [role=button]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const kind = el.getAttribute('type');
      const target = kind === 'checkbox' || kind === 'radio' ? (el.closest('label') ?? el).getBoundingClientRect() : r;
      if (target.height < 47.5 || target.width < 47.5) out.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(target.width)}×${Math.round(target.height)}`);
    }
    return out;
  });
  expect(small, `touch targets on ${screen}`).toEqual([]);
}
