import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('restoring the state continues the identical sequence', () => {
    const a = new Rng(42);
    for (let i = 0; i < 17; i++) a.next();
    const state = a.getState();
    const rest = Array.from({ length: 50 }, () => a.nextUint32());
    const b = new Rng(7);
    b.setState(state);
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(rest);
    expect(new Rng(state).nextUint32()).toBe(rest[0]);
  });
  it('seeds differ, values are uniform-ish, shuffles are permutations', () => {
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
    const r = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += r.next();
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
    const p = r.shuffle(Array.from({ length: 100 }, (_, i) => i));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('rejects bad states', () => {
    expect(() => new Rng([1, 2, 3] as never)).toThrow(/four uint32/);
    expect(() => new Rng(1).setState([1, 2, 3, -1])).toThrow(/four uint32/);
  });
});
