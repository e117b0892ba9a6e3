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

  ;; splat with d + 1 = 3 vertices per point, their offsets and weights held in locals for all packets of the row
  ;; (written out per d + 1; meanfield.ts uses it for 2-D Gaussian / 5-D bilateral terms). Same arithmetic as `splat`:
  ;; the vertices of a simplex are distinct, so visiting them per packet keeps every vertex's order of additions.
  (func (export "splat3")
    (param $in i32) (param $scale i32) (param $vals i32) (param $off i32) (param $w i32) (param $n i32) (param $P i32)
    (local $p i32) (local $l i32) (local $bytes i32) (local $s v128) (local $r v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $s (f32x4.splat (f32.const 1)))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        ;; no input scaling: s = 1, and 1·x = x exactly
        (if (local.get $scale)
          (then (local.set $s (v128.load32_splat (i32.add (local.get $scale) (i32.shl (local.get $p) (i32.const 2)))))))
        (local.set $o0 (i32.add (local.get $vals) (i32.load offset=0 (local.get $off))))
        (local.set $w0 (v128.load32_splat offset=0 (local.get $w)))
        (local.set $o1 (i32.add (local.get $vals) (i32.load offset=4 (local.get $off))))
        (local.set $w1 (v128.load32_splat offset=4 (local.get $w)))
        (local.set $o2 (i32.add (local.get $vals) (i32.load offset=8 (local.get $off))))
        (local.set $w2 (v128.load32_splat offset=8 (local.get $w)))
        (local.set $l (i32.const 0))
        (loop $lanes
          (local.set $r (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $in) (local.get $l)))))
          (v128.store (i32.add (local.get $o0) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o0) (local.get $l))) (f32x4.mul (local.get $w0) (local.get $r))))
          (v128.store (i32.add (local.get $o1) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o1) (local.get $l))) (f32x4.mul (local.get $w1) (local.get $r))))
          (v128.store (i32.add (local.get $o2) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o2) (local.get $l))) (f32x4.mul (local.get $w2) (local.get $r))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $in (i32.add (local.get $in) (local.get $bytes)))
        (local.set $off (i32.add (local.get $off) (i32.const 12)))
        (local.set $w (i32.add (local.get $w) (i32.const 12)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; splat with d + 1 = 6 vertices per point, their offsets and weights held in locals for all packets of the row
  ;; (written out per d + 1; meanfield.ts uses it for 2-D Gaussian / 5-D bilateral terms). Same arithmetic as `splat`:
  ;; the vertices of a simplex are distinct, so visiting them per packet keeps every vertex's order of additions.
  (func (export "splat6")
    (param $in i32) (param $scale i32) (param $vals i32) (param $off i32) (param $w i32) (param $n i32) (param $P i32)
    (local $p i32) (local $l i32) (local $bytes i32) (local $s v128) (local $r v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $o4 i32) (local $o5 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $s (f32x4.splat (f32.const 1)))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        ;; no input scaling: s = 1, and 1·x = x exactly
        (if (local.get $scale)
          (then (local.set $s (v128.load32_splat (i32.add (local.get $scale) (i32.shl (local.get $p) (i32.const 2)))))))
        (local.set $o0 (i32.add (local.get $vals) (i32.load offset=0 (local.get $off))))
        (local.set $w0 (v128.load32_splat offset=0 (local.get $w)))
        (local.set $o1 (i32.add (local.get $vals) (i32.load offset=4 (local.get $off))))
        (local.set $w1 (v128.load32_splat offset=4 (local.get $w)))
        (local.set $o2 (i32.add (local.get $vals) (i32.load offset=8 (local.get $off))))
        (local.set $w2 (v128.load32_splat offset=8 (local.get $w)))
        (local.set $o3 (i32.add (local.get $vals) (i32.load offset=12 (local.get $off))))
        (local.set $w3 (v128.load32_splat offset=12 (local.get $w)))
        (local.set $o4 (i32.add (local.get $vals) (i32.load offset=16 (local.get $off))))
        (local.set $w4 (v128.load32_splat offset=16 (local.get $w)))
        (local.set $o5 (i32.add (local.get $vals) (i32.load offset=20 (local.get $off))))
        (local.set $w5 (v128.load32_splat offset=20 (local.get $w)))
        (local.set $l (i32.const 0))
        (loop $lanes
          (local.set $r (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $in) (local.get $l)))))
          (v128.store (i32.add (local.get $o0) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o0) (local.get $l))) (f32x4.mul (local.get $w0) (local.get $r))))
          (v128.store (i32.add (local.get $o1) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o1) (local.get $l))) (f32x4.mul (local.get $w1) (local.get $r))))
          (v128.store (i32.add (local.get $o2) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o2) (local.get $l))) (f32x4.mul (local.get $w2) (local.get $r))))
          (v128.store (i32.add (local.get $o3) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o3) (local.get $l))) (f32x4.mul (local.get $w3) (local.get $r))))
          (v128.store (i32.add (local.get $o4) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o4) (local.get $l))) (f32x4.mul (local.get $w4) (local.get $r))))
          (v128.store (i32.add (local.get $o5) (local.get $l))
            (f32x4.add (v128.load (i32.add (local.get $o5) (local.get $l))) (f32x4.mul (local.get $w5) (local.get $r))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $in (i32.add (local.get $in) (local.get $bytes)))
        (local.set $off (i32.add (local.get $off) (i32.const 24)))
        (local.set $w (i32.add (local.get $w) (i32.const 24)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; slicePotts with d + 1 = 3 vertices per point, offsets and weights in locals (same arithmetic; written out
  ;; per d + 1). f = 0 uses s = 1 (1·x = x); the unary case writes (−u) + t, which equals t − u exactly.
  (func (export "slicePotts3")
    (param $vals i32) (param $logits i32) (param $off i32) (param $sw i32) (param $n i32) (param $P i32)
    (param $f i32) (param $w f32) (param $unary i32)
    (local $p i32) (local $l i32) (local $bytes i32) (local $src i32) (local $sign v128) (local $wv v128)
    (local $s v128) (local $acc v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (local.set $s (f32x4.splat (f32.const 1)))
    (local.set $src (local.get $logits))
    (if (local.get $unary)
      (then
        (local.set $src (local.get $unary))
        (local.set $sign (i32x4.splat (i32.const 0x80000000)))))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (if (local.get $f)
          (then (local.set $s (v128.load32_splat (i32.add (local.get $f) (i32.shl (local.get $p) (i32.const 2)))))))
        (local.set $o0 (i32.add (local.get $vals) (i32.load offset=0 (local.get $off))))
        (local.set $w0 (v128.load32_splat offset=0 (local.get $sw)))
        (local.set $o1 (i32.add (local.get $vals) (i32.load offset=4 (local.get $off))))
        (local.set $w1 (v128.load32_splat offset=4 (local.get $sw)))
        (local.set $o2 (i32.add (local.get $vals) (i32.load offset=8 (local.get $off))))
        (local.set $w2 (v128.load32_splat offset=8 (local.get $sw)))
        (local.set $l (i32.const 0))
        (loop $lanes
          (local.set $acc (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $o0) (local.get $l)))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $o1) (local.get $l))))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w2) (v128.load (i32.add (local.get $o2) (local.get $l))))))
          (v128.store (i32.add (local.get $logits) (local.get $l))
            (f32x4.add (v128.xor (v128.load (i32.add (local.get $src) (local.get $l))) (local.get $sign))
              (f32x4.mul (local.get $wv) (f32x4.mul (local.get $s) (local.get $acc)))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $logits (i32.add (local.get $logits) (local.get $bytes)))
        (local.set $src (i32.add (local.get $src) (local.get $bytes)))
        (local.set $off (i32.add (local.get $off) (i32.const 12)))
        (local.set $sw (i32.add (local.get $sw) (i32.const 12)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; slicePotts with d + 1 = 6 vertices per point, offsets and weights in locals (same arithmetic; written out
  ;; per d + 1). f = 0 uses s = 1 (1·x = x); the unary case writes (−u) + t, which equals t − u exactly.
  (func (export "slicePotts6")
    (param $vals i32) (param $logits i32) (param $off i32) (param $sw i32) (param $n i32) (param $P i32)
    (param $f i32) (param $w f32) (param $unary i32)
    (local $p i32) (local $l i32) (local $bytes i32) (local $src i32) (local $sign v128) (local $wv v128)
    (local $s v128) (local $acc v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $o4 i32) (local $o5 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $wv (f32x4.splat (local.get $w)))
    (local.set $s (f32x4.splat (f32.const 1)))
    (local.set $src (local.get $logits))
    (if (local.get $unary)
      (then
        (local.set $src (local.get $unary))
        (local.set $sign (i32x4.splat (i32.const 0x80000000)))))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (if (local.get $f)
          (then (local.set $s (v128.load32_splat (i32.add (local.get $f) (i32.shl (local.get $p) (i32.const 2)))))))
        (local.set $o0 (i32.add (local.get $vals) (i32.load offset=0 (local.get $off))))
        (local.set $w0 (v128.load32_splat offset=0 (local.get $sw)))
        (local.set $o1 (i32.add (local.get $vals) (i32.load offset=4 (local.get $off))))
        (local.set $w1 (v128.load32_splat offset=4 (local.get $sw)))
        (local.set $o2 (i32.add (local.get $vals) (i32.load offset=8 (local.get $off))))
        (local.set $w2 (v128.load32_splat offset=8 (local.get $sw)))
        (local.set $o3 (i32.add (local.get $vals) (i32.load offset=12 (local.get $off))))
        (local.set $w3 (v128.load32_splat offset=12 (local.get $sw)))
        (local.set $o4 (i32.add (local.get $vals) (i32.load offset=16 (local.get $off))))
        (local.set $w4 (v128.load32_splat offset=16 (local.get $sw)))
        (local.set $o5 (i32.add (local.get $vals) (i32.load offset=20 (local.get $off))))
        (local.set $w5 (v128.load32_splat offset=20 (local.get $sw)))
        (local.set $l (i32.const 0))
        (loop $lanes
          (local.set $acc (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $o0) (local.get $l)))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $o1) (local.get $l))))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w2) (v128.load (i32.add (local.get $o2) (local.get $l))))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w3) (v128.load (i32.add (local.get $o3) (local.get $l))))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w4) (v128.load (i32.add (local.get $o4) (local.get $l))))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w5) (v128.load (i32.add (local.get $o5) (local.get $l))))))
          (v128.store (i32.add (local.get $logits) (local.get $l))
            (f32x4.add (v128.xor (v128.load (i32.add (local.get $src) (local.get $l))) (local.get $sign))
              (f32x4.mul (local.get $wv) (f32x4.mul (local.get $s) (local.get $acc)))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $lanes (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $logits (i32.add (local.get $logits) (local.get $bytes)))
        (local.set $src (i32.add (local.get $src) (local.get $bytes)))
        (local.set $off (i32.add (local.get $off) (i32.const 24)))
        (local.set $sw (i32.add (local.get $sw) (i32.const 24)))
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

  ;; Row-wise softmax (densecrf's `expAndNormalize`, softmax.ts) of n rows of L labels at stride P, in three passes
  ;; over the row (in L1): max; exp of every packet into q; Eigen's SSE reduction order for the sum, float32
  ;; division. The exp is Eigen 3.4's SSE `pexp<Packet4f>` without FMA (softmax.ts `eigenExpf`: Cephes range
  ;; reduction, degree-6 polynomial), straight-line on 4 lanes, simplified where that is exact for x = l − max ≤ 0:
  ;; the upper clamp and the final max(y, x) never act, and y·2^m (m ∈ [−128, 0]) is formed as (y·2^h)·2^(m−h),
  ;; h = m >> 1, whose first product is exact, i.e. one rounding as in Eigen's four-factor pldexp.
  ;; The padding lanes of the last packet are masked to 0 (so Q's padding stays 0).
  ;; fast ≠ 0: pexp on every label, and exps below 2^−100 flushed to 0 (softmax.ts FLUSH: keeps subnormals, which
  ;; cost ~100× per operation on x86, out of Q and the lattice). fast = 0 (exactExp): no flush, and the L mod 4 tail
  ;; labels are recomputed with libm-like `exp` (the imported Math.exp, rounded to float), as Eigen's unvectorised
  ;; tail does in the reference.
  (func (export "softmax")
    (param $logits i32) (param $q i32) (param $n i32) (param $L i32) (param $P i32) (param $fast i32)
    (local $p i32) (local $l i32) (local $bytes i32) (local $fullBytes i32) (local $pairBytes i32) (local $tail i32)
    (local $mask v128) (local $ninf v128) (local $mx v128) (local $x v128) (local $m v128) (local $r v128)
    (local $r2 v128) (local $y v128) (local $y1 v128) (local $mi v128) (local $h v128) (local $a v128) (local $b v128)
    (local $s f32) (local $mxs f32) (local $thr v128) (local $lo v128)
    (local.set $bytes (i32.shl (local.get $P) (i32.const 2)))
    (local.set $tail (i32.and (local.get $L) (i32.const 3)))
    (local.set $fullBytes (i32.shl (i32.sub (local.get $L) (local.get $tail)) (i32.const 2)))
    (local.set $pairBytes (i32.and (local.get $fullBytes) (i32.const -32)))
    (local.set $ninf (f32x4.splat (f32.const -inf)))
    (local.set $mask (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (local.get $tail))))
    ;; fast: the argument is clamped at −80 instead of −88.723: exp(−80) ≈ 1.8e−35 is already flushed, so the
    ;; results are the same, and the exp never forms a subnormal (a slow assist on x86) on its way to 0.
    (local.set $lo (f32x4.splat (f32.const -88.723)))
    (if (local.get $fast)
      (then
        (local.set $thr (f32x4.splat (f32.const 0x1p-100)))
        (local.set $lo (f32x4.splat (f32.const -80)))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        ;; Row max over the L real lanes (padding masked to −∞). pmax is exact here (no NaN); only the value
        ;; matters: where ±0 tie, x − max differs in the sign of a zero, and exp(±0) = 1 either way.
        (local.set $mx (local.get $ninf))
        (local.set $l (i32.const 0))
        (block $md
          (loop $max
            (br_if $md (i32.ge_u (local.get $l) (local.get $fullBytes)))
            (local.set $mx (f32x4.pmax (local.get $mx) (v128.load (i32.add (local.get $logits) (local.get $l)))))
            (local.set $l (i32.add (local.get $l) (i32.const 16)))
            (br $max)))
        (if (local.get $tail)
          (then (local.set $mx (f32x4.pmax (local.get $mx)
            (v128.bitselect (v128.load (i32.add (local.get $logits) (local.get $fullBytes))) (local.get $ninf)
              (local.get $mask))))))
        (local.set $mx (f32x4.pmax (local.get $mx) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
          (local.get $mx) (local.get $mx))))
        (local.set $mx (f32x4.pmax (local.get $mx) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11
          (local.get $mx) (local.get $mx))))
        ;; exp of every packet (the last one's padding lanes masked to 0) into q.
        (local.set $l (i32.const 0))
        (loop $exps
          (local.set $x (f32x4.pmax (local.get $lo)
            (f32x4.sub (v128.load (i32.add (local.get $logits) (local.get $l))) (local.get $mx))))
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
          ;; m is integral in [−128, 0]: adding 1.5·2^23 puts it in the low mantissa bits (cheaper than trunc_sat).
          (local.set $mi (i32x4.sub (f32x4.add (local.get $m) (f32x4.splat (f32.const 12582912)))
            (i32x4.splat (i32.const 0x4b400000))))
          (local.set $h (i32x4.shr_s (local.get $mi) (i32.const 1)))
          (local.set $y (f32x4.mul
            (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (local.get $h) (i32x4.splat (i32.const 127))) (i32.const 23)))
            (i32x4.shl (i32x4.add (i32x4.sub (local.get $mi) (local.get $h)) (i32x4.splat (i32.const 127)))
              (i32.const 23))))
          (v128.store (i32.add (local.get $q) (local.get $l))
            (v128.and (v128.and (local.get $y) (f32x4.ge (local.get $y) (local.get $thr)))
              (v128.or (local.get $mask) (i32x4.splat (i32.sub (i32.const 0)
                (i32.lt_u (local.get $l) (local.get $fullBytes)))))))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $exps (i32.lt_u (local.get $l) (local.get $bytes))))
        ;; exactExp: the tail labels through libm-like exp (Eigen's scalar tail).
        (if (i32.eqz (local.get $fast))
          (then
            (local.set $mxs (f32x4.extract_lane 0 (local.get $mx)))
            (local.set $l (local.get $fullBytes))
            (block $ed
              (loop $tailExp
                (br_if $ed (i32.ge_u (local.get $l) (i32.shl (local.get $L) (i32.const 2))))
                (f32.store (i32.add (local.get $q) (local.get $l))
                  (f32.demote_f64 (call $exp (f64.promote_f32
                    (f32.sub (f32.load (i32.add (local.get $logits) (local.get $l))) (local.get $mxs))))))
                (local.set $l (i32.add (local.get $l) (i32.const 4)))
                (br $tailExp)))))
        ;; Eigen's redux order (eigenSum): two accumulators over packet pairs, a + b, + the odd packet, then
        ;; (a0 + a2) + (a1 + a3), then the tail labels one by one. Exps are ≥ +0, so starting from 0 and adding 0
        ;; change no bit; L < 4 becomes 0 + v0 + v1 + … = the sequential sum.
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $l (i32.const 0))
        (block $sd
          (loop $pairs
            (br_if $sd (i32.ge_u (local.get $l) (local.get $pairBytes)))
            (local.set $a (f32x4.add (local.get $a) (v128.load (i32.add (local.get $q) (local.get $l)))))
            (local.set $b (f32x4.add (local.get $b) (v128.load offset=16 (i32.add (local.get $q) (local.get $l)))))
            (local.set $l (i32.add (local.get $l) (i32.const 32)))
            (br $pairs)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (if (i32.lt_u (local.get $pairBytes) (local.get $fullBytes))
          (then (local.set $a (f32x4.add (local.get $a) (v128.load (i32.add (local.get $q) (local.get $pairBytes)))))))
        (local.set $s
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 2 (local.get $a)))
            (f32.add (f32x4.extract_lane 1 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (if (local.get $tail)
          (then
            (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $q) (local.get $fullBytes)))))
            (if (i32.gt_u (local.get $tail) (i32.const 1))
              (then
                (local.set $s (f32.add (local.get $s) (f32.load offset=4 (i32.add (local.get $q) (local.get $fullBytes)))))
                (if (i32.gt_u (local.get $tail) (i32.const 2))
                  (then (local.set $s (f32.add (local.get $s)
                    (f32.load offset=8 (i32.add (local.get $q) (local.get $fullBytes)))))))))))
        (local.set $mx (f32x4.splat (local.get $s)))
        (local.set $l (i32.const 0))
        (loop $div
          (v128.store (i32.add (local.get $q) (local.get $l))
            (f32x4.div (v128.load (i32.add (local.get $q) (local.get $l))) (local.get $mx)))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (br_if $div (i32.lt_u (local.get $l) (local.get $bytes))))
        (local.set $logits (i32.add (local.get $logits) (local.get $bytes)))
        (local.set $q (i32.add (local.get $q) (local.get $bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows))))
)
