import type { BoxScorer } from './score.js';

/** A box in the code's convention (0-based, inclusive pixels x…x+w × y…y+h) with its score. */
export interface RawBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/**
 * Coordinate descent of pdollar/edges `refineBox` (post-ECCV fixed version): halve the steps each round, stop when
 * both are ≤ 2; move each side out, else in, keeping a move only if the score strictly increases.
 * `box` must already be scored (clamped) by `scorer`; it is updated in place.
 */
export function refineBox(box: RawBox, scorer: BoxScorer, ratio: number): void {
  let yStep = Math.trunc(Math.fround(box.h * ratio));
  let xStep = Math.trunc(Math.fround(box.w * ratio));
  for (;;) {
    yStep = (yStep / 2) | 0;
    xStep = (xStep / 2) | 0;
    if (yStep <= 2 && xStep <= 2) break;
    yStep = Math.max(1, yStep);
    xStep = Math.max(1, xStep);
    // top
    let s = scorer.score(box.x, box.y - yStep, box.w, box.h + yStep, box.score);
    if (s <= box.score) s = scorer.score(box.x, box.y + yStep, box.w, box.h - yStep, box.score);
    if (s > box.score) take(box, scorer, s);
    // bottom
    s = scorer.score(box.x, box.y, box.w, box.h + yStep, box.score);
    if (s <= box.score) s = scorer.score(box.x, box.y, box.w, box.h - yStep, box.score);
    if (s > box.score) take(box, scorer, s);
    // left
    s = scorer.score(box.x - xStep, box.y, box.w + xStep, box.h, box.score);
    if (s <= box.score) s = scorer.score(box.x + xStep, box.y, box.w - xStep, box.h, box.score);
    if (s > box.score) take(box, scorer, s);
    // right
    s = scorer.score(box.x, box.y, box.w + xStep, box.h, box.score);
    if (s <= box.score) s = scorer.score(box.x, box.y, box.w - xStep, box.h, box.score);
    if (s > box.score) take(box, scorer, s);
  }
}

function take(box: RawBox, scorer: BoxScorer, s: number): void {
  box.x = scorer.x;
  box.y = scorer.y;
  box.w = scorer.w;
  box.h = scorer.h;
  box.score = s;
}
