;; Per-pixel softmax over C channels in float64 with f64x2 SIMD (see ../softmax-kernel.ts). Every address is a byte
;; offset into the instance's own memory, laid out by the JS driver. Pixel p's logits L_c are formed in float64:
;;   kind 0: L_c = a[c]·scale                    (f32 input; scale = 1/temperature)
;;   kind 1: L_c = max(0, a[c])·max(0, b[c])     (the original's rectified product with FCN-8s; exact in float64)
;; then p_c = exp(L_c − max) / Σ exp(L_k − max), written as f32 (out64 = 0) or f64 (out64 = 1). NaN logits count as
;; −∞ (exp → 0). Pixels whose max is ±∞ or whose logits are all NaN are left for the caller (their rules live in
;; softmaxAt): their indices go to `list` and the count is returned.
(module
  (memory (export "memory") 1)

  ;; exp(x) for x ∈ [−708, 0] (and NaN → exp(−708)): x = k·ln2 + r, |r| ≤ ln2/2, Taylor degree 11 (truncation
  ;; < 4e-15 relative), 2^k built in the exponent bits. k ≥ −1022 keeps 2^k normal.
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f64x2.pmax (f64x2.splat (f64.const -708)) (local.get $x)))
    (local.set $k (f64x2.nearest (f64x2.mul (local.get $x) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))))
    ;; fdlibm's ln2 split: k·LN2HI is exact for |k| < 2^20.
    (local.set $r (f64x2.sub (f64x2.sub (local.get $x)
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 6.93147180369123816490e-01))))
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
    (local.set $p (f64x2.splat (f64.const 2.505210838544172e-08)))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 2.755731922398589e-07)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 2.7557319223985893e-06)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 2.48015873015873e-05)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 1.984126984126984e-04)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 1.388888888888889e-03)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 8.333333333333333e-03)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 4.1666666666666664e-02)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 0.16666666666666666)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $p) (local.get $r))))
    (local.set $p (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $p) (local.get $r))))
    (f64x2.mul (local.get $p)
      (i64x2.shl
        (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k))) (i64x2.splat (i64.const 1023)))
        (i32.const 52))))

  ;; Exported for the accuracy test: out[i] = exp(x[i]) (f64) for i < n, n even.
  (func (export "expRow") (param $x i32) (param $out i32) (param $n i32)
    (local $i i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (call $exp (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))

  ;; L is scratch for C + 1 f64 (16-aligned); list receives skipped pixel indices (n i32 at most).
  (func (export "softmax")
    (param $a i32) (param $b i32) (param $out i32) (param $n i32) (param $C i32) (param $scale f64)
    (param $kind i32) (param $out64 i32) (param $L i32) (param $list i32) (result i32)
    (local $p i32) (local $c i32) (local $m f64) (local $v f64) (local $w f64) (local $skipped i32)
    (local $mv v128) (local $sum v128) (local $e v128) (local $inv v128) (local $pairs i32) (local $s f64)
    (local $ob i32) (local $ex v128) (local $ek v128) (local $er v128) (local $ep v128)
    ;; Bytes of one output pixel; the last full channel pair.
    (local.set $ob (i32.shl (local.get $C) (select (i32.const 3) (i32.const 2) (local.get $out64))))
    (local.set $pairs (i32.and (local.get $C) (i32.const -2)))
    (block $end
      (br_if $end (i32.eqz (local.get $n)))
      (loop $px
;; Logits in float64, two channels at a time, and their max (pmax keeps the running max against NaN).
        (local.set $mv (f64x2.splat (f64.const -inf)))
        (local.set $c (i32.const 0))
        (block $ldd
          (br_if $ldd (i32.eqz (local.get $pairs)))
          (if (local.get $kind)
            (then
              (loop $ldp
                (local.set $e (f64x2.mul
                  (f64x2.pmax (v128.const f64x2 0 0)
                    (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))))
                  (f64x2.pmax (v128.const f64x2 0 0)
                    (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))))))
                (v128.store (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))) (local.get $e))
                (local.set $mv (f64x2.pmax (local.get $mv) (local.get $e)))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br_if $ldp (i32.lt_u (local.get $c) (local.get $pairs)))))
            (else
              (local.set $sum (f64x2.splat (local.get $scale)))
              (loop $lds
                (local.set $e (f64x2.mul (local.get $sum)
                  (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2)))))))
                (v128.store (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))) (local.get $e))
                (local.set $mv (f64x2.pmax (local.get $mv) (local.get $e)))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br_if $lds (i32.lt_u (local.get $c) (local.get $pairs)))))))
        (local.set $m (f64x2.extract_lane 0 (local.get $mv)))
        (local.set $v (f64x2.extract_lane 1 (local.get $mv)))
        (if (f64.gt (local.get $v) (local.get $m)) (then (local.set $m (local.get $v))))
        (if (i32.and (local.get $C) (i32.const 1))
          (then
            (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))))
            (if (local.get $kind)
              (then
                (local.set $w (f64.promote_f32 (f32.load (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))))
                (local.set $v (f64.mul
                  (select (local.get $v) (f64.const 0) (f64.gt (local.get $v) (f64.const 0)))
                  (select (local.get $w) (f64.const 0) (f64.gt (local.get $w) (f64.const 0))))))
              (else (local.set $v (f64.mul (local.get $v) (local.get $scale)))))
            (f64.store (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))) (local.get $v))
            (if (f64.gt (local.get $v) (local.get $m)) (then (local.set $m (local.get $v))))))
        (if (i32.or (f64.eq (local.get $m) (f64.const -inf)) (f64.eq (local.get $m) (f64.const inf)))
          (then
            (i32.store (i32.add (local.get $list) (i32.shl (local.get $skipped) (i32.const 2))) (local.get $p))
            (local.set $skipped (i32.add (local.get $skipped) (i32.const 1))))
          (else
            (local.set $mv (f64x2.splat (local.get $m)))
            (local.set $sum (v128.const i64x2 0 0))
            (local.set $c (i32.const 0))
            (block $pd
              (br_if $pd (i32.eqz (local.get $pairs)))
              (loop $pl
                (local.set $ex (f64x2.sub
                  (v128.load (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3)))) (local.get $mv)))
                ;; $exp, inlined.
                (local.set $ex (f64x2.pmax (f64x2.splat (f64.const -708)) (local.get $ex)))
                (local.set $ek (f64x2.nearest (f64x2.mul (local.get $ex) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))))
                ;; fdlibm's ln2 split: k·LN2HI is exact for |k| < 2^20.
                (local.set $er (f64x2.sub (f64x2.sub (local.get $ex)
                  (f64x2.mul (local.get $ek) (f64x2.splat (f64.const 6.93147180369123816490e-01))))
                  (f64x2.mul (local.get $ek) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
                (local.set $ep (f64x2.splat (f64.const 2.505210838544172e-08)))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 2.755731922398589e-07)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 2.7557319223985893e-06)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 2.48015873015873e-05)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 1.984126984126984e-04)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 1.388888888888889e-03)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 8.333333333333333e-03)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 4.1666666666666664e-02)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 0.16666666666666666)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $ep (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $ep) (local.get $er))))
                (local.set $e
                (f64x2.mul (local.get $ep)
                  (i64x2.shl
                    (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $ek))) (i64x2.splat (i64.const 1023)))
                    (i32.const 52))))
                (v128.store (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))) (local.get $e))
                (local.set $sum (f64x2.add (local.get $sum) (local.get $e)))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br_if $pl (i32.lt_u (local.get $c) (local.get $pairs)))))
            (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
            (if (i32.and (local.get $C) (i32.const 1))
              (then
                (local.set $e (call $exp (f64x2.sub
                  (v128.load64_splat (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3)))) (local.get $mv))))
                (f64.store (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))) (f64x2.extract_lane 0 (local.get $e)))
                (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $e))))))
            ;; s ≥ 1: the max contributes exp(0) = 1 exactly.
            (local.set $inv (f64x2.splat (f64.div (f64.const 1) (local.get $s))))
            (local.set $c (i32.const 0))
            (block $wd
              (br_if $wd (i32.eqz (local.get $pairs)))
              (loop $wl
                (local.set $e (f64x2.mul (v128.load (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3)))) (local.get $inv)))
                (if (local.get $out64)
                  (then (v128.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))) (local.get $e)))
                  (else (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
                    (f32x4.demote_f64x2_zero (local.get $e)))))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br_if $wl (i32.lt_u (local.get $c) (local.get $pairs)))))
            (if (i32.and (local.get $C) (i32.const 1))
              (then
                (local.set $v (f64.mul (f64.load (i32.add (local.get $L) (i32.shl (local.get $c) (i32.const 3))))
                  (f64x2.extract_lane 0 (local.get $inv))))
                (if (local.get $out64)
                  (then (f64.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3))) (local.get $v)))
                  (else (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
                    (f32.demote_f64 (local.get $v)))))))))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $b (i32.add (local.get $b) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (local.get $ob)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $px (i32.lt_u (local.get $p) (local.get $n)))))
    (local.get $skipped))
)
