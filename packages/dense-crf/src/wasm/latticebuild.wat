;; Permutohedral lattice construction (src/wasm/latticebuild.ts), the same algorithm as `place` and `blurNeighbours`
;; of permutohedral.ts: elevate each point, find its enclosing simplex and barycentric weights in float32 (no FMA,
;; same operation order, so bit-identical), insert the d+1 vertices into a hash table in point order (ids in
;; insertion order, as the reference's HashTable), then look up the blur neighbours of every vertex along each axis.
;;
;; The vertex list `vkeys` (id order) holds each key as int16 lanes padded with zeros to E bytes (E = 16, 32 or 48;
;; 2·d + 4 ≤ E) with the key's 32-bit hash in the last 4 bytes; keys are compared with one masked v128 xor per 16
;; bytes. The hash table holds 8-byte entries (hash, id+1), 0 = empty, so fresh zeroed memory is an empty table;
;; small entries keep the table few pages (page faults dominate construction on a VM). The hash is the reference's
;; polynomial one, h = Σ k_i·2531011^(d−1−i) mod 2^32; it is linear, so a neighbour's hash is the vertex's hash
;; plus the hash of the axis offset. Probing: linear, power-of-two capacity, doubled (and rebuilt from `vkeys`) at
;; load 1/2 — the capacity policy changes probing only, never ids.
;; Build: npm run build:wasm (scripts/wat-to-ts.mjs at the repo root) regenerates src/wasm/latticebytes.ts.
(module
  (import "env" "memory" (memory 1))
  ;; Scratch layout (byte offsets from $scr): elevated f32 +0, rem0 i32 +128, rank i32 +256, barycentric f32 +384,
  ;; candidate key +512 (E bytes), compare mask for the last 16 bytes of an entry +576, scale f32 +640, zero point
  ;; +704 (64 bytes), axis offsets +768 (d+1 keys of E bytes, hash in the last 4 bytes), the previous point's simplex:
  ;; rem0 +1600, rank +1680, ids+1 +1760, valid flag +1840.
  (global $scr (mut i32) (i32.const 0))
  (global $d (mut i32) (i32.const 0))
  (global $E (mut i32) (i32.const 16))
  (global $invD1 (mut f32) (f32.const 0))
  (global $vkeys (mut i32) (i32.const 0))
  (global $table (mut i32) (i32.const 0))
  (global $cap (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $size (mut i32) (i32.const 0))
  (global $errPoint (mut i32) (i32.const -1))

  (func (export "init")
    (param $scr i32) (param $d i32) (param $E i32) (param $invD1 f32) (param $vkeys i32) (param $table i32)
    (param $cap i32)
    (global.set $scr (local.get $scr))
    (global.set $d (local.get $d))
    (global.set $E (local.get $E))
    (global.set $invD1 (local.get $invD1))
    (global.set $vkeys (local.get $vkeys))
    (global.set $table (local.get $table))
    (global.set $cap (local.get $cap))
    (global.set $mask (i32.sub (local.get $cap) (i32.const 1)))
    (global.set $size (i32.const 0))
    (global.set $errPoint (i32.const -1)))

  (func (export "count") (result i32) (global.get $size))
  (func (export "capacity") (result i32) (global.get $cap))
  (func (export "errorPoint") (result i32) (global.get $errPoint))

  ;; Copies one E-byte key from $src to $dst.
  (func $copyKey (param $dst i32) (param $src i32)
    (local $c i32)
    (loop $chunks
      (v128.store (i32.add (local.get $dst) (local.get $c)) (v128.load (i32.add (local.get $src) (local.get $c))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $chunks (i32.lt_u (local.get $c) (global.get $E)))))

  ;; Doubles the table (growing the memory when needed) and re-inserts every vertex in id order. 0: out of memory.
  (func $grow (result i32)
    (local $cap i32) (local $end i32) (local $have i32) (local $v i32) (local $vk i32) (local $pos i32)
    (local $ent i32) (local $h i32)
    (local.set $cap (i32.shl (global.get $cap) (i32.const 1)))
    (local.set $end (i32.add (global.get $table) (i32.shl (local.get $cap) (i32.const 3))))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535))
            (i32.const 16))) (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $cap (local.get $cap))
    (global.set $mask (i32.sub (local.get $cap) (i32.const 1)))
    (memory.fill (global.get $table) (i32.const 0) (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $vk (i32.sub (i32.add (global.get $vkeys) (global.get $E)) (i32.const 4)))
    (block $done
      (loop $verts
        (br_if $done (i32.ge_u (local.get $v) (global.get $size)))
        (local.set $h (i32.load (local.get $vk)))
        (local.set $pos (i32.and (local.get $h) (global.get $mask)))
        (loop $probe
          (local.set $ent (i32.add (global.get $table) (i32.shl (local.get $pos) (i32.const 3))))
          (if (i32.load offset=4 (local.get $ent))
            (then
              (local.set $pos (i32.and (i32.add (local.get $pos) (i32.const 1)) (global.get $mask)))
              (br $probe))))
        (i32.store (local.get $ent) (local.get $h))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (i32.store offset=4 (local.get $ent) (local.get $v))
        (local.set $vk (i32.add (local.get $vk) (global.get $E)))
        (br $verts)))
    (i32.const 1))

  ;; Id of the key at $cand (hash $h), inserting it when $create. −1: absent (not created); −2: out of memory.
  ;; Table entries are (hash, id+1); the key itself is compared in the vertex list only when the hashes agree.
  (func $find (param $cand i32) (param $h i32) (param $create i32) (result i32)
    (local $pos i32) (local $ent i32) (local $id i32) (local $c i32) (local $last i32) (local $diff v128)
    (local $E i32) (local $vk i32)
    (local.set $E (global.get $E))
    (local.set $pos (i32.and (local.get $h) (global.get $mask)))
    (loop $probe
      (local.set $ent (i32.add (global.get $table) (i32.shl (local.get $pos) (i32.const 3))))
      (local.set $id (i32.load offset=4 (local.get $ent)))
      (if (i32.eqz (local.get $id))
        (then
          (if (i32.eqz (local.get $create)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.shl (i32.add (global.get $size) (i32.const 1)) (i32.const 1)) (global.get $cap))
            (then
              (if (i32.eqz (call $grow)) (then (return (i32.const -2))))
              (return (call $find (local.get $cand) (local.get $h) (local.get $create)))))
          (local.set $vk (i32.add (global.get $vkeys) (i32.mul (global.get $size) (local.get $E))))
          (call $copyKey (local.get $vk) (local.get $cand))
          (i32.store (i32.sub (i32.add (local.get $vk) (local.get $E)) (i32.const 4)) (local.get $h))
          (i32.store (local.get $ent) (local.get $h))
          (global.set $size (i32.add (global.get $size) (i32.const 1)))
          (i32.store offset=4 (local.get $ent) (global.get $size))
          (return (i32.sub (global.get $size) (i32.const 1)))))
      (if (i32.eq (i32.load (local.get $ent)) (local.get $h))
        (then
          (local.set $vk (i32.add (global.get $vkeys) (i32.mul (i32.sub (local.get $id) (i32.const 1)) (local.get $E))))
          (local.set $last (i32.sub (local.get $E) (i32.const 16)))
          (local.set $diff
            (v128.and (v128.load (i32.add (global.get $scr) (i32.const 576)))
              (v128.xor (v128.load (i32.add (local.get $vk) (local.get $last)))
                (v128.load (i32.add (local.get $cand) (local.get $last))))))
          (local.set $c (i32.const 0))
          (block $cmp
            (loop $chunks
              (br_if $cmp (i32.ge_u (local.get $c) (local.get $last)))
              (local.set $diff (v128.or (local.get $diff)
                (v128.xor (v128.load (i32.add (local.get $vk) (local.get $c)))
                  (v128.load (i32.add (local.get $cand) (local.get $c))))))
              (local.set $c (i32.add (local.get $c) (i32.const 16)))
              (br $chunks)))
          (if (i32.eqz (v128.any_true (local.get $diff))) (then (return (i32.sub (local.get $id) (i32.const 1)))))))
      (local.set $pos (i32.and (i32.add (local.get $pos) (i32.const 1)) (global.get $mask)))
      (br $probe))
    (unreachable))

  ;; One point (features at $fp): elevate, closest remainder-0 point, ranks, barycentric weights, then its d+1
  ;; vertices. $pk ≥ 0: writes ids+1 to offsets[pk..] and the weights to weights[pk..]. 0 ok, 1 key overflow,
  ;; 2 out of memory.
  (func $place (param $fp i32) (param $offs i32) (param $ws i32) (param $write i32) (result i32)
    (local $d i32) (local $d1 i32) (local $scr i32) (local $j i32) (local $i i32) (local $r i32) (local $sum i32)
    (local $vi i32) (local $sm f32) (local $cf f32) (local $e f32) (local $di f32) (local $v f32) (local $h i32)
    (local $k i32) (local $id i32) (local $cand i32) (local $rk i32) (local $d1f f32) (local $same i32)
    (local.set $d (global.get $d))
    (local.set $d1 (i32.add (local.get $d) (i32.const 1)))
    (local.set $scr (global.get $scr))
    ;; Elevate: e_j = Σ_{i≥j} c_i − j·c_{j−1} with c_i = f_i·scale_i, float32 step by step from j = d down.
    (local.set $j (local.get $d))
    (block $el
      (loop $elev
        (br_if $el (i32.eqz (local.get $j)))
        (local.set $cf (f32.mul
          (f32.load (i32.add (local.get $fp) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))))
          (f32.load offset=636 (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2))))))
        (f32.store (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2)))
          (f32.sub (local.get $sm) (f32.mul (f32.convert_i32_s (local.get $j)) (local.get $cf))))
        (local.set $sm (f32.add (local.get $sm) (local.get $cf)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br $elev)))
    (f32.store (local.get $scr) (local.get $sm))
    ;; Closest remainder-0 point (rint = nearest, ties to even, as _mm_cvtps_epi32).
    (local.set $d1f (f32.convert_i32_s (local.get $d1)))
    (local.set $i (i32.const 0))
    (loop $rem
      (local.set $e (f32.load (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2)))))
      (if (i32.eqz (f32.lt (f32.abs (local.get $e)) (f32.const 32000))) (then (return (i32.const 1))))
      (local.set $vi (i32.trunc_f32_s (f32.nearest (f32.mul (global.get $invD1) (local.get $e)))))
      (i32.store offset=128 (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2)))
        (i32.mul (local.get $vi) (local.get $d1)))
      (i32.store offset=256 (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
      (local.set $sum (i32.add (local.get $sum) (local.get $vi)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rem (i32.le_u (local.get $i) (local.get $d))))
    ;; Rank of the differences (ties: the later index ranks higher).
    (local.set $i (i32.const 0))
    (block $rd
      (loop $ranks
        (br_if $rd (i32.ge_u (local.get $i) (local.get $d)))
        (local.set $di (f32.sub (f32.load (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
          (f32.convert_i32_s (i32.load offset=128 (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (loop $inner
          (local.set $k (i32.add (local.get $scr)
            (i32.shl (select (local.get $i) (local.get $j)
              (f32.lt (local.get $di)
                (f32.sub (f32.load (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2))))
                  (f32.convert_i32_s
                    (i32.load offset=128 (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2))))))))
              (i32.const 2))))
          (i32.store offset=256 (local.get $k) (i32.add (i32.load offset=256 (local.get $k)) (i32.const 1)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.le_u (local.get $j) (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $ranks)))
    ;; Wrap ranks into 0..d, moving the remainder-0 point; zero the barycentric accumulator (d + 2 entries).
    (local.set $i (i32.const 0))
    (loop $fix
      (local.set $k (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $r (i32.add (i32.load offset=256 (local.get $k)) (local.get $sum)))
      (if (i32.lt_s (local.get $r) (i32.const 0))
        (then
          (i32.store offset=256 (local.get $k) (i32.add (local.get $r) (local.get $d1)))
          (i32.store offset=128 (local.get $k) (i32.add (i32.load offset=128 (local.get $k)) (local.get $d1))))
        (else
          (if (i32.ge_s (local.get $r) (local.get $d1))
            (then
              (i32.store offset=256 (local.get $k) (i32.sub (local.get $r) (local.get $d1)))
              (i32.store offset=128 (local.get $k) (i32.sub (i32.load offset=128 (local.get $k)) (local.get $d1))))
            (else (i32.store offset=256 (local.get $k) (local.get $r))))))
      (f32.store offset=384 (local.get $k) (f32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fix (i32.le_u (local.get $i) (local.get $d))))
    (f32.store offset=384 (i32.add (local.get $scr) (i32.shl (local.get $d1) (i32.const 2))) (f32.const 0))
    ;; Barycentric weights.
    (local.set $i (i32.const 0))
    (loop $bary
      (local.set $k (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $v (f32.mul
        (f32.sub (f32.load (local.get $k)) (f32.convert_i32_s (i32.load offset=128 (local.get $k))))
        (global.get $invD1)))
      (local.set $rk (i32.add (local.get $scr)
        (i32.shl (i32.sub (local.get $d) (i32.load offset=256 (local.get $k))) (i32.const 2))))
      (f32.store offset=384 (local.get $rk) (f32.add (f32.load offset=384 (local.get $rk)) (local.get $v)))
      (f32.store offset=388 (local.get $rk) (f32.sub (f32.load offset=388 (local.get $rk)) (local.get $v)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bary (i32.le_u (local.get $i) (local.get $d))))
    (f32.store offset=384 (local.get $scr)
      (f32.add (f32.load offset=384 (local.get $scr))
        (f32.add (f32.const 1)
          (f32.load offset=384 (i32.add (local.get $scr) (i32.shl (local.get $d1) (i32.const 2)))))))
    ;; Same simplex as the previous point (same remainder-0 point and ranks, common in smooth image regions): same
    ;; vertices, so its ids are reused without hashing. Then remember this simplex (+1600 rem0, +1680 rank).
    (local.set $same (i32.load offset=1840 (local.get $scr)))
    (local.set $i (i32.const 0))
    (loop $cmp
      (local.set $k (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
      (if (i32.or (i32.ne (i32.load offset=128 (local.get $k)) (i32.load offset=1600 (local.get $k)))
          (i32.ne (i32.load offset=256 (local.get $k)) (i32.load offset=1680 (local.get $k))))
        (then
          (local.set $same (i32.const 0))
          (i32.store offset=1600 (local.get $k) (i32.load offset=128 (local.get $k)))
          (i32.store offset=1680 (local.get $k) (i32.load offset=256 (local.get $k)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $cmp (i32.le_u (local.get $i) (local.get $d))))
    (i32.store offset=1840 (local.get $scr) (i32.const 1))
    (if (local.get $same)
      (then
        (if (local.get $write)
          (then
            (local.set $r (i32.const 0))
            (loop $reuse
              (local.set $k (i32.shl (local.get $r) (i32.const 2)))
              (i32.store (i32.add (local.get $offs) (local.get $k))
                (i32.load offset=1760 (i32.add (local.get $scr) (local.get $k))))
              (f32.store (i32.add (local.get $ws) (local.get $k))
                (f32.load offset=384 (i32.add (local.get $scr) (local.get $k))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $reuse (i32.le_u (local.get $r) (local.get $d))))))
        (return (i32.const 0))))
    ;; The simplex's vertices: key_i = rem0_i + (rank_i ≤ d − r ? r : r − d − 1).
    (local.set $cand (i32.add (local.get $scr) (i32.const 512)))
    (local.set $r (i32.const 0))
    (loop $verts
      (local.set $h (i32.const 0))
      (local.set $i (i32.const 0))
      (block $kd
        (loop $key
          (br_if $kd (i32.ge_u (local.get $i) (local.get $d)))
          (local.set $k (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
          (local.set $k (i32.extend16_s (i32.add (i32.load offset=128 (local.get $k))
            (select (local.get $r) (i32.sub (local.get $r) (local.get $d1))
              (i32.le_s (i32.load offset=256 (local.get $k)) (i32.sub (local.get $d) (local.get $r)))))))
          (i32.store16 (i32.add (local.get $cand) (i32.shl (local.get $i) (i32.const 1))) (local.get $k))
          (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 2531011)) (local.get $k)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $key)))
      (local.set $id (call $find (local.get $cand) (local.get $h) (i32.const 1)))
      (if (i32.lt_s (local.get $id) (i32.const 0))
        (then
          (i32.store offset=1840 (local.get $scr) (i32.const 0))
          (return (i32.const 2))))
      (i32.store offset=1760 (i32.add (local.get $scr) (i32.shl (local.get $r) (i32.const 2)))
        (i32.add (local.get $id) (i32.const 1)))
      (if (local.get $write)
        (then
          (i32.store (i32.add (local.get $offs) (i32.shl (local.get $r) (i32.const 2)))
            (i32.add (local.get $id) (i32.const 1)))
          (f32.store (i32.add (local.get $ws) (i32.shl (local.get $r) (i32.const 2)))
            (f32.load offset=384 (i32.add (local.get $scr) (i32.shl (local.get $r) (i32.const 2)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $verts (i32.le_u (local.get $r) (local.get $d))))
    (i32.const 0))

  ;; $place for d ≤ 7: the d+1 coordinates in two i32x4/f32x4 vectors (lanes 0..7; lanes > d hold zeros and are
  ;; masked out), same float32 operations per lane, so the same results. Ranks: for each j, lanes i < j count
  ;; d_i < d_j and lanes i > j count d_i ≤ d_j (the pairwise rule "d_i < d_j ? rank_i++ : rank_j++" seen from each
  ;; lane). Keys: rem0 + r − (rank > d − r ? d + 1 : 0), narrowed to int16; hash Σ k_i·C_i with C_i = 2531011^(d−1−i)
  ;; (scratch +1856, zero for i ≥ d), key lane mask at +1888 (scratch +1920: differences, +1952: barycentric parts).
  (func $place8 (param $fp i32) (param $offs i32) (param $ws i32) (param $write i32) (result i32)
    (local $d i32) (local $d1 i32) (local $scr i32) (local $j i32) (local $i i32) (local $r i32) (local $sum i32)
    (local $sm f32) (local $cf f32) (local $v f32) (local $k i32) (local $rk i32) (local $id i32) (local $same i32)
    (local $eA v128) (local $eB v128) (local $remA v128) (local $remB v128) (local $dA v128) (local $dB v128)
    (local $rkA v128) (local $rkB v128) (local $bj v128) (local $jv v128) (local $d1v v128) (local $t v128)
    (local $adjA v128) (local $adjB v128) (local $actA v128) (local $actB v128) (local $invv v128) (local $kA v128)
    (local $kB v128) (local $thr v128) (local $cand i32)
    (local.set $d (global.get $d))
    (local.set $d1 (i32.add (local.get $d) (i32.const 1)))
    (local.set $scr (global.get $scr))
    (local.set $j (local.get $d))
    (block $el
      (loop $elev
        (br_if $el (i32.eqz (local.get $j)))
        (local.set $cf (f32.mul
          (f32.load (i32.add (local.get $fp) (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))))
          (f32.load offset=636 (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2))))))
        (f32.store (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2)))
          (f32.sub (local.get $sm) (f32.mul (f32.convert_i32_s (local.get $j)) (local.get $cf))))
        (local.set $sm (f32.add (local.get $sm) (local.get $cf)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br $elev)))
    (f32.store (local.get $scr) (local.get $sm))
    (local.set $eA (v128.load (local.get $scr)))
    (local.set $eB (v128.load offset=16 (local.get $scr)))
    (if (i32.eqz (i32.and
        (i32x4.all_true (f32x4.lt (f32x4.abs (local.get $eA)) (f32x4.splat (f32.const 32000))))
        (i32x4.all_true (f32x4.lt (f32x4.abs (local.get $eB)) (f32x4.splat (f32.const 32000))))))
      (then (return (i32.const 1))))
    (local.set $d1v (i32x4.splat (local.get $d1)))
    (local.set $invv (f32x4.splat (global.get $invD1)))
    (local.set $actA (i32x4.le_s (v128.const i32x4 0 1 2 3) (i32x4.splat (local.get $d))))
    (local.set $actB (i32x4.le_s (v128.const i32x4 4 5 6 7) (i32x4.splat (local.get $d))))
    ;; Closest remainder-0 point (lanes > d: e = 0 gives 0).
    (local.set $remA (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $invv) (local.get $eA)))))
    (local.set $remB (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $invv) (local.get $eB)))))
    (local.set $t (i32x4.add (local.get $remA) (local.get $remB)))
    (local.set $sum (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $t)) (i32x4.extract_lane 1 (local.get $t)))
      (i32.add (i32x4.extract_lane 2 (local.get $t)) (i32x4.extract_lane 3 (local.get $t)))))
    (local.set $remA (i32x4.mul (local.get $remA) (local.get $d1v)))
    (local.set $remB (i32x4.mul (local.get $remB) (local.get $d1v)))
    (local.set $dA (f32x4.sub (local.get $eA) (f32x4.convert_i32x4_s (local.get $remA))))
    (local.set $dB (f32x4.sub (local.get $eB) (f32x4.convert_i32x4_s (local.get $remB))))
    (v128.store offset=1920 (local.get $scr) (local.get $dA))
    (v128.store offset=1936 (local.get $scr) (local.get $dB))
    ;; Ranks.
    (local.set $rkA (v128.const i32x4 0 0 0 0))
    (local.set $rkB (v128.const i32x4 0 0 0 0))
    (local.set $j (i32.const 0))
    (loop $ranks
      (local.set $bj (v128.load32_splat offset=1920 (i32.add (local.get $scr) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $jv (i32x4.splat (local.get $j)))
      (local.set $rkA (i32x4.sub (local.get $rkA)
        (v128.or
          (v128.and (f32x4.lt (local.get $dA) (local.get $bj)) (i32x4.lt_s (v128.const i32x4 0 1 2 3) (local.get $jv)))
          (v128.and (f32x4.le (local.get $dA) (local.get $bj)) (i32x4.gt_s (v128.const i32x4 0 1 2 3) (local.get $jv))))))
      (local.set $rkB (i32x4.sub (local.get $rkB)
        (v128.or
          (v128.and (f32x4.lt (local.get $dB) (local.get $bj)) (i32x4.lt_s (v128.const i32x4 4 5 6 7) (local.get $jv)))
          (v128.and (f32x4.le (local.get $dB) (local.get $bj)) (i32x4.gt_s (v128.const i32x4 4 5 6 7) (local.get $jv))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $ranks (i32.le_u (local.get $j) (local.get $d))))
    ;; Wrap ranks into 0..d, moving the remainder-0 point; lanes > d zeroed.
    (local.set $rkA (i32x4.add (local.get $rkA) (i32x4.splat (local.get $sum))))
    (local.set $rkB (i32x4.add (local.get $rkB) (i32x4.splat (local.get $sum))))
    (local.set $adjA (i32x4.sub
      (v128.and (local.get $d1v) (i32x4.lt_s (local.get $rkA) (v128.const i32x4 0 0 0 0)))
      (v128.and (local.get $d1v) (i32x4.ge_s (local.get $rkA) (local.get $d1v)))))
    (local.set $adjB (i32x4.sub
      (v128.and (local.get $d1v) (i32x4.lt_s (local.get $rkB) (v128.const i32x4 0 0 0 0)))
      (v128.and (local.get $d1v) (i32x4.ge_s (local.get $rkB) (local.get $d1v)))))
    (local.set $rkA (v128.and (local.get $actA) (i32x4.add (local.get $rkA) (local.get $adjA))))
    (local.set $rkB (v128.and (local.get $actB) (i32x4.add (local.get $rkB) (local.get $adjB))))
    (local.set $remA (v128.and (local.get $actA) (i32x4.add (local.get $remA) (local.get $adjA))))
    (local.set $remB (v128.and (local.get $actB) (i32x4.add (local.get $remB) (local.get $adjB))))
    (v128.store offset=256 (local.get $scr) (local.get $rkA))
    (v128.store offset=272 (local.get $scr) (local.get $rkB))
    ;; Barycentric weights: the per-lane parts in SIMD, then their scatter by rank (scalar, reference order).
    (v128.store offset=1952 (local.get $scr)
      (f32x4.mul (f32x4.sub (local.get $eA) (f32x4.convert_i32x4_s (local.get $remA))) (local.get $invv)))
    (v128.store offset=1968 (local.get $scr)
      (f32x4.mul (f32x4.sub (local.get $eB) (f32x4.convert_i32x4_s (local.get $remB))) (local.get $invv)))
    (v128.store offset=384 (local.get $scr) (v128.const i32x4 0 0 0 0))
    (v128.store offset=400 (local.get $scr) (v128.const i32x4 0 0 0 0))
    (v128.store offset=416 (local.get $scr) (v128.const i32x4 0 0 0 0))
    (local.set $i (i32.const 0))
    (loop $bary
      (local.set $k (i32.add (local.get $scr) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $v (f32.load offset=1952 (local.get $k)))
      (local.set $rk (i32.add (local.get $scr)
        (i32.shl (i32.sub (local.get $d) (i32.load offset=256 (local.get $k))) (i32.const 2))))
      (f32.store offset=384 (local.get $rk) (f32.add (f32.load offset=384 (local.get $rk)) (local.get $v)))
      (f32.store offset=388 (local.get $rk) (f32.sub (f32.load offset=388 (local.get $rk)) (local.get $v)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bary (i32.le_u (local.get $i) (local.get $d))))
    (f32.store offset=384 (local.get $scr)
      (f32.add (f32.load offset=384 (local.get $scr))
        (f32.add (f32.const 1)
          (f32.load offset=384 (i32.add (local.get $scr) (i32.shl (local.get $d1) (i32.const 2)))))))
    ;; Same simplex as the previous point: reuse its ids (see $place).
    (local.set $same (i32.and (i32.load offset=1840 (local.get $scr))
      (i32.and
        (i32.and (i32x4.all_true (i32x4.eq (local.get $remA) (v128.load offset=1600 (local.get $scr))))
          (i32x4.all_true (i32x4.eq (local.get $remB) (v128.load offset=1616 (local.get $scr)))))
        (i32.and (i32x4.all_true (i32x4.eq (local.get $rkA) (v128.load offset=1680 (local.get $scr))))
          (i32x4.all_true (i32x4.eq (local.get $rkB) (v128.load offset=1696 (local.get $scr))))))))
    (v128.store offset=1600 (local.get $scr) (local.get $remA))
    (v128.store offset=1616 (local.get $scr) (local.get $remB))
    (v128.store offset=1680 (local.get $scr) (local.get $rkA))
    (v128.store offset=1696 (local.get $scr) (local.get $rkB))
    (i32.store offset=1840 (local.get $scr) (i32.const 1))
    (if (local.get $same)
      (then
        (if (local.get $write)
          (then
            (local.set $r (i32.const 0))
            (loop $reuse
              (local.set $k (i32.shl (local.get $r) (i32.const 2)))
              (i32.store (i32.add (local.get $offs) (local.get $k))
                (i32.load offset=1760 (i32.add (local.get $scr) (local.get $k))))
              (f32.store (i32.add (local.get $ws) (local.get $k))
                (f32.load offset=384 (i32.add (local.get $scr) (local.get $k))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $reuse (i32.le_u (local.get $r) (local.get $d))))))
        (return (i32.const 0))))
    ;; The simplex's vertices.
    (local.set $cand (i32.add (local.get $scr) (i32.const 512)))
    (local.set $r (i32.const 0))
    (loop $verts
      (local.set $thr (i32x4.splat (i32.sub (local.get $d) (local.get $r))))
      (local.set $jv (i32x4.splat (local.get $r)))
      (local.set $kA (i32x4.sub (i32x4.add (local.get $remA) (local.get $jv))
        (v128.and (local.get $d1v) (i32x4.gt_s (local.get $rkA) (local.get $thr)))))
      (local.set $kB (i32x4.sub (i32x4.add (local.get $remB) (local.get $jv))
        (v128.and (local.get $d1v) (i32x4.gt_s (local.get $rkB) (local.get $thr)))))
      (v128.store (local.get $cand)
        (v128.and (i16x8.narrow_i32x4_s (local.get $kA) (local.get $kB)) (v128.load offset=1888 (local.get $scr))))
      (local.set $t (i32x4.add (i32x4.mul (local.get $kA) (v128.load offset=1856 (local.get $scr)))
        (i32x4.mul (local.get $kB) (v128.load offset=1872 (local.get $scr)))))
      (local.set $id (call $find (local.get $cand)
        (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $t)) (i32x4.extract_lane 1 (local.get $t)))
          (i32.add (i32x4.extract_lane 2 (local.get $t)) (i32x4.extract_lane 3 (local.get $t))))
        (i32.const 1)))
      (if (i32.lt_s (local.get $id) (i32.const 0))
        (then
          (i32.store offset=1840 (local.get $scr) (i32.const 0))
          (return (i32.const 2))))
      (i32.store offset=1760 (i32.add (local.get $scr) (i32.shl (local.get $r) (i32.const 2)))
        (i32.add (local.get $id) (i32.const 1)))
      (if (local.get $write)
        (then
          (i32.store (i32.add (local.get $offs) (i32.shl (local.get $r) (i32.const 2)))
            (i32.add (local.get $id) (i32.const 1)))
          (f32.store (i32.add (local.get $ws) (i32.shl (local.get $r) (i32.const 2)))
            (f32.load offset=384 (i32.add (local.get $scr) (i32.shl (local.get $r) (i32.const 2)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $verts (i32.le_u (local.get $r) (local.get $d))))
    (i32.const 0))

  ;; Places points 0..n−1 (features at $feat, d floats each), writing ids+1 and weights per point to $offs / $ws
  ;; (d+1 each); $pad: then inserts the zero point too (the reference's SSE padding lane). 0 ok; 1 key overflow at
  ;; errorPoint(); 2 out of memory.
  (func (export "build") (param $feat i32) (param $n i32) (param $offs i32) (param $ws i32) (param $pad i32)
    (result i32)
    (local $p i32) (local $st i32) (local $fstride i32) (local $ostride i32)
    (local.set $fstride (i32.shl (global.get $d) (i32.const 2)))
    (local.set $ostride (i32.shl (i32.add (global.get $d) (i32.const 1)) (i32.const 2)))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $st (if (result i32) (i32.le_u (global.get $d) (i32.const 7))
          (then (call $place8 (local.get $feat) (local.get $offs) (local.get $ws) (i32.const 1)))
          (else (call $place (local.get $feat) (local.get $offs) (local.get $ws) (i32.const 1)))))
        (if (local.get $st)
          (then
            (global.set $errPoint (local.get $p))
            (return (local.get $st))))
        (local.set $feat (i32.add (local.get $feat) (local.get $fstride)))
        (local.set $offs (i32.add (local.get $offs) (local.get $ostride)))
        (local.set $ws (i32.add (local.get $ws) (local.get $ostride)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points)))
    (if (local.get $pad)
      (then (return (if (result i32) (i32.le_u (global.get $d) (i32.const 7))
        (then (call $place8 (i32.add (global.get $scr) (i32.const 704)) (i32.const 0) (i32.const 0) (i32.const 0)))
        (else (call $place (i32.add (global.get $scr) (i32.const 704)) (i32.const 0) (i32.const 0)
          (i32.const 0)))))))
    (i32.const 0))

  ;; Blur neighbours along each axis j (offset −1 on every coordinate but +d on axis j; j = d: −1 everywhere):
  ;; nb[(j·m + v)·2] = id+1 of n1(v), and nb[(j·m + u)·2 + 1] = v+1 where u = n1(v) (then n2(u) = v). nb must be
  ;; zero on entry (0 = missing).
  (func (export "neighbours") (param $nb i32)
    (local $j i32) (local $v i32) (local $u i32) (local $m i32) (local $delta i32) (local $vk i32) (local $c i32)
    (local $cand i32) (local $row i32) (local $E i32) (local $d1 i32)
    (local.set $m (global.get $size))
    (local.set $E (global.get $E))
    (local.set $d1 (i32.add (global.get $d) (i32.const 1)))
    (local.set $cand (i32.add (global.get $scr) (i32.const 512)))
    (loop $axes
      (local.set $delta (i32.add (global.get $scr) (i32.add (i32.const 768) (i32.mul (local.get $j) (local.get $E)))))
      (local.set $row (i32.add (local.get $nb) (i32.shl (i32.mul (local.get $j) (local.get $m)) (i32.const 3))))
      (local.set $vk (global.get $vkeys))
      (local.set $v (i32.const 0))
      (block $vd
        (loop $verts
          (br_if $vd (i32.ge_u (local.get $v) (local.get $m)))
          (local.set $c (i32.const 0))
          (loop $chunks
            (v128.store (i32.add (local.get $cand) (local.get $c))
              (i16x8.add (v128.load (i32.add (local.get $vk) (local.get $c)))
                (v128.load (i32.add (local.get $delta) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $chunks (i32.lt_u (local.get $c) (local.get $E))))
          (local.set $u (call $find (local.get $cand)
            (i32.add (i32.load (i32.sub (i32.add (local.get $vk) (local.get $E)) (i32.const 4)))
              (i32.load (i32.sub (i32.add (local.get $delta) (local.get $E)) (i32.const 4))))
            (i32.const 0)))
          (i32.store (i32.add (local.get $row) (i32.shl (local.get $v) (i32.const 3)))
            (i32.add (local.get $u) (i32.const 1)))
          (if (i32.ge_s (local.get $u) (i32.const 0))
            (then (i32.store offset=4 (i32.add (local.get $row) (i32.shl (local.get $u) (i32.const 3)))
              (i32.add (local.get $v) (i32.const 1)))))
          (local.set $vk (i32.add (local.get $vk) (local.get $E)))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br $verts)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $axes (i32.lt_u (local.get $j) (local.get $d1)))))

  ;; out = K̃·1, the all-ones response behind the normalisation factors, exactly as PermutohedralLattice.filter with
  ;; one channel (the reference's scalar path): splat the weights, blur axes 0..d ([1 2 1]/2 Jacobi sweeps between
  ;; $vals and $next, (m+1) floats each, slot 0 = the zero vertex), slice Σ_k fround(fround(b_k·val)·α) from k = 0.
  ;; Returns the buffer ($vals or $next) left holding the blurred values.
  (func (export "ones")
    (param $offs i32) (param $ws i32) (param $nb i32) (param $n i32) (param $vals i32) (param $next i32)
    (param $out i32) (param $alpha f32)
    (local $m i32) (local $d1 i32) (local $i i32) (local $end i32) (local $a i32) (local $j i32) (local $c i32)
    (local $row i32) (local $t i32) (local $p i32) (local $k i32) (local $acc f32)
    (local.set $m (global.get $size))
    (local.set $d1 (i32.add (global.get $d) (i32.const 1)))
    (memory.fill (local.get $vals) (i32.const 0) (i32.shl (i32.add (local.get $m) (i32.const 1)) (i32.const 2)))
    (f32.store (local.get $next) (f32.const 0))
    (local.set $end (i32.shl (i32.mul (local.get $n) (local.get $d1)) (i32.const 2)))
    (block $sd
      (loop $splat
        (br_if $sd (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a (i32.add (local.get $vals)
          (i32.shl (i32.load (i32.add (local.get $offs) (local.get $i))) (i32.const 2))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (i32.add (local.get $ws) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $splat)))
    (loop $axes
      (local.set $row (i32.add (local.get $nb) (i32.shl (i32.mul (local.get $j) (local.get $m)) (i32.const 3))))
      (local.set $c (i32.const 4))
      (local.set $end (i32.shl (i32.add (local.get $m) (i32.const 1)) (i32.const 2)))
      (block $bd
        (loop $blur
          (br_if $bd (i32.ge_u (local.get $c) (local.get $end)))
          (f32.store (i32.add (local.get $next) (local.get $c))
            (f32.add (f32.load (i32.add (local.get $vals) (local.get $c)))
              (f32.mul (f32.const 0.5)
                (f32.add
                  (f32.load (i32.add (local.get $vals) (i32.shl (i32.load (local.get $row)) (i32.const 2))))
                  (f32.load (i32.add (local.get $vals) (i32.shl (i32.load offset=4 (local.get $row)) (i32.const 2))))))))
          (local.set $row (i32.add (local.get $row) (i32.const 8)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $blur)))
      (local.set $t (local.get $vals))
      (local.set $vals (local.get $next))
      (local.set $next (local.get $t))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $axes (i32.lt_u (local.get $j) (local.get $d1))))
    (local.set $i (i32.const 0))
    (block $pd
      (loop $points
        (br_if $pd (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $acc (f32.const 0))
        (local.set $k (i32.const 0))
        (loop $verts
          (local.set $acc (f32.add (local.get $acc)
            (f32.mul
              (f32.mul (f32.load (i32.add (local.get $ws) (local.get $i)))
                (f32.load (i32.add (local.get $vals)
                  (i32.shl (i32.load (i32.add (local.get $offs) (local.get $i))) (i32.const 2)))))
              (local.get $alpha))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $verts (i32.lt_u (local.get $k) (local.get $d1))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 2))) (local.get $acc))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $points))))

  ;; dst[i] = src[i] · a for i < count (rounded up to 4): the slice weights b·α.
  (func (export "scale") (param $src i32) (param $dst i32) (param $count i32) (param $a f32)
    (local $end i32) (local $av v128)
    (local.set $av (f32x4.splat (local.get $a)))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $src)) (local.get $av)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $l)))))
