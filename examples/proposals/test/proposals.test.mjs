import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iou } from '@deconvnet/image';
import { proposals } from '../proposals.mjs';

test('the top proposals find two solid objects on a plain background', () => {
  const W = 160;
  const H = 120;
  const data = new Uint8Array(W * H * 3).fill(200);
  const objects = [
    { x: 20, y: 20, width: 50, height: 40, rgb: [200, 30, 30] },
    { x: 95, y: 50, width: 45, height: 55, rgb: [30, 60, 200] },
  ];
  for (const o of objects) {
    for (let y = o.y; y < o.y + o.height; y++)
      for (let x = o.x; x < o.x + o.width; x++) data.set(o.rgb, (y * W + x) * 3);
  }
  // EdgeBoxes90: dense sliding windows for tightly localised boxes.
  const boxes = proposals({ width: W, height: H, data }, 1000, 'EdgeBoxes90');
  assert.ok(boxes.length > 0 && boxes.length <= 1000);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i - 1].score >= boxes[i].score, 'sorted by score');
  for (const o of objects) {
    const best = Math.max(...boxes.map((b) => iou(b, o)));
    assert.ok(best >= 0.7, `object at ${o.x},${o.y} recovered with IoU ${best.toFixed(2)}`);
  }
});
