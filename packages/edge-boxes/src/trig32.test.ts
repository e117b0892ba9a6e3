import { describe, expect, it } from 'vitest';
import { rng } from './test-helpers.js';
import { sinCosF32 } from './trig32.js';

const f = Math.fround;

describe('sinCosF32', () => {
  const cs = new Float64Array(2);
  const check = (o: number): boolean => {
    sinCosF32(o, cs);
    return Object.is(cs[0], f(Math.cos(o))) && Object.is(cs[1], f(Math.sin(o)));
  };
  const buf = new Float32Array(1);
  const bits = new Uint32Array(buf.buffer);
  const PI_BITS = 0x40490fdb; // fround(π): the float32 orientations of [0, π) have bit patterns below it

  it('gives fround(Math.cos), fround(Math.sin) bit for bit on random float32 angles in [0, π)', () => {
    const rand = rng(11);
    let bad = 0;
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.floor(rand() * PI_BITS);
      if (!check(buf[0]!)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('is exact where the values are tiny or the rounding is close: around 0, π/4, π/2, 3π/4 and π', () => {
    let bad = 0;
    let n = 0;
    for (const centre of [0, 0x3f490fdb, 0x3fc90fdb, 0x4016cbe4, PI_BITS]) {
      for (let b = Math.max(0, centre - 20_000); b <= centre + 20_000; b++) {
        bits[0] = b;
        n++;
        if (!check(buf[0]!)) bad++;
      }
    }
    expect(n).toBeGreaterThan(180_000);
    expect(bad).toBe(0);
  });

  it('handles values outside the fast range as the library does (0, −0, negatives, ≥ 2π, NaN)', () => {
    for (const o of [0, -0, -1, 6.5, 100, Number.NaN, 1e-45, f(Math.PI)]) expect(check(o)).toBe(true);
    sinCosF32(0, cs);
    expect(cs[0]).toBe(1);
    expect(Object.is(cs[1], 0)).toBe(true);
  });
});
