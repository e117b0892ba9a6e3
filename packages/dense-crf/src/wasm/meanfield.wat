;; SIMD kernel of the mean-field message (src/wasm/meanfield.ts), the hot loops of permutohedral.ts 4 labels per
;; f32x4 instruction. Every value is a byte address in the imported memory; label rows are padded to P floats
;; (P a multiple of 4, padding lanes 0). Vertex and neighbour tables hold byte offsets (id·P·4) relative to the
;; value buffer. All arithmetic is float32 multiply/add without FMA, in the same order as the scalar JS, so the
;; results are bit-identical to it (and to the reference's SSE code).
;; Build: npm run build:wasm (scripts/wat-to-ts.mjs at the repo root) regenerates src/wasm/meanfieldbytes.ts.
(module
  (import "env" "memory" (memory 1))
  (import "env" "exp" (func $exp (param f64) (result f64)))

  ;; vals[off[p,k]] += w[p,k] · in[p] for every point p and simplex vertex k (row = in + p·P·4).
  ;; scale ≠ 0: the row is first scaled by scale[p] (input normalisation) into the scratch row at tmp.
  (func (export "splat")
    (param $in i32) (param $scale i32) (param $tmp i32) (param $vals i32) (param $off i32) (param $w i32)
    (param $n i32) (param $d1 i32) (param $P i32)
    (local $p i32) (local $k i32) (local $l i32) (local $row i32) (local $o i32) (local $wk v128)
    (local $s v128) (local $bytes i32) (local $pk i32)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $row (local.get $in))
        (if (local.get $scale)
          (then
            (local.set $s (f32x4.splat (f32.load (i32.add (local.get $scale) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $l (i32.const 0))
            (loop $sc
              (v128.store (i32.add (local.get $tmp) (local.get $l))
                (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $in) (local.get $l)))))
              (local.set $l (i32.add (local.get $l) (i32.const 16)))
              (br_if $sc (i32.lt_u (local.get $l) (local.get $bytes))))
            (local.set $row (local.get $tmp))))
        (local.set $k (i32.const 0))
        (loop $verts
          (local.set $o (i32.add (local.get $vals) (i32.load (i32.add (local.get $off) (local.get $pk)))))
          (local.set $wk (v128.load32_splat (i32.add (local.get $w) (local.get $pk))))
          (local.set $l (i32.const 0))
          (loop $lanes
            (v128.store (i32.add (local.get $o) (local.get $l))
              (f32x4.add (v128.load (i32.add (local.get $o) (local.get $l)))
                (f32x4.mul (local.get $wk) (v128.load (i32.add (local.get $row) (local.get $l))))))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
          (local.set $pk (i32.add (local.get $pk) (i32.const 4)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $verts (i32.lt_u (local.get $k) (local.get $d1))))
        (local.set $in (i32.add (local.get $in) (local.get $bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; One blur sweep along an axis: dst[v] = src[v] + 0.5·(src[n1] + src[n2]) for vertices v = 1..m (slot 0 is the
  ;; permanent zero vertex that missing neighbours point to). nb: 2 byte offsets per vertex.
  (func (export "blur")
    (param $src i32) (param $dst i32) (param $nb i32) (param $m i32) (param $P i32)
    (local $c i32) (local $end i32) (local $o1 i32) (local $o2 i32) (local $l i32) (local $bytes i32)
    (local $half v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $c (local.get $bytes))
    (local.set $end (i32.mul (i32.add (local.get $m) (i32.const 1)) (local.get $bytes)))
    (block $done
      (loop $verts
        (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $o1 (i32.add (local.get $src) (i32.load (local.get $nb))))
        (local.set $o2 (i32.add (local.get $src) (i32.load offset=4 (local.get $nb))))
        (local.set $l (i32.const 0))
        (loop $lanes
          (v128.store (i32.add (i32.add (local.get $dst) (local.get $c)) (local.get $l))
            (f32x4.add
              (v128.load (i32.add (i32.add (local.get $src) (local.get $c)) (local.get $l)))
              (f32x4.mul (local.get $half)
                (f32x4.add (v128.load (i32.add (local.get $o1) (local.get $l)))
                  (v128.load (i32.add (local.get $o2) (local.get $l)))))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $nb (i32.add (local.get $nb) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (local.get $bytes)))
        (br $verts))))

  ;; Slice (sseCompute order: Σ_k fround(sw_k · val_k) from k = 0) fused with the output normalisation and the Potts
  ;; update: t = w · (f[p] · slice) (f = 0: w · slice); unary ≠ 0: logits = t − unary, else logits += t.
  (func (export "slicePotts")
    (param $vals i32) (param $logits i32) (param $off i32) (param $sw i32) (param $n i32) (param $d1 i32)
    (param $P i32) (param $f i32) (param $w f32) (param $unary i32)
    (local $p i32) (local $k i32) (local $l i32) (local $bytes i32) (local $pk i32) (local $kk i32)
    (local $acc v128) (local $wv v128) (local $s v128) (local $t v128) (local $a i32) (local $stride i32)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $d1) (i32.const 2)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (if (local.get $f)
          (then (local.set $s (v128.load32_splat (i32.add (local.get $f) (i32.shl (local.get $p) (i32.const 2)))))))
        (local.set $l (i32.const 0))
        (loop $lanes
          (local.set $acc
            (f32x4.mul (v128.load32_splat (i32.add (local.get $sw) (local.get $pk)))
              (v128.load (i32.add (i32.add (local.get $vals) (i32.load (i32.add (local.get $off) (local.get $pk))))
                (local.get $l)))))
          (local.set $kk (i32.add (local.get $pk) (i32.const 4)))
          (local.set $k (i32.const 1))
          (block $vdone
            (loop $verts
              (br_if $vdone (i32.ge_u (local.get $k) (local.get $d1)))
              (local.set $acc
                (f32x4.add (local.get $acc)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $sw) (local.get $kk)))
                    (v128.load
                      (i32.add (i32.add (local.get $vals) (i32.load (i32.add (local.get $off) (local.get $kk))))
                        (local.get $l))))))
              (local.set $kk (i32.add (local.get $kk) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $verts)))
          (if (local.get $f)
            (then (local.set $t (f32x4.mul (local.get $wv) (f32x4.mul (local.get $s) (local.get $acc)))))
            (else (local.set $t (f32x4.mul (local.get $wv) (local.get $acc)))))
          (local.set $a (i32.add (local.get $logits) (local.get $l)))
          (if (local.get $unary)
            (then
              (v128.store (local.get $a)
                (f32x4.sub (local.get $t) (v128.load (i32.add (local.get $unary) (local.get $l))))))
            (else (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $t)))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $logits (i32.add (local.get $logits) (local.get $bytes)))
        (if (local.get $unary) (then (local.set $unary (i32.add (local.get $unary) (local.get $bytes)))))
        (local.set $pk (i32.add (local.get $pk) (local.get $stride)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; a[i] ·= f for i < count (i32, count rounded up to 4): vertex ids → byte offsets of their value rows.
  (func (export "scaleIds") (param $a i32) (param $count i32) (param $f i32)
    (local $end i32) (local $fv v128)
    (local.set $fv (i32x4.splat (local.get $f)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (i32x4.mul (v128.load (local.get $a)) (local.get $fv)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $l))))

  ;; n rows of L floats at $src (packed; up to 12 bytes read past the end) → rows of P floats at $dst, padding
  ;; lanes 0.
  (func (export "pad") (param $src i32) (param $dst i32) (param $n i32) (param $L i32) (param $P i32)
    (local $p i32) (local $l i32) (local $Lb i32) (local $Pb i32)
    (local.set $Lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $Pb (i32.shl (local.get $P) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $l (i32.const 0))
        (loop $chunks
          (v128.store (i32.add (local.get $dst) (local.get $l))
            (v128.and (v128.load (i32.add (local.get $src) (local.get $l)))
              (i32x4.lt_s (v128.const i32x4 0 4 8 12) (i32x4.splat (i32.sub (local.get $Lb) (local.get $l))))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $chunks (i32.lt_u (local.get $l) (local.get $Pb))))
        (local.set $src (i32.add (local.get $src) (local.get $Lb)))
        (local.set $dst (i32.add (local.get $dst) (local.get $Pb)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))

  ;; n rows of P floats at $src → packed rows of L floats at $dst (whole 16-byte stores in row order: a row's excess
  ;; lanes land in the next row's first lanes, rewritten just after; up to 12 bytes written past the end).
  (func (export "unpad") (param $src i32) (param $dst i32) (param $n i32) (param $L i32) (param $P i32)
    (local $p i32) (local $l i32) (local $Lb i32) (local $Pb i32)
    (local.set $Lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $Pb (i32.shl (local.get $P) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $l (i32.const 0))
        (loop $chunks
          (v128.store (i32.add (local.get $dst) (local.get $l)) (v128.load (i32.add (local.get $src) (local.get $l))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $chunks (i32.lt_u (local.get $l) (local.get $Lb))))
        (local.set $src (i32.add (local.get $src) (local.get $Pb)))
        (local.set $dst (i32.add (local.get $dst) (local.get $Lb)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))

  ;; logits = −unary over `count` floats.
  (func (export "negate") (param $u i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $u) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (v128.store (local.get $out) (f32x4.neg (v128.load (local.get $u))))
        (local.set $u (i32.add (local.get $u) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $l))))

  ;; softmax.ts `eigenExpf` on 4 lanes: Eigen 3.4's SSE `pexp<Packet4f>` without FMA (Cephes range reduction,
  ;; degree-6 polynomial, pldexp as y·2^b·2^b·2^b·2^(m−3b) with |m| ≤ 128 so every factor is a normal float).
  (func $pexp (param $x0 v128) (result v128)
    (local $x v128) (local $m v128) (local $r v128) (local $r2 v128) (local $y v128) (local $y1 v128)
    (local $mi v128) (local $b v128) (local $c v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x0) (f32x4.splat (f32.const 88.723)))
      (f32x4.splat (f32.const -88.723))))
    (local.set $m (f32x4.floor (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
      (f32x4.splat (f32.const 0.5)))))
    (local.set $r (f32x4.add (f32x4.mul (local.get $m) (f32x4.splat (f32.const -0.693359375))) (local.get $x)))
    (local.set $r (f32x4.add (f32x4.mul (local.get $m) (f32x4.splat (f32.const 2.12194440e-4))) (local.get $r)))
    (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
    (local.set $y (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r))
      (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $y1 (f32x4.add (f32x4.mul (f32x4.splat (f32.const 4.1665795894e-2)) (local.get $r))
      (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $y1 (f32x4.add (f32x4.mul (local.get $y1) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r2) (local.get $r))) (local.get $y1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r2))
      (f32x4.add (local.get $r) (f32x4.splat (f32.const 1)))))
    (local.set $mi (i32x4.trunc_sat_f32x4_s (local.get $m)))
    (local.set $b (i32x4.shr_s (local.get $mi) (i32.const 2)))
    (local.set $c (i32x4.shl (i32x4.add (local.get $b) (i32x4.splat (i32.const 127))) (i32.const 23)))
    (local.set $y (f32x4.mul (f32x4.mul (f32x4.mul (local.get $y) (local.get $c)) (local.get $c)) (local.get $c)))
    (local.set $c (i32x4.shl
      (i32x4.add (i32x4.sub (local.get $mi) (i32x4.mul (local.get $b) (i32x4.splat (i32.const 3))))
        (i32x4.splat (i32.const 127)))
      (i32.const 23)))
    (f32x4.max (f32x4.mul (local.get $y) (local.get $c)) (local.get $x0)))

  ;; c ≠ 0 (exactExp off): softmax.ts `fastExp` inlined on 2 double lanes at a time with the same double operations:
  ;; 2^(k/64) from the table times 2^(k>>6) built from its exponent bits (exactly POW2's value: the product is a
  ;; power-of-two scaling, hence exact, as in the JS), times a degree-4 polynomial; x < −104 gives 0.
  ;; consts (f64): [64/ln2, ln2/64, 1/6, 1/24], EXP_TABLE (64) at +32 (POW2 at +544 is no longer read here).
  ;; c = 0: softmax.ts `expAndNormalizeExact` per row of L labels (stride P): subtract the row max, Eigen's packet exp on
  ;; the first L − L mod 4 labels and libm-like `exp` (the imported Math.exp, rounded to float) on the rest, Eigen's
  ;; SSE reduction order for the sum (`eigenSum`), float32 division. Lanes are independent, so the padding lanes
  ;; (finite garbage) never reach the L real ones.
  (func (export "softmax")
    (param $logits i32) (param $q i32) (param $tmp i32) (param $n i32) (param $L i32) (param $P i32) (param $c i32)
    (local $p i32) (local $l i32) (local $mx f32) (local $v f32) (local $s f32) (local $a v128) (local $b v128)
    (local $aligned i32) (local $aligned2 i32) (local $bytes i32) (local $mxv v128) (local $alignedBytes i32)
    (local $xv v128) (local $fx0 v128) (local $fx v128) (local $kd v128) (local $k v128) (local $t v128)
    (local $fr v128) (local $e0 v128) (local $e1 v128) (local $lo v128) (local $rnd v128) (local $one v128)
    (local $half v128) (local $cInv v128) (local $cLn v128) (local $c6 v128) (local $c24 v128) (local $ninf v128)
    (local $tailMask v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $ninf (f32x4.splat (f32.const -inf)))
    (local.set $tailMask (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.and (local.get $L) (i32.const 3)))))
    (local.set $lo (f64x2.splat (f64.const -104)))
    (local.set $rnd (f64x2.splat (f64.const 6755399441055744)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    (if (local.get $c)
      (then
        (local.set $cInv (v128.load64_splat (local.get $c)))
        (local.set $cLn (v128.load64_splat offset=8 (local.get $c)))
        (local.set $c6 (v128.load64_splat offset=16 (local.get $c)))
        (local.set $c24 (v128.load64_splat offset=24 (local.get $c)))))
    (local.set $aligned (i32.sub (local.get $L) (i32.and (local.get $L) (i32.const 3))))
    (local.set $aligned2 (i32.sub (local.get $L) (i32.and (local.get $L) (i32.const 7))))
    (local.set $alignedBytes (i32.shl (local.get $aligned) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        ;; Row max over the L real lanes, 4 at a time (the padding lanes of the last packet masked to −∞). Only its
        ;; value matters: where ±0 tie, x − max differs in the sign of a zero, and exp(±0) = 1 either way.
        (local.set $mxv (local.get $ninf))
        (local.set $l (i32.const 0))
        (block $md
          (loop $max
            (br_if $md (i32.ge_u (local.get $l) (local.get $alignedBytes)))
            (local.set $mxv (f32x4.max (local.get $mxv) (v128.load (i32.add (local.get $logits) (local.get $l)))))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (br $max)))
        (if (i32.lt_u (local.get $aligned) (local.get $L))
          (then (local.set $mxv (f32x4.max (local.get $mxv)
            (v128.bitselect (v128.load (i32.add (local.get $logits) (local.get $alignedBytes))) (local.get $ninf)
              (local.get $tailMask))))))
        (local.set $mx (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mxv)) (f32x4.extract_lane 1 (local.get $mxv)))
          (f32.max (f32x4.extract_lane 2 (local.get $mxv)) (f32x4.extract_lane 3 (local.get $mxv)))))
        (local.set $mxv (f32x4.splat (local.get $mx)))
        (local.set $l (i32.const 0))
        (if (local.get $c) (then
        ;; fast (c = consts ≠ 0): every lane, padding included (zeroed below)
        (loop $fast
          (local.set $xv (f32x4.sub (v128.load (i32.add (local.get $logits) (local.get $l))) (local.get $mxv)))
          (local.set $fx0 (f64x2.promote_low_f32x4 (local.get $xv)))
          (local.set $fx (f64x2.max (local.get $fx0) (local.get $lo)))
          (local.set $kd (f64x2.sub (f64x2.add (f64x2.mul (local.get $fx) (local.get $cInv)) (local.get $rnd))
            (local.get $rnd)))
          (local.set $k (i32x4.trunc_sat_f64x2_s_zero (local.get $kd)))
          (local.set $t (f64x2.replace_lane 1
            (f64x2.splat (f64.load offset=32 (i32.add (local.get $c)
              (i32.shl (i32.and (i32x4.extract_lane 0 (local.get $k)) (i32.const 63)) (i32.const 3)))))
            (f64.load offset=32 (i32.add (local.get $c)
              (i32.shl (i32.and (i32x4.extract_lane 1 (local.get $k)) (i32.const 63)) (i32.const 3))))))
          (local.set $t (f64x2.mul (local.get $t)
            (i64x2.shl (i64x2.add (i64x2.shr_s (i64x2.extend_low_i32x4_s (local.get $k)) (i32.const 6))
              (i64x2.splat (i64.const 1023))) (i32.const 52))))
          (local.set $fr (f64x2.sub (local.get $fx) (f64x2.mul (local.get $kd) (local.get $cLn))))
          (local.set $e0 (v128.andnot
            (f64x2.mul (local.get $t)
              (f64x2.add (local.get $one)
                (f64x2.mul (local.get $fr)
                  (f64x2.add (local.get $one)
                    (f64x2.mul (local.get $fr)
                      (f64x2.add (local.get $half)
                        (f64x2.mul (local.get $fr)
                          (f64x2.add (local.get $c6) (f64x2.mul (local.get $fr) (local.get $c24))))))))))
            (f64x2.lt (local.get $fx0) (local.get $lo))))
          (local.set $fx0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xv) (local.get $xv))))
          (local.set $fx (f64x2.max (local.get $fx0) (local.get $lo)))
          (local.set $kd (f64x2.sub (f64x2.add (f64x2.mul (local.get $fx) (local.get $cInv)) (local.get $rnd))
            (local.get $rnd)))
          (local.set $k (i32x4.trunc_sat_f64x2_s_zero (local.get $kd)))
          (local.set $t (f64x2.replace_lane 1
            (f64x2.splat (f64.load offset=32 (i32.add (local.get $c)
              (i32.shl (i32.and (i32x4.extract_lane 0 (local.get $k)) (i32.const 63)) (i32.const 3)))))
            (f64.load offset=32 (i32.add (local.get $c)
              (i32.shl (i32.and (i32x4.extract_lane 1 (local.get $k)) (i32.const 63)) (i32.const 3))))))
          (local.set $t (f64x2.mul (local.get $t)
            (i64x2.shl (i64x2.add (i64x2.shr_s (i64x2.extend_low_i32x4_s (local.get $k)) (i32.const 6))
              (i64x2.splat (i64.const 1023))) (i32.const 52))))
          (local.set $fr (f64x2.sub (local.get $fx) (f64x2.mul (local.get $kd) (local.get $cLn))))
          (local.set $e1 (v128.andnot
            (f64x2.mul (local.get $t)
              (f64x2.add (local.get $one)
                (f64x2.mul (local.get $fr)
                  (f64x2.add (local.get $one)
                    (f64x2.mul (local.get $fr)
                      (f64x2.add (local.get $half)
                        (f64x2.mul (local.get $fr)
                          (f64x2.add (local.get $c6) (f64x2.mul (local.get $fr) (local.get $c24))))))))))
            (f64x2.lt (local.get $fx0) (local.get $lo))))
          (v128.store (i32.add (local.get $tmp) (local.get $l))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $e0)) (f32x4.demote_f64x2_zero (local.get $e1))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $fast (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $l (local.get $L)))
        (else
        (block $pd
          (loop $packets
            (br_if $pd (i32.ge_u (local.get $l) (local.get $alignedBytes)))
            (v128.store (i32.add (local.get $tmp) (local.get $l))
              (call $pexp (f32x4.sub (v128.load (i32.add (local.get $logits) (local.get $l))) (local.get $mxv))))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (br $packets)))
        (local.set $l (local.get $aligned))
        (block $ed
          (loop $exps
            (br_if $ed (i32.ge_u (local.get $l) (local.get $L)))
            (f32.store (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 2)))
              (f32.demote_f64 (call $exp (f64.promote_f32
                (f32.sub (f32.load (i32.add (local.get $logits) (i32.shl (local.get $l) (i32.const 2))))
                  (local.get $mx))))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $exps)))))
        (block $zd
          (loop $zero
            (br_if $zd (i32.ge_u (local.get $l) (local.get $P)))
            (f32.store (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 2))) (f32.const 0))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $zero)))
        (if (i32.lt_u (local.get $L) (i32.const 4))
          (then
            (local.set $s (f32.load (local.get $tmp)))
            (local.set $l (i32.const 1)))
          (else
            (local.set $a (v128.load (local.get $tmp)))
            (if (i32.gt_u (local.get $aligned) (i32.const 4))
              (then
                (local.set $b (v128.load offset=16 (local.get $tmp)))
                (local.set $l (i32.const 8))
                (block $sd
                  (loop $pairs
                    (br_if $sd (i32.ge_u (local.get $l) (local.get $aligned2)))
                    (local.set $a (f32x4.add (local.get $a)
                      (v128.load (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 2))))))
                    (local.set $b (f32x4.add (local.get $b)
                      (v128.load offset=16 (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 2))))))
                    (local.set $l (i32.add (local.get $l) (i32.const 8)))
                    (br $pairs)))
                (local.set $a (f32x4.add (local.get $a) (local.get $b)))
                (if (i32.gt_u (local.get $aligned) (local.get $aligned2))
                  (then (local.set $a (f32x4.add (local.get $a)
                    (v128.load (i32.add (local.get $tmp) (i32.shl (local.get $aligned2) (i32.const 2))))))))))
            (local.set $s
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 2 (local.get $a)))
                (f32.add (f32x4.extract_lane 1 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
            (local.set $l (local.get $aligned))))
        (block $td
          (loop $tail
            (br_if $td (i32.ge_u (local.get $l) (local.get $L)))
            (local.set $s (f32.add (local.get $s)
              (f32.load (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 2))))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $tail)))
        (local.set $mxv (f32x4.splat (local.get $s)))
        (local.set $l (i32.const 0))
        (loop $div
          (v128.store (i32.add (local.get $q) (local.get $l))
            (f32x4.div (v128.load (i32.add (local.get $tmp) (local.get $l))) (local.get $mxv)))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $div (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $logits (i32.add (local.get $logits) (local.get $bytes)))
        (local.set $q (i32.add (local.get $q) (local.get $bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))
)
