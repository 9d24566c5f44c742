// What the screens matrix asserts on one screen at one viewport and text size, measured in the page: no vertical (or
// horizontal) scroll on a visitor screen, every interactive element inside the viewport and not covered (the element at its
// centre is itself or inside it), every touch target at least 48 px, no text clipped or spilling out of its box, and no
// style that depends on hover outside `@media (hover: hover)`. Each problem comes back as one sentence with its figures.

export type AuditScope = 'visitor' | 'staff';

export interface AuditInput {
  /** visitor: the page never scrolls and every interactive element is in view; staff: only `primary` must be in view. */
  scope: AuditScope;
  /** Selectors of what must be wholly in view and uncovered (interactive or not: an alert, a chart). */
  primary: string[];
}

/** Runs in the page (passed to page.evaluate): the problems found, one sentence each. */
export function auditScreen(input: AuditInput): string[] {
  const problems: string[] = [];
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const innerH = window.innerHeight;
  const px = (n: number) => `${Math.round(n)} px`;
  const name = (el: Element): string => {
    const label = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${cls}${label ? ` « ${label} »` : ''}`;
  };
  const hiddenByDesign = (el: Element): boolean => !!el.closest('.visually-hidden, [hidden]');
  const shown = (el: Element): boolean => {
    if (hiddenByDesign(el)) return false;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  const scroller = document.scrollingElement ?? document.documentElement;
  if (input.scope === 'visitor') {
    if (scroller.scrollHeight > innerH + 1) problems.push(`the page scrolls: its content is ${px(scroller.scrollHeight)} high in a ${px(innerH)} window`);
    if (scroller.scrollWidth > vw + 1) problems.push(`the page scrolls sideways: its content is ${px(scroller.scrollWidth)} wide in ${px(vw)}`);
  }

  // A modal dialog covers the rest by design: only what is inside it must be reachable.
  const modals = [...document.querySelectorAll('[aria-modal="true"]')].filter(shown);
  const modal = modals.at(-1) ?? null;

  const inView = (el: Element, what: string) => {
    const r = el.getBoundingClientRect();
    const out: string[] = [];
    if (r.top < -0.5) out.push(`top at ${px(r.top)}`);
    if (r.left < -0.5) out.push(`left at ${px(r.left)}`);
    if (r.bottom > vh + 0.5) out.push(`bottom at ${px(r.bottom)} (top ${px(r.top)}) on a ${px(vh)} screen`);
    if (r.right > vw + 0.5) out.push(`right at ${px(r.right)} on a ${px(vw)} wide screen`);
    if (out.length > 0) problems.push(`${what} ${name(el)} is out of view: ${out.join(', ')}`);
    return out.length === 0;
  };
  const uncovered = (el: Element, what: string) => {
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
    const hit = document.elementFromPoint(x, y);
    // A control inside its label (checkbox, radio) may be reached through the label.
    const label = el.closest('label');
    if (hit && (hit === el || el.contains(hit) || (label && label.contains(hit)))) return;
    problems.push(`${what} ${name(el)} is covered at its centre (${px(x)}, ${px(y)}) by ${hit ? name(hit) : 'nothing'}`);
  };

  const INTERACTIVE = 'button, a[href], input:not([type=hidden]), select, textarea, summary, iframe, [role=button], [tabindex]:not([tabindex="-1"])';
  const interactive = [...document.querySelectorAll(INTERACTIVE)].filter(shown).filter((el) => !modal || modal.contains(el));
  for (const el of interactive) {
    if (input.scope === 'visitor') {
      if (inView(el, 'the control')) uncovered(el, 'the control');
    } else {
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.top < vh && r.right > 0 && r.left < vw) uncovered(el, 'the control');
    }
    // Touch targets: at least 48 × 48 CSS pixels (a checkbox or radio counts with its label).
    if (el.matches('iframe, [tabindex]:not(button):not(a):not(input):not(select):not(textarea)')) continue;
    const kind = el.getAttribute('type');
    const target = (kind === 'checkbox' || kind === 'radio' ? (el.closest('label') ?? el) : el).getBoundingClientRect();
    if (target.height < 47.5 || target.width < 47.5) problems.push(`the touch target ${name(el)} is ${px(target.width)} × ${px(target.height)} (under 48 px)`);
  }
  for (const selector of input.primary) {
    const found = [...document.querySelectorAll(selector)].filter(shown);
    if (found.length === 0) problems.push(`nothing matches the primary ${selector}`);
    for (const el of found) if (inView(el, `the primary ${selector}`)) uncovered(el, `the primary ${selector}`);
  }

  // Text clipped or spilling: a box whose content is larger than the box (its scroll size over its client size). Only the
  // innermost such box is named (its ancestors grow with it).
  const SKIP = 'html, body, script, style, svg, svg *, video, canvas, iframe, img, input, select, textarea, option, progress, meter, br';
  const spilling: Array<{ el: Element; what: string }> = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches(SKIP) || hiddenByDesign(el)) continue;
    const style = getComputedStyle(el);
    // Kept for screen readers only (a 1 px box clipped away): not on screen, so nothing of it can spill.
    if (el.getBoundingClientRect().width <= 1 && style.clipPath !== 'none') continue;
    if (style.display === 'inline' || style.display === 'contents' || style.display === 'none') continue;
    // A staff screen may scroll: its scrolling boxes, and what lies below the fold, are not spills.
    if (input.scope === 'staff' && (el.getBoundingClientRect().top > vh || /auto|scroll/.test(style.overflowY))) continue;
    const over: string[] = [];
    if (el.scrollHeight > el.clientHeight + 1) over.push(`${px(el.scrollHeight - el.clientHeight)} too high`);
    if (el.scrollWidth > el.clientWidth + 1) over.push(`${px(el.scrollWidth - el.clientWidth)} too wide`);
    if (over.length > 0 && el.clientWidth > 0) spilling.push({ el, what: over.join(', ') });
  }
  for (const s of spilling) {
    if (spilling.some((o) => o !== s && s.el.contains(o.el))) continue;
    const clips = getComputedStyle(s.el).overflow !== 'visible';
    // Name the child that reaches furthest out of the box.
    const box = s.el.getBoundingClientRect();
    let culprit = '';
    let worst = 0;
    for (const child of s.el.children) {
      const r = child.getBoundingClientRect();
      const out = Math.max(r.right - box.right, r.bottom - box.bottom);
      if (out > worst + 0.5) {
        worst = out;
        culprit = ` (${name(child)} reaches ${px(out)} out)`;
      }
    }
    problems.push(`${clips ? 'clipped' : 'spills'}: the content of ${name(s.el)} is ${s.what} for its box${culprit}`);
  }
  return problems;
}

/** Runs in the page: style rules that apply on hover outside `@media (hover: hover)` (they stick after a touch). */
export function hoverRulesOutsideHoverMedia(): string[] {
  const out: string[] = [];
  const walk = (rules: CSSRuleList, guarded: boolean) => {
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule) walk(rule.cssRules, guarded || /\(\s*hover\s*:\s*hover\s*\)/.test(rule.conditionText));
      else if (rule instanceof CSSStyleRule) {
        if (!guarded && rule.selectorText.includes(':hover')) out.push(rule.selectorText);
        if (rule.cssRules.length > 0) walk(rule.cssRules, guarded);
      } else if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules, guarded);
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      walk(sheet.cssRules, false);
    } catch {
      // A sheet of another origin cannot be read (none is expected on the kiosk).
    }
  }
  return out;
}

/** Runs in the page: the rendered size of every SVG chart label (its font size times the chart's scale), under `min` px. */
export function smallChartLabels(min: number): string[] {
  const out: string[] = [];
  for (const svg of document.querySelectorAll<SVGSVGElement>('svg.chart')) {
    const box = svg.viewBox.baseVal;
    const scale = box && box.width > 0 ? svg.getBoundingClientRect().width / box.width : 1;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < min) out.push(`the chart label « ${text.textContent ?? ''} » is drawn at ${size.toFixed(1)} px (under ${min} px)`);
    }
    const labels = [...svg.querySelectorAll('text')].map((t) => ({ t: t.textContent ?? '', r: t.getBoundingClientRect() }));
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i]!.r;
        const b = labels[j]!.r;
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(`the chart labels « ${labels[i]!.t} » and « ${labels[j]!.t} » overlap`);
      }
  }
  return out;
}
