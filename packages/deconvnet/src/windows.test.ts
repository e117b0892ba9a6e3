import { describe, expect, it } from 'vitest';
import { balanceByRepetition, squareWindow, stage1Windows, stage2Windows } from './windows.js';

describe('squareWindow', () => {
  it('enlarges 1.2× about the centre, then squares on the longer side (hand-worked)', () => {
    // 40×20 box at (10,20): centre (30,30); 1.2× → 48×24; square side 48 → x = 30−24 = 6, y = 30−24 = 6.
    expect(squareWindow({ x: 10, y: 20, width: 40, height: 20 })).toEqual({ x: 6, y: 6, width: 48, height: 48 });
    // Tall 10×50 box at (0,0): centre (5,25); 1.2× → 12×60; side 60 → x = 5−30 = −25 (outside the image), y = −5.
    expect(squareWindow({ x: 0, y: 0, width: 10, height: 50 })).toEqual({ x: -25, y: -5, width: 60, height: 60 });
  });
  it('factor 1 squares without enlarging', () => {
    expect(squareWindow({ x: 2, y: 4, width: 6, height: 2 }, 1)).toEqual({ x: 2, y: 2, width: 6, height: 6 });
  });
});

describe('stage 1 windows', () => {
  it('one object-centred window per instance, labelled with that instance only', () => {
    const inst = [
      { id: 1, classIndex: 8, box: { x: 10, y: 20, width: 40, height: 20 } },
      { id: 2, classIndex: 15, box: { x: 100, y: 10, width: 20, height: 30 } },
    ];
    const w = stage1Windows(3, inst);
    expect(w).toHaveLength(2);
    expect(w[0]).toEqual({ image: 3, box: { x: 6, y: 6, width: 48, height: 48 }, classId: 8, instanceId: 1 });
    // 20×30 at (100,10): centre (110,25); 1.2× → 24×36; side 36 → (92, 7).
    expect(w[1]).toEqual({ image: 3, box: { x: 92, y: 7, width: 36, height: 36 }, classId: 15, instanceId: 2 });
    for (const win of w) {
      const b = inst.find((i) => i.id === win.instanceId)!.box;
      // The object is centred in its window.
      expect(win.box.x + win.box.width / 2).toBeCloseTo(b.x + b.width / 2, 12);
      expect(win.box.y + win.box.height / 2).toBeCloseTo(b.y + b.height / 2, 12);
    }
  });
  it('skips instances below minSide', () => {
    expect(
      stage1Windows(0, [{ id: 1, classIndex: 1, box: { x: 0, y: 0, width: 3, height: 2 } }], { minSide: 4 }),
    ).toHaveLength(0);
  });
});

describe('stage 2 windows', () => {
  const gt = [
    { id: 1, classIndex: 7, box: { x: 0, y: 0, width: 10, height: 10 } },
    { id: 2, classIndex: 12, box: { x: 50, y: 50, width: 20, height: 20 } },
  ];
  it('keeps proposals with IoU ≥ 0.5 to some instance and squares them at 1.2×', () => {
    const proposals = [
      // IoU with gt1: overlap 10×8 = 80, union 100 + 80 − 80 = 100 → 0.8.
      { x: 0, y: 2, width: 10, height: 8, score: 0.9 },
      // IoU with gt1: overlap 5×10 = 50, union 100 + 100 − 50 = 150 → 0.333: dropped.
      { x: 5, y: 0, width: 10, height: 10, score: 0.8 },
      // Exactly gt2: IoU 1.
      { x: 50, y: 50, width: 20, height: 20, score: 0.7 },
      // IoU with gt2: overlap 20×10 = 200, union 400 + 200 − 200 = 400 → exactly 0.5: kept (≥).
      { x: 50, y: 50, width: 20, height: 10, score: 0.6 },
    ];
    const w = stage2Windows(4, proposals, gt);
    expect(w.map((x) => x.classId)).toEqual([7, 12, 12]);
    expect(w[0]!.overlap).toBeCloseTo(0.8, 12);
    expect(w[2]!.overlap).toBeCloseTo(0.5, 12);
    // 10×8 at (0,2): centre (5,6); 1.2× → 12×9.6; side 12 → (−1, 0).
    expect(w[0]!.box.x).toBeCloseTo(-1, 12);
    expect(w[0]!.box.y).toBeCloseTo(0, 12);
    expect(w[0]!.box.width).toBeCloseTo(12, 12);
    expect(w[0]!.instanceId).toBeUndefined();
    expect(stage2Windows(4, proposals, gt, { minIou: 0.9 }).map((x) => x.classId)).toEqual([12]);
  });
  it('caps windows per image keeping the best overlaps', () => {
    const proposals = [
      { x: 0, y: 2, width: 10, height: 8 },
      { x: 50, y: 50, width: 20, height: 20 },
      { x: 50, y: 50, width: 20, height: 10 },
    ];
    const w = stage2Windows(0, proposals, gt, { maxPerImage: 2 });
    expect(w.map((x) => x.overlap)).toEqual([1, 0.8]);
  });
});

describe('balanceByRepetition', () => {
  it('repeats rare classes about n_max / n_c times, capped', () => {
    const ws = [
      ...Array.from({ length: 6 }, () => ({ classId: 1 })),
      ...Array.from({ length: 2 }, () => ({ classId: 2 })),
      { classId: 3 },
    ];
    const b = balanceByRepetition(ws, { maxRepeat: 4 });
    const count = (c: number) => b.filter((w) => w.classId === c).length;
    expect(count(1)).toBe(6); // r = 1
    expect(count(2)).toBe(6); // r = round(6/2) = 3
    expect(count(3)).toBe(4); // r = round(6/1) = 6, capped at 4
  });
});
