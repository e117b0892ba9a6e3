;; SIMD (f32x4) rows of the bilinear resample kernel (see ../resample.ts). Every address is a byte offset into the
;; instance's own memory; the JS driver lays out the source row, tap tables, row buffers and (for in-place canvases)
;; the destination. Arithmetic is float32, like the JS path's Float32Array stores.
(module
  (memory (export "memory") 1)

  ;; $check = 0 (the JS driver passes it for rows that tameRow vouched for) skips the non-finite repair below: with every
;; |value| < 2^126, neither b − a nor the blends can overflow, so the fast formula is already exact.
;; out[i·C + c] = lerp(row[x0[i] + c], row[x1[i] + c], wx[i]) for c < C (C ≥ 4; the last vector of a pixel overlaps
  ;; the previous one when C is not a multiple of 4, rewriting the same values). x0/x1 hold byte addresses.
  (func (export "lerpRow")
    (param $x0 i32) (param $x1 i32) (param $wx i32) (param $out i32) (param $n i32) (param $C i32) (param $check i32)
    (local $i i32) (local $p0 i32) (local $p1 i32) (local $t f32) (local $tv v128) (local $ut v128)
    (local $c i32) (local $cb i32) (local $last i32) (local $a v128) (local $b v128) (local $v v128)
    (local $m v128) (local $zero v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $last (i32.sub (local.get $cb) (i32.const 16)))
    (if (i32.eqz (local.get $n)) (then (return)))
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
          ;; The last vector of the pixel (overlapping the previous one when C mod 4 ≠ 0).
            (v128.store (i32.add (local.get $out) (local.get $last)) (v128.load (i32.add (local.get $p0) (local.get $last))))
        )
        (else
          (local.set $tv (f32x4.splat (local.get $t)))
          (local.set $ut (f32x4.splat (f32.sub (f32.const 1) (local.get $t))))
          (local.set $c (i32.const 0))
          (block $done
            (br_if $done (i32.eqz (local.get $last)))
            (loop $ch
            (local.set $a (v128.load (i32.add (local.get $p0) (local.get $c))))
            (local.set $b (v128.load (i32.add (local.get $p1) (local.get $c))))
            (local.set $v (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (local.get $b) (local.get $a)) (local.get $tv))))
            ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
            (if (local.get $check) (then (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (if (v128.any_true (local.get $m))
              (then
                (local.set $v (v128.bitselect
                  (f32x4.add (f32x4.mul (local.get $a) (local.get $ut)) (f32x4.mul (local.get $b) (local.get $tv)))
                  (local.get $v) (local.get $m)))))))
            (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $v))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $ch (i32.lt_u (local.get $c) (local.get $last)))))
          ;; The last vector of the pixel (overlapping the previous one when C mod 4 ≠ 0).
            (local.set $a (v128.load (i32.add (local.get $p0) (local.get $last))))
            (local.set $b (v128.load (i32.add (local.get $p1) (local.get $last))))
            (local.set $v (f32x4.add (local.get $a) (f32x4.mul (f32x4.sub (local.get $b) (local.get $a)) (local.get $tv))))
            ;; x − x ≠ 0 exactly for ±Infinity and NaN: redo those lanes as (1−t)·a + t·b (see resample.ts).
            (if (local.get $check) (then (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
            (if (v128.any_true (local.get $m))
              (then
                (local.set $v (v128.bitselect
                  (f32x4.add (f32x4.mul (local.get $a) (local.get $ut)) (f32x4.mul (local.get $b) (local.get $tv)))
                  (local.get $v) (local.get $m)))))))
            (v128.store (i32.add (local.get $out) (local.get $last)) (local.get $v))
        ))
      (local.set $out (i32.add (local.get $out) (local.get $cb)))
      (local.set $x0 (i32.add (local.get $x0) (i32.const 4)))
      (local.set $x1 (i32.add (local.get $x1) (i32.const 4)))
      (local.set $wx (i32.add (local.get $wx) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $px (i32.lt_u (local.get $i) (local.get $n)))))

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
  ;; without overflow or NaN, so lerpRow/blendRow may skip their non-finite repair ($check = 0).
  (func (export "tameRow") (param $p i32) (param $len i32) (result i32)
    (local $k i32) (local $nv i32) (local $nb i32) (local $bad v128) (local $lim v128)
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $lim (f32x4.splat (f32.const 0x1p126)))
    (block $vdone
      (br_if $vdone (i32.eqz (local.get $nv)))
      (loop $vec
        (local.set $bad (v128.or (local.get $bad)
          (v128.not (f32x4.lt (f32x4.abs (v128.load (i32.add (local.get $p) (local.get $k)))) (local.get $lim)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv)))))
    (if (v128.any_true (local.get $bad)) (then (return (i32.const 0))))
    (block $sdone
      (br_if $sdone (i32.ge_u (local.get $k) (local.get $nb)))
      (loop $sc
        (if (i32.eqz (f32.lt (f32.abs (f32.load (i32.add (local.get $p) (local.get $k)))) (f32.const 0x1p126)))
          (then (return (i32.const 0))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $sc (i32.lt_u (local.get $k) (local.get $nb)))))
    (i32.const 1))

  ;; dst[k] ⊕= lerp(a[k], b[k], t) for k < len, ⊕ by mode: 0 set, 1 max (v > d ? v : d), 2 add. One specialised
  ;; vector loop per (mode, t = 0) so the hot loop holds no mode test; the scalar tail handles len mod 4.
  (func (export "blendRow")
    (param $a i32) (param $b i32) (param $t f32) (param $dst i32) (param $len i32) (param $mode i32) (param $check i32)
    (local $k i32) (local $nv i32) (local $nb i32) (local $tv v128) (local $ut v128) (local $va v128) (local $vb v128)
    (local $v v128) (local $m v128) (local $zero v128) (local $sa f32) (local $s f32) (local $sd f32)
    (local.set $nv (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $len) (i32.const 2)))
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $ut (f32x4.splat (f32.sub (f32.const 1) (local.get $t))))
    (block $vdone
      (br_if $vdone (i32.eqz (local.get $nv)))
      (if (f32.eq (local.get $t) (f32.const 0))
        (then
          (if (i32.eqz (local.get $mode))
            (then
      (loop $vec
        (local.set $v (v128.load (i32.add (local.get $a) (local.get $k))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (local.get $v))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
            )
            (else (if (i32.eq (local.get $mode) (i32.const 1))
              (then
      (loop $vec
        (local.set $v (v128.load (i32.add (local.get $a) (local.get $k))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.pmax (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
              )
              (else
      (loop $vec
        (local.set $v (v128.load (i32.add (local.get $a) (local.get $k))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
              )))))
        (else
          (if (i32.eqz (local.get $mode))
            (then
      (loop $vec
        (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
        (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
        (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
        (if (local.get $check) (then (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $v (v128.bitselect
              (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
              (local.get $v) (local.get $m)))))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (local.get $v))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
            )
            (else (if (i32.eq (local.get $mode) (i32.const 1))
              (then
      (loop $vec
        (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
        (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
        (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
        (if (local.get $check) (then (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $v (v128.bitselect
              (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
              (local.get $v) (local.get $m)))))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.pmax (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
              )
              (else
      (loop $vec
        (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
        (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
        (local.set $v (f32x4.add (local.get $va) (f32x4.mul (f32x4.sub (local.get $vb) (local.get $va)) (local.get $tv))))
        (if (local.get $check) (then (local.set $m (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (local.get $zero)))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $v (v128.bitselect
              (f32x4.add (f32x4.mul (local.get $va) (local.get $ut)) (f32x4.mul (local.get $vb) (local.get $tv)))
              (local.get $v) (local.get $m)))))))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k))) (local.get $v)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $vec (i32.lt_u (local.get $k) (local.get $nv))))
              )))))))
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
)
