;; SIMD (f32x4) rows of the bilinear resample kernel (see ../resample.ts). Every address is a byte offset into the
;; instance's own memory; the JS driver lays out the source row, tap tables, row buffers and (for in-place canvases)
;; the destination. Arithmetic is float32, like the JS path's Float32Array stores, and every value is computed by the
;; same float32 operations in the same order on every path (fast or checked, unrolled or not): results are bit-exact.
;; The hot loops are unrolled with constant memarg offsets (one address computation per 4 vectors) and specialised per
;; (mode, t = 0, check) so they hold no tests.
(module
  (memory (export "memory") 1)

  ;; out[i·C + c] = lerp(row[x0[i] + c], row[x1[i] + c], wx[i]) for c < C (C ≥ 4). x0/x1 hold byte addresses. A pixel
  ;; is q = ⌈(4C − 16)/16⌉ vectors at byte offsets 0, 16, … plus a last one at 4C − 16 (overlapping the previous one
  ;; when C mod 4 ≠ 0, rewriting the same values). $check = 0 (rows tameRow vouched for: every |value| < 2^126, so
  ;; neither b − a nor the blend can overflow) skips the non-finite repair; the fast path jumps into a straight run of
  ;; q ≤ 8 vectors (Duff's device: one br_table per pixel, no channel loop), C ≤ 36.
  (func (export "lerpRow")
    (param $x0 i32) (param $x1 i32) (param $wx i32) (param $out i32) (param $n i32) (param $C i32) (param $check i32)
    (local $end i32) (local $p0 i32) (local $p1 i32) (local $t f32) (local $tv v128) (local $ut v128)
    (local $c i32) (local $cb i32) (local $last i32) (local $q i32) (local $a v128) (local $b v128) (local $v v128)
    (local $m v128) (local $zero v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $last (i32.sub (local.get $cb) (i32.const 16)))
    (local.set $q (i32.shr_u (i32.add (local.get $last) (i32.const 15)) (i32.const 4)))
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $wx) (i32.shl (local.get $n) (i32.const 2))))
    (loop $px
      (local.set $p0 (i32.load (local.get $x0)))
      (local.set $p1 (i32.load (local.get $x1)))
      (local.set $t (f32.load (local.get $wx)))
      (if (f32.eq (local.get $t) (f32.const 0))
        (then
          (local.set $c (i32.const 0))
          (block $done
            (br_if $done (i32.eqz (local.get $last)))
            (loop $ch
              (v128.store (i32.add (local.get $out) (local.get $c)) (v128.load (i32.add (local.get $p0) (local.get $c))))
              (local.set $c (i32.add (local.get $c) (i32.const 16)))
              (br_if $ch (i32.lt_u (local.get $c) (local.get $last)))))
          (v128.store (i32.add (local.get $out) (local.get $last)) (v128.load (i32.add (local.get $p0) (local.get $last)))))
        (else
          (local.set $tv (f32x4.splat (local.get $t)))
          (if (local.get $check)
            (then
              (local.set $ut (f32x4.splat (f32.sub (f32.const 1) (local.get $t))))
              (local.set $c (i32.const 0))
              (loop $ch
                ;; c = last is the pixel's last vector (overlapping when C mod 4 ≠ 0).
                (if (i32.gt_u (local.get $c) (local.get $last)) (then (local.set $c (local.get $last))))
                (local.set $a (v128.load (i32.add (local.get $p0) (local.get $c))))
                (local.set $b (v128.load (i32.add (local.get $p1) (local.get $c))))
                (local.set $v (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (local.get $b) (local.get $a)) (local.get $tv))))
                ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
                (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
                (if (v128.any_true (local.get $m))
                  (then
                    (local.set $v (v128.bitselect
                      (f32x4.add (f32x4.mul (local.get $a) (local.get $ut)) (f32x4.mul (local.get $b) (local.get $tv)))
                      (local.get $v) (local.get $m)))))
                (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $v))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br_if $ch (i32.lt_u (local.get $c) (i32.add (local.get $last) (i32.const 16))))))
            (else
              (block $duffdone
                (block $generic
              (block $d0 (block $d1 (block $d2 (block $d3 (block $d4 (block $d5 (block $d6 (block $d7 (block $d8 (br_table $d0 $d1 $d2 $d3 $d4 $d5 $d6 $d7 $d8 $generic (local.get $q)))
              ;; q > 8
              (local.set $a (v128.load offset=112 (local.get $p0)))
              (v128.store offset=112 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=112 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 7
              (local.set $a (v128.load offset=96 (local.get $p0)))
              (v128.store offset=96 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=96 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 6
              (local.set $a (v128.load offset=80 (local.get $p0)))
              (v128.store offset=80 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=80 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 5
              (local.set $a (v128.load offset=64 (local.get $p0)))
              (v128.store offset=64 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=64 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 4
              (local.set $a (v128.load offset=48 (local.get $p0)))
              (v128.store offset=48 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=48 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 3
              (local.set $a (v128.load offset=32 (local.get $p0)))
              (v128.store offset=32 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=32 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 2
              (local.set $a (v128.load offset=16 (local.get $p0)))
              (v128.store offset=16 (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 1
              (local.set $a (v128.load (local.get $p0)))
              (v128.store (local.get $out) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load (local.get $p1)) (local.get $a)) (local.get $tv))))
)
              ;; q > 0

                  (br $duffdone))
                ;; q > 8: a loop over the vectors.
                (local.set $c (i32.const 0))
                (loop $ch
                  (local.set $a (v128.load (i32.add (local.get $p0) (local.get $c))))
                  (v128.store (i32.add (local.get $out) (local.get $c)) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $p1) (local.get $c))) (local.get $a)) (local.get $tv))))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br_if $ch (i32.lt_u (local.get $c) (local.get $last)))))
              (local.set $a (v128.load (i32.add (local.get $p0) (local.get $last))))
              (v128.store (i32.add (local.get $out) (local.get $last)) (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $p1) (local.get $last))) (local.get $a)) (local.get $tv))))))))
      (local.set $out (i32.add (local.get $out) (local.get $cb)))
      (local.set $x0 (i32.add (local.get $x0) (i32.const 4)))
      (local.set $x1 (i32.add (local.get $x1) (i32.const 4)))
      (local.set $wx (i32.add (local.get $wx) (i32.const 4)))
      (br_if $px (i32.lt_u (local.get $wx) (local.get $end)))))

  ;; In place: p[k] clamped to ±FLOAT32_MAX for k < len, NaN read as −FLOAT32_MAX (pmax/pmin keep their first
  ;; operand when a comparison with NaN fails) — the source row of a clampNonFinite resample, once per row.
  (func (export "clampRow") (param $p i32) (param $len i32)
    (local $k i32) (local $nv i32) (local $nb i32) (local $lo v128) (local $hi v128) (local $s f32)
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $lo (f32x4.splat (f32.const -0x1.fffffep+127)))
    (local.set $hi (f32x4.splat (f32.const 0x1.fffffep+127)))
    (block $vdone
      (br_if $vdone (i32.eqz (local.get $nv)))
      (loop $vec
        (v128.store (i32.add (local.get $p) (local.get $k))
          (f32x4.pmin (local.get $hi) (f32x4.pmax (local.get $lo) (v128.load (i32.add (local.get $p) (local.get $k))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv)))))
    (block $sdone
      (br_if $sdone (i32.ge_u (local.get $k) (local.get $nb)))
      (loop $sc
        (local.set $s (f32.load (i32.add (local.get $p) (local.get $k))))
        (if (f32.gt (local.get $s) (f32.const 0x1.fffffep+127)) (then (local.set $s (f32.const 0x1.fffffep+127))))
        (if (i32.eqz (f32.ge (local.get $s) (f32.const -0x1.fffffep+127)))
          (then (local.set $s (f32.const -0x1.fffffep+127))))
        (f32.store (i32.add (local.get $p) (local.get $k)) (local.get $s))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $sc (i32.lt_u (local.get $k) (local.get $nb))))))

  ;; 1 when every p[k] (k < len) has |p[k]| < 2^126 (NaN fails), else 0: rows built only from such values interpolate
  ;; without overflow or NaN, so lerpRow/blendRow may skip their non-finite repair ($check = 0). On the bits: |v| is
  ;; v & 0x7fffffff, ordered as an unsigned integer like the magnitude (NaN above +Infinity); 2^126 is 0x7e800000.
  (func (export "tameRow") (param $p i32) (param $len i32) (result i32)
    (local $k i32) (local $n4 i32) (local $nv i32) (local $nb i32) (local $hi v128) (local $abs v128) (local $q i32)
    (local.set $n4 (i32.shl (i32.and (local.get $len) (i32.const -16)) (i32.const 2)))
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $abs (i32x4.splat (i32.const 0x7fffffff)))
    (block $g (br_if $g (i32.eqz (local.get $n4)))
      (loop $gl
        (local.set $q (i32.add (local.get $p) (local.get $k)))
        (local.set $hi (i32x4.max_u (local.get $hi) (v128.and (v128.load (local.get $q)) (local.get $abs))))
        (local.set $hi (i32x4.max_u (local.get $hi) (v128.and (v128.load offset=16 (local.get $q)) (local.get $abs))))
        (local.set $hi (i32x4.max_u (local.get $hi) (v128.and (v128.load offset=32 (local.get $q)) (local.get $abs))))
        (local.set $hi (i32x4.max_u (local.get $hi) (v128.and (v128.load offset=48 (local.get $q)) (local.get $abs))))
        (local.set $k (i32.add (local.get $k) (i32.const 64)))
        (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
    (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
      (loop $sl
        (local.set $hi (i32x4.max_u (local.get $hi) (v128.and (v128.load (i32.add (local.get $p) (local.get $k))) (local.get $abs))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $sl (i32.lt_u (local.get $k) (local.get $nv)))))
    (block $t (br_if $t (i32.ge_u (local.get $k) (local.get $nb)))
      (loop $tl
        (local.set $hi (i32x4.max_u (local.get $hi)
          (v128.and (i32x4.splat (i32.load (i32.add (local.get $p) (local.get $k)))) (local.get $abs))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $tl (i32.lt_u (local.get $k) (local.get $nb)))))
    (i32x4.all_true (i32x4.lt_u (local.get $hi) (i32x4.splat (i32.const 0x7e800000)))))

  ;; dst[k] ⊕= lerp(a[k], b[k], t) for k < len, ⊕ by mode: 0 set, 1 max (v > d ? v : d), 2 add. One specialised
  ;; vector loop per (mode, t = 0, check) so the hot loop holds no test, 4 vectors an iteration; the scalar tail
  ;; handles len mod 4.
  (func $blendRow (export "blendRow")
    (param $a i32) (param $b i32) (param $t f32) (param $dst i32) (param $len i32) (param $mode i32) (param $check i32)
    (local $k i32) (local $n4 i32) (local $nv i32) (local $nb i32) (local $pa i32) (local $pb i32) (local $pd i32)
    (local $tv v128) (local $ut v128) (local $va v128) (local $vb v128)
    (local $v v128) (local $m v128) (local $zero v128) (local $sa f32) (local $s f32) (local $sd f32)
    (local.set $n4 (i32.shl (i32.and (local.get $len) (i32.const -16)) (i32.const 2)))
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $ut (f32x4.splat (f32.sub (f32.const 1) (local.get $t))))
    (if (f32.eq (local.get $t) (f32.const 0))
      (then
        (if (i32.eqz (local.get $mode))
          (then (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (v128.load (local.get $pa)))
            (v128.store offset=16 (local.get $pd) (v128.load offset=16 (local.get $pa)))
            (v128.store offset=32 (local.get $pd) (v128.load offset=32 (local.get $pa)))
            (v128.store offset=48 (local.get $pd) (v128.load offset=48 (local.get $pa)))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (v128.load (local.get $pa)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))
          (else (if (i32.eq (local.get $mode) (i32.const 1))
            (then (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (v128.load (local.get $pa))))
            (v128.store offset=16 (local.get $pd) (f32x4.pmax (v128.load offset=16 (local.get $pd)) (v128.load offset=16 (local.get $pa))))
            (v128.store offset=32 (local.get $pd) (f32x4.pmax (v128.load offset=32 (local.get $pd)) (v128.load offset=32 (local.get $pa))))
            (v128.store offset=48 (local.get $pd) (f32x4.pmax (v128.load offset=48 (local.get $pd)) (v128.load offset=48 (local.get $pa))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (v128.load (local.get $pa))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))
            (else (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (v128.load (local.get $pa))))
            (v128.store offset=16 (local.get $pd) (f32x4.add (v128.load offset=16 (local.get $pd)) (v128.load offset=16 (local.get $pa))))
            (v128.store offset=32 (local.get $pd) (f32x4.add (v128.load offset=32 (local.get $pd)) (v128.load offset=32 (local.get $pa))))
            (v128.store offset=48 (local.get $pd) (f32x4.add (v128.load offset=48 (local.get $pd)) (v128.load offset=48 (local.get $pa))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (v128.load (local.get $pa))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))))))
      (else (if (i32.eqz (local.get $check))
        (then
        (if (i32.eqz (local.get $mode))
          (then (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv))))
            (v128.store offset=16 (local.get $pd) (f32x4.add (local.tee $va (v128.load offset=16 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)) (local.get $tv))))
            (v128.store offset=32 (local.get $pd) (f32x4.add (local.tee $va (v128.load offset=32 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=32 (local.get $pb)) (local.get $va)) (local.get $tv))))
            (v128.store offset=48 (local.get $pd) (f32x4.add (local.tee $va (v128.load offset=48 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=48 (local.get $pb)) (local.get $va)) (local.get $tv))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))
          (else (if (i32.eq (local.get $mode) (i32.const 1))
            (then (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=16 (local.get $pd) (f32x4.pmax (v128.load offset=16 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=16 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=32 (local.get $pd) (f32x4.pmax (v128.load offset=32 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=32 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=32 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=48 (local.get $pd) (f32x4.pmax (v128.load offset=48 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=48 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=48 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))
            (else (block $g (br_if $g (i32.eqz (local.get $n4)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=16 (local.get $pd) (f32x4.add (v128.load offset=16 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=16 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=32 (local.get $pd) (f32x4.add (v128.load offset=32 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=32 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=32 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (v128.store offset=48 (local.get $pd) (f32x4.add (v128.load offset=48 (local.get $pd)) (f32x4.add (local.tee $va (v128.load offset=48 (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load offset=48 (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n4)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $sl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (f32x4.add (local.tee $va (v128.load (local.get $pa))) (f32x4.mul (f32x4.sub (v128.load (local.get $pb)) (local.get $va)) (local.get $tv)))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $sl (i32.lt_u (local.get $k) (local.get $nv))))))))))
        (else
        (if (i32.eqz (local.get $mode))
          (then (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $vec
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
            (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
            (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
            ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
            (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (if (v128.any_true (local.get $m))
              (then
                (local.set $v (v128.bitselect
                  (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
                  (local.get $v) (local.get $m)))))
            (v128.store (i32.add (local.get $dst) (local.get $k)) (local.get $v))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))))
          (else (if (i32.eq (local.get $mode) (i32.const 1))
            (then (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $vec
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
            (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
            (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
            ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
            (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (if (v128.any_true (local.get $m))
              (then
                (local.set $v (v128.bitselect
                  (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
                  (local.get $v) (local.get $m)))))
            (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.pmax (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))))
            (else (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
          (loop $vec
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
            (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
            (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
            ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
            (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (if (v128.any_true (local.get $m))
              (then
                (local.set $v (v128.bitselect
                  (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
                  (local.get $v) (local.get $m)))))
            (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $k) (local.get $nv)))))))))))))
    (block $sdone
      (br_if $sdone (i32.ge_u (local.get $k) (local.get $nb)))
      (loop $sc
        (local.set $sa (f32.load (i32.add (local.get $a) (local.get $k))))
        (if (f32.eq (local.get $t) (f32.const 0))
          (then (local.set $s (local.get $sa)))
          (else
            (local.set $s (f32.add (local.get $sa)
              (f32.mul (f32.sub (f32.load (i32.add (local.get $b) (local.get $k))) (local.get $sa)) (local.get $t))))
            (if (f32.ne (f32.sub (local.get $s) (local.get $s)) (f32.const 0))
              (then
                (local.set $s (f32.add (f32.mul (local.get $sa) (f32.sub (f32.const 1) (local.get $t)))
                  (f32.mul (f32.load (i32.add (local.get $b) (local.get $k))) (local.get $t))))))))
        (if (local.get $mode)
          (then
            (local.set $sd (f32.load (i32.add (local.get $dst) (local.get $k))))
            (if (i32.eq (local.get $mode) (i32.const 1))
              (then (local.set $s (select (local.get $s) (local.get $sd) (f32.gt (local.get $s) (local.get $sd)))))
              (else (local.set $s (f32.add (local.get $sd) (local.get $s)))))))
        (f32.store (i32.add (local.get $dst) (local.get $k)) (local.get $s))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $sc (i32.lt_u (local.get $k) (local.get $nb))))))
  ;; blendRow(a, b, t, dst, …) then blendRow(a, b, t2, dst2, …) in one pass, for two output rows that blend the same
  ;; pair of source rows (upsampling): a and b are read once. Only the fast case: t ≠ 0, t2 ≠ 0, $check = 0 rows. The
  ;; values are those of the two blendRow calls bit for bit (b − a is the same float32 either way).
  (func (export "blendRow2")
    (param $a i32) (param $b i32) (param $t f32) (param $dst i32) (param $t2 f32) (param $dst2 i32) (param $len i32)
    (param $mode i32)
    (local $k i32) (local $n2 i32) (local $nv i32) (local $nb i32) (local $pa i32) (local $pb i32) (local $pd i32)
    (local $pd2 i32) (local $tv v128) (local $tv2 v128) (local $va v128) (local $dv v128)
    (local.set $n2 (i32.shl (i32.and (local.get $len) (i32.const -8)) (i32.const 2)))
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $tv2 (f32x4.splat (local.get $t2)))
    (if (i32.eqz (local.get $mode))
          (then (block $g (br_if $g (i32.eqz (local.get $n2)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv))))
            (v128.store (local.get $pd2) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2))))
            (local.set $va (v128.load offset=16 (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)))
            (v128.store offset=16 (local.get $pd) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv))))
            (v128.store offset=16 (local.get $pd2) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n2)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv))))
            (v128.store (local.get $pd2) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))))
          (else (if (i32.eq (local.get $mode) (i32.const 1))
            (then (block $g (br_if $g (i32.eqz (local.get $n2)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store (local.get $pd2) (f32x4.pmax (v128.load (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $va (v128.load offset=16 (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)))
            (v128.store offset=16 (local.get $pd) (f32x4.pmax (v128.load offset=16 (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store offset=16 (local.get $pd2) (f32x4.pmax (v128.load offset=16 (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n2)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.pmax (v128.load (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store (local.get $pd2) (f32x4.pmax (v128.load (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))))
            (else (block $g (br_if $g (i32.eqz (local.get $n2)))
          (loop $gl
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store (local.get $pd2) (f32x4.add (v128.load (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $va (v128.load offset=16 (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load offset=16 (local.get $pb)) (local.get $va)))
            (v128.store offset=16 (local.get $pd) (f32x4.add (v128.load offset=16 (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store offset=16 (local.get $pd2) (f32x4.add (v128.load offset=16 (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br_if $gl (i32.lt_u (local.get $k) (local.get $n2)))))
          (block $s (br_if $s (i32.ge_u (local.get $k) (local.get $nv)))
            (local.set $pa (i32.add (local.get $a) (local.get $k))) (local.set $pb (i32.add (local.get $b) (local.get $k))) (local.set $pd (i32.add (local.get $dst) (local.get $k))) (local.set $pd2 (i32.add (local.get $dst2) (local.get $k)))
            (local.set $va (v128.load (local.get $pa)))
            (local.set $dv (f32x4.sub (v128.load (local.get $pb)) (local.get $va)))
            (v128.store (local.get $pd) (f32x4.add (v128.load (local.get $pd)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv)))))
            (v128.store (local.get $pd2) (f32x4.add (v128.load (local.get $pd2)) (f32x4.add (local.get $va) (f32x4.mul (local.get $dv) (local.get $tv2)))))
            (local.set $k (i32.add (local.get $k) (i32.const 16))))))))
    ;; len mod 4: the scalar tail of each row.
    (if (i32.lt_u (local.get $k) (local.get $nb))
      (then
        (call $blendRow (i32.add (local.get $a) (local.get $k)) (i32.add (local.get $b) (local.get $k)) (local.get $t)
          (i32.add (local.get $dst) (local.get $k)) (i32.shr_u (i32.sub (local.get $nb) (local.get $k)) (i32.const 2))
          (local.get $mode) (i32.const 0))
        (call $blendRow (i32.add (local.get $a) (local.get $k)) (i32.add (local.get $b) (local.get $k)) (local.get $t2)
          (i32.add (local.get $dst2) (local.get $k)) (i32.shr_u (i32.sub (local.get $nb) (local.get $k)) (i32.const 2))
          (local.get $mode) (i32.const 0)))))
)
