// A long form shown page by page in the room its screen leaves, never scrolled: every field is drawn once (hidden by the
// box's overflow, before paint), measured, and the fields are cut into pages that each hold in the box. Measured again
// when the room changes: the window, the text size, the shell's density level, or a notice above the box (`again`).
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** One drawn field's top and bottom edges, in pixels. */
export interface Edges {
  top: number;
  bottom: number;
}

/**
 * The index of the first field of each page: a page takes fields while the last one's bottom stays within `room` of the
 * page's first top (the gaps between them count). A field taller than the room gets a page of its own.
 */
export function pageStarts(fields: Edges[], room: number): number[] {
  const starts: number[] = [];
  let first = 0;
  while (first < fields.length) {
    starts.push(first);
    const top = (fields[first] as Edges).top;
    let next = first + 1;
    while (next < fields.length && (fields[next] as Edges).bottom - top <= room + 0.5) next++;
    first = next;
  }
  return starts.length ? starts : [0];
}

/** The pages of the fields drawn in `box` (its element children), in the room the box has. */
function measure(box: HTMLElement): number[] {
  const room = box.getBoundingClientRect();
  const edges = [...box.children].map((c) => {
    const r = c.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  });
  return pageStarts(edges, room.bottom - Math.max(room.top, edges[0]?.top ?? room.top));
}

/** The page holding field `index`. */
export function pageOf(starts: number[], index: number): number {
  let page = 0;
  while (page + 1 < starts.length && (starts[page + 1] as number) <= index) page++;
  return page;
}

/**
 * `box` is given to the element whose element children are the fields. While `measuring` is true the screen draws them all; the pages are then known
 * before paint. `again` is any value that changes the room inside the box (an error list shown above it, say); `shown` is
 * whether the box is on screen (it is not while the form loads or its preview is shown).
 */
export function useMeasuredPages<E extends HTMLElement>(count: number, again: string, shown: boolean): { box: RefObject<E | null>; measuring: boolean; starts: number[] } {
  const box = useRef<E>(null);
  const [epoch, setEpoch] = useState(0);
  /** The pages as last measured; null while the fields are drawn all at once to be measured. */
  const [starts, setStarts] = useState<number[] | null>(null);
  // Anything that changes the room starts a new measure (state adjusted while rendering, as React advises).
  const key = `${count}|${again}|${epoch}|${shown}`;
  const [measuredFor, setMeasuredFor] = useState(key);
  if (measuredFor !== key) {
    setMeasuredFor(key);
    setStarts(null);
  }

  // Measured before paint: the visitor never sees the fields all drawn at once.
  useLayoutEffect(() => {
    const el = box.current;
    if (starts === null && el) setStarts(measure(el));
  }, [starts, key]);

  // The room changes with the window (the box's frame resizes), the text size and language (<html>'s style and lang),
  // and the shell's density level (data-fit, ui/useFitLevels.ts).
  useEffect(() => {
    const el = box.current;
    const frame = el?.parentElement;
    if (!el || !frame) return undefined;
    const remeasure = () => setEpoch((n) => n + 1);
    let size = `${frame.clientWidth}x${frame.clientHeight}`;
    // jsdom (unit tests) has no ResizeObserver: the window never resizes there.
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const now = `${frame.clientWidth}x${frame.clientHeight}`;
      if (now !== size) {
        size = now;
        remeasure();
      }
    });
    resized?.observe(frame);
    const restyled = new MutationObserver(remeasure);
    restyled.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'lang'] });
    const shell = el.closest('[data-fit]') ?? el.closest('.kiosk');
    if (shell) restyled.observe(shell, { attributes: true, attributeFilter: ['data-fit'] });
    return () => {
      resized?.disconnect();
      restyled.disconnect();
    };
  }, [shown]);

  return { box, measuring: starts === null, starts: starts ?? [0] };
}
