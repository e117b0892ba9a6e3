// Math.fround(Math.cos(o)) and Math.fround(Math.sin(o)) bit for bit, without two C library calls per pixel in
// edge NMS.
//
// A table + series approximation in float64, whose error is far below the guard δ (measured ≤ 5·10⁻⁴ δ; the
// series remainders are < 10⁻¹⁹), is rounded to float32 only when the whole interval [v − δ, v + δ] rounds to one
// float32. Math.cos/sin are within 1 ulp (< δ/2) of the true value, so that float32 is the one
// Math.fround(Math.cos(o)) gives; otherwise (a float32 rounding boundary within δ: about one call in 10⁴) the
// library function is called as before.

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/** Guard: relative 2⁻⁴⁰ plus (the reduction's errors are absolute) 2⁻⁴⁸. */
const REL = 2 ** -40;
const ABS = 2 ** -48;

// cos/sin: o = θ_k + r with θ_k = k·(π/256) (as a double) and |r| ≤ π/512. o − θ_k is exact (Sterbenz), and the
// tables hold cos/sin of that same double θ_k.
const N_TRIG = 256;
const STEP = Math.PI / N_TRIG;
const INV_STEP = N_TRIG / Math.PI;
const COS_T = new Float64Array(2 * N_TRIG + 1);
const SIN_T = new Float64Array(2 * N_TRIG + 1);
for (let k = 0; k <= 2 * N_TRIG; k++) {
  COS_T[k] = Math.cos(k * STEP);
  SIN_T[k] = Math.sin(k * STEP);
}

/**
 * Writes Math.fround(Math.cos(o)) to `cs[0]` and Math.fround(Math.sin(o)) to `cs[1]`, for a float32 `o` (any value;
 * fast for o ∈ (0, 2π)). One reduction serves both.
 */
export function sinCosF32(o: number, cs: Float64Array): void {
  if (!(o > 0 && o < 6.28)) {
    cs[0] = o === 0 ? 1 : f(Math.cos(o));
    cs[1] = o === 0 ? o : f(Math.sin(o));
    return;
  }
  const k = (o * INV_STEP + 0.5) | 0;
  const r = o - k * STEP;
  const r2 = r * r;
  const cr = 1 - r2 * (0.5 - r2 * (1 / 24 - r2 * (1 / 720)));
  const sr = r * (1 - r2 * (1 / 6 - r2 * (1 / 120)));
  const ck = COS_T[k]!;
  const sk = SIN_T[k]!;
  const vc = ck * cr - sk * sr;
  const vs = sk * cr + ck * sr;
  const dc = (vc < 0 ? -vc : vc) * REL + ABS;
  const ds = (vs < 0 ? -vs : vs) * REL + ABS;
  const c = f(vc - dc);
  const sn = f(vs - ds);
  cs[0] = c === f(vc + dc) ? c : f(Math.cos(o));
  cs[1] = sn === f(vs + ds) ? sn : f(Math.sin(o));
}
