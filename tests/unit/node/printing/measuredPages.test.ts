// How a long form is cut into pages from the measured edges of its fields (renderer/kiosk/printing/useMeasuredPages.ts).
import { describe, expect, it } from 'vitest';
import { pageOf, pageStarts, type Edges } from '../../../../renderer/kiosk/printing/useMeasuredPages.js';

/** Fields of the given heights, one under the other with `gap` pixels between them, starting at `top`. */
function column(heights: number[], gap = 16, top = 100): Edges[] {
  let y = top;
  return heights.map((h) => {
    const e = { top: y, bottom: y + h };
    y += h + gap;
    return e;
  });
}

describe('pageStarts', () => {
  it('fills each page while the last field ends inside the room, gaps included', () => {
    // 80 px fields every 96 px: four end within 368 px (3×96 + 80), a fifth would need 464.
    expect(pageStarts(column([80, 80, 80, 80, 80, 80, 80, 80, 80]), 400)).toEqual([0, 4, 8]);
  });

  it('gives a field taller than the room a page of its own and goes on after it', () => {
    expect(pageStarts(column([80, 500, 80, 80]), 300)).toEqual([0, 1, 2]);
  });

  it('keeps everything on one page when it all fits, and one empty page for no field', () => {
    expect(pageStarts(column([50, 50, 50]), 1000)).toEqual([0]);
    expect(pageStarts([], 400)).toEqual([0]);
  });

  it('tolerates half a pixel of rounding and no more', () => {
    expect(pageStarts([{ top: 0, bottom: 100 }, { top: 110, bottom: 200.4 }], 200)).toEqual([0]);
    expect(pageStarts([{ top: 0, bottom: 100 }, { top: 110, bottom: 201 }], 200)).toEqual([0, 1]);
  });

  it('survives hostile measures: no room, negative room, NaN edges — every field still has a page', () => {
    for (const room of [0, -50, Number.NaN]) {
      const starts = pageStarts(column([80, 80, 80]), room);
      expect(starts).toEqual([0, 1, 2]);
    }
    expect(pageStarts([{ top: Number.NaN, bottom: Number.NaN }, { top: 0, bottom: 10 }], 400)).toEqual([0, 1]);
  });
});

describe('pageOf', () => {
  it('finds the page holding a field, the last page for anything beyond', () => {
    const starts = [0, 4, 8];
    expect([0, 3, 4, 7, 8, 12].map((i) => pageOf(starts, i))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(pageOf([0], 5)).toBe(0);
  });
});
