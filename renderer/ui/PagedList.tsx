// A list shown page by page in the room its screen gives it, never scrolled: as many items as fit are drawn, then
// « suivants » shows the next ones. Measured after each drawing (before paint); the room, the text size or the screen's
// density changing starts the page again from all its items.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Icon } from './Icon.js';

export interface PagedListProps<T> {
  items: T[];
  keyOf(item: T): string;
  render(item: T): ReactNode;
  className: string;
  /** The accessible name of the list. */
  label: string;
  previous: string;
  next: string;
}

export function PagedList<T>({ items, keyOf, render, className, label, previous, next }: PagedListProps<T>) {
  const list = useRef<HTMLUListElement>(null);
  /** The first item of each page seen so far (the last one is the current page). */
  const [starts, setStarts] = useState<number[]>([0]);
  const start = Math.min(starts.at(-1) ?? 0, Math.max(0, items.length - 1));
  const [drawn, setDrawn] = useState(items.length);
  /** Bumped when the room or the lines change, so that the drawing is measured again even if it drew everything. */
  const [epoch, setEpoch] = useState(0);
  const count = Math.min(drawn, items.length - start);

  // After each drawing: if the last items end below the list's room, draw fewer (at least one).
  useLayoutEffect(() => {
    const ul = list.current;
    if (!ul) return;
    const bottom = ul.getBoundingClientRect().bottom + 0.5;
    const children = [...ul.children];
    const over = children.findIndex((c) => c.getBoundingClientRect().bottom > bottom);
    if (over !== -1 && over < count) setDrawn(Math.max(1, over));
  }, [count, start, items, epoch]);

  // The room or the lines changed: measure again from every remaining item.
  useEffect(() => {
    const ul = list.current;
    if (!ul) return undefined;
    const again = () => {
      setDrawn(items.length);
      setEpoch((n) => n + 1);
    };
    let size = `${ul.clientWidth}x${ul.clientHeight}`;
    // jsdom (unit tests) has no ResizeObserver: the window never resizes there.
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const now = `${ul.clientWidth}x${ul.clientHeight}`;
      if (now !== size) {
        size = now;
        again();
      }
    });
    resized?.observe(ul);
    const restyled = new MutationObserver(again);
    restyled.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'lang'] });
    const shell = ul.closest('[data-fit]');
    if (shell) restyled.observe(shell, { attributes: true, attributeFilter: ['data-fit'] });
    return () => {
      resized?.disconnect();
      restyled.disconnect();
    };
  }, [items.length]);

  const paged = start > 0 || start + count < items.length;
  return (
    <>
      {/* data-fit-box: when not even one item fits, the shell tightens (ui/useFitLevels.ts). */}
      <ul ref={list} className={className} role="list" aria-label={label} data-fit-box="">
        {items.slice(start, start + count).map((item) => (
          <li key={keyOf(item)}>{render(item)}</li>
        ))}
      </ul>
      {paged && (
        <div className="paged-list__nav">
          <button
            type="button"
            className="button"
            disabled={start === 0}
            onClick={() => {
              setStarts(starts.slice(0, -1));
              setDrawn(items.length);
            }}
          >
            <Icon name="left" />
            {previous}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={start + count >= items.length}
            onClick={() => {
              setStarts([...starts, start + count]);
              setDrawn(items.length);
            }}
          >
            {next}
            <Icon name="right" />
          </button>
        </div>
      )}
    </>
  );
}
