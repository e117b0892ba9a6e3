import { describe, expect, it } from 'vitest';
import { extractInstances, instanceClassesFromLabels } from './instances.js';

const lm = (width: number, data: number[]) => ({ width, height: data.length / width, data: Uint8Array.from(data) });

describe('instances from an object map', () => {
  it('gives each id its majority class, full-size mask, tight box and area; 0 and 255 are not instances', () => {
    // 5×3 object map: instance 1 (L-shape), instance 2 (one column), void and background
    const objects = lm(5, [1, 1, 0, 2, 255, 1, 0, 0, 2, 0, 255, 0, 0, 2, 0]);
    const classes = lm(5, [12, 12, 0, 9, 255, 12, 0, 0, 9, 0, 255, 0, 0, 9, 0]);
    const inst = extractInstances(objects, instanceClassesFromLabels(objects, classes), 'obj.png');
    expect(inst.map((i) => [i.id, i.className, i.area, i.box])).toEqual([
      [1, 'dog', 3, { x: 0, y: 0, width: 2, height: 2 }],
      [2, 'chair', 3, { x: 3, y: 0, width: 1, height: 3 }],
    ]);
    expect(Array.from(inst[0]!.mask.data)).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([inst[1]!.mask.width, inst[1]!.mask.height]).toEqual([5, 3]);
  });

  it('an instance whose pixels carry no class is an error naming the file', () => {
    const objects = lm(3, [0, 3, 3]);
    const classes = lm(3, [0, 255, 255]);
    expect(() => extractInstances(objects, instanceClassesFromLabels(objects, classes), 'obj.png')).toThrow(
      /obj\.png: instance 3 has no valid class/,
    );
  });
});
