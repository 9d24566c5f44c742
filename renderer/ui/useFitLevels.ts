// Keeps a visitor screen inside the window without ever reducing the text size the visitor chose: when the screen's content
// is larger than its room, the shell steps through denser levels (data-fit="1" … MAX_FIT) that the styles use to tighten
// spacing, shrink headings and logos, and at the last level leave out hints that only repeat a button's label. Measured
// synchronously after every change (no animation frame: it must also hold while timers are stopped), before paint.
import { useLayoutEffect, type RefObject } from 'react';

export const MAX_FIT = 3;

/** Whether the screen's content is larger than its room (the shell, its <main>, or a box inside marked data-fit-box). */
function overflows(shell: HTMLElement): boolean {
  const boxes = [shell, ...shell.querySelectorAll<HTMLElement>(':scope > main, [data-fit-box]')];
  return boxes.some((box) => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1);
}

/**
 * `key` changes with the screen: a new screen starts again from the roomiest level. Changes inside a screen (a question,
 * a notice, help called) only ever make it denser until the next screen, the next window size or the next text size.
 */
export function useFitLevels(shell: RefObject<HTMLElement | null>, enabled: boolean, key: string): void {
  useLayoutEffect(() => {
    const root = shell.current;
    if (!root) return undefined;
    if (!enabled) {
      root.removeAttribute('data-fit');
      return undefined;
    }
    let busy = false;
    const level = () => Number(root.getAttribute('data-fit') ?? '0');
    const fit = (from: number) => {
      if (busy) return;
      busy = true;
      // Written only when it changes: observers of the level (a paged list) hear of real changes only.
      const set = (n: number) => {
        if (root.getAttribute('data-fit') !== String(n)) root.setAttribute('data-fit', String(n));
      };
      try {
        let n = from;
        set(n);
        while (n < MAX_FIT && overflows(root)) set(++n);
      } finally {
        busy = false;
      }
    };
    fit(0);
    let size = `${root.clientWidth}x${root.clientHeight}`;
    // jsdom (unit tests) has no ResizeObserver: the window never resizes there.
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const now = `${root.clientWidth}x${root.clientHeight}`;
      if (now !== size) {
        size = now;
        fit(0);
      }
    });
    resized?.observe(root);
    const changed = new MutationObserver(() => fit(level()));
    changed.observe(root, { childList: true, subtree: true, characterData: true });
    // The text size (a style on <html>) and the language change every line: start again.
    const restyled = new MutationObserver(() => fit(0));
    restyled.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'lang'] });
    return () => {
      resized?.disconnect();
      changed.disconnect();
      restyled.disconnect();
    };
  }, [shell, enabled, key]);
}
