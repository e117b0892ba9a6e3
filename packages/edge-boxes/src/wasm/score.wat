;; Window scoring and refinement of Edge Boxes (pdollar/edges edgeBoxesMex.cpp `scoreBox`, `refineBox` and the grid
;; loop of `scoreAllBoxes`), the WebAssembly twin of ../score.ts, ../refine.ts and ../windows.ts. float32 arithmetic
;; as the C++ (f32 ops round exactly like the JS path's Math.fround). Every pointer is a byte address into this
;; instance's memory, laid out by ../score-kernel.ts: one instance per edgeBoxes call, so no state outlives it.
(module
  (memory (export "memory") 1)

  (global $W (mut i32) (i32.const 0))
  (global $H (mut i32) (i32.const 0))
  (global $seg (mut i32) (i32.const 0))   ;; f32 (W+1)x(H+1), column-major, stride H+1: group magnitudes at anchors
  (global $mgi (mut i32) (i32.const 0))   ;; f32, same shape: pixel magnitudes > edgeMinMag
  (global $hRuns (mut i32) (i32.const 0)) ;; i32 Hx(W+1): per row, the ids of its runs of groups (BoxIndex)
  (global $hIdx (mut i32) (i32.const 0))  ;; u16 WxH (column-major): 2*(runs started so far) + (pixel in a run)
  (global $vRuns (mut i32) (i32.const 0)) ;; i32 Wx(H+1): the same per column
  (global $vIdx (mut i32) (i32.const 0))  ;; u16 WxH: the same per column
  ;; 32 bytes per group, so that every lookup of a group touches one cache line: i32 id of the last box that listed
  ;; it ("done"), i32 its slot there, i32 anchor x, i32 anchor y, f32 sum of E, i32 byte addresses of its first and
  ;; past-last affinity links (i32 neighbour, f32 value), 4 bytes unused
  (global $grp (mut i32) (i32.const 0))
  (global $norm (mut i32) (i32.const 0))  ;; f32 per floor(w/2)+floor(h/2): (1/i)^kappa
  (global $ids (mut i32) (i32.const 0))   ;; 8 bytes per slot: listed group (i32), its weight (f32)
  (global $in (mut i32) (i32.const 0))    ;; u8 per slot: anchor inside the box
  (global $minScore (mut f32) (f32.const 0))
  (global $sId (mut i32) (i32.const 0))
  ;; the clamped box of the last `score` call (x, y, w, h in the code's inclusive convention)
  (global $cx (mut i32) (i32.const 0))
  (global $cy (mut i32) (i32.const 0))
  (global $cw (mut i32) (i32.const 0))
  (global $ch (mut i32) (i32.const 0))

  (func (export "init")
    (param $W i32) (param $H i32) (param $seg i32) (param $mgi i32) (param $hRuns i32) (param $hIdx i32)
    (param $vRuns i32) (param $vIdx i32) (param $grp i32) (param $norm i32) (param $ids i32) (param $in i32)
    (param $minScore f32)
    (global.set $W (local.get $W))
    (global.set $H (local.get $H))
    (global.set $seg (local.get $seg))
    (global.set $mgi (local.get $mgi))
    (global.set $hRuns (local.get $hRuns))
    (global.set $hIdx (local.get $hIdx))
    (global.set $vRuns (local.get $vRuns))
    (global.set $vIdx (local.get $vIdx))
    (global.set $grp (local.get $grp))
    (global.set $norm (local.get $norm))
    (global.set $ids (local.get $ids))
    (global.set $in (local.get $in))
    (global.set $minScore (local.get $minScore))
    (global.set $sId (i32.const 0)))

  ;; BoxScorer.score of ../score.ts: the box's score, 0 below minScore, or 0 once an upper bound proves it <= floor
  ;; (floor < 0: no such cut). Leaves the clamped box in $cx/$cy/$cw/$ch.
  (func $score (export "score")
    (param $bx i32) (param $by i32) (param $bw i32) (param $bh i32) (param $floor f32) (result f32)
    (local $x0 i32) (local $y0 i32) (local $x1 i32) (local $y1 i32) (local $hw i32) (local $hh i32)
    (local $x0m i32) (local $y0m i32) (local $v f32) (local $vb f32) (local $nrm f32) (local $ub f32)
    (local $sid i32) (local $n i32) (local $side i32) (local $p i32) (local $pe i32) (local $j i32) (local $a i32)
    (local $inside i32) (local $i i32) (local $ws f32) (local $wq f32) (local $k i32) (local $ke i32) (local $mq i32)
    (local $xm i32) (local $ym i32) (local $H1 i32) (local $c0 i32) (local $c1 i32) (local $x1m i32) (local $y1m i32)
    (local $Lgrp i32) (local $Lids i32) (local $Lin i32) (local $Lcw i32) (local $Lch i32)
    ;; globals copied to locals: the loops below read them on every step
    (local.set $Lgrp (global.get $grp))
    (local.set $Lids (global.get $ids))
    (local.set $Lin (global.get $in))
    (local.set $xm (i32.sub (global.get $W) (i32.const 1)))
    (local.set $ym (i32.sub (global.get $H) (i32.const 1)))
    ;; C++ clamp(v, 0, hi): v < 0 ? 0 : min(v, hi)
    (local.set $bh (i32.add (local.get $by) (local.get $bh)))
    (local.set $y1 (select (i32.const 0)
      (select (local.get $bh) (local.get $ym) (i32.lt_s (local.get $bh) (local.get $ym)))
      (i32.lt_s (local.get $bh) (i32.const 0))))
    (local.set $y0 (select (i32.const 0)
      (select (local.get $by) (local.get $ym) (i32.lt_s (local.get $by) (local.get $ym)))
      (i32.lt_s (local.get $by) (i32.const 0))))
    (local.set $bw (i32.add (local.get $bx) (local.get $bw)))
    (local.set $x1 (select (i32.const 0)
      (select (local.get $bw) (local.get $xm) (i32.lt_s (local.get $bw) (local.get $xm)))
      (i32.lt_s (local.get $bw) (i32.const 0))))
    (local.set $x0 (select (i32.const 0)
      (select (local.get $bx) (local.get $xm) (i32.lt_s (local.get $bx) (local.get $xm)))
      (i32.lt_s (local.get $bx) (i32.const 0))))
    (global.set $cx (local.get $x0))
    (global.set $cy (local.get $y0))
    (local.set $Lcw (i32.sub (local.get $x1) (local.get $x0)))
    (local.set $Lch (i32.sub (local.get $y1) (local.get $y0)))
    (global.set $cw (local.get $Lcw))
    (global.set $ch (local.get $Lch))
    (local.set $sid (global.get $sId))
    (global.set $sId (i32.add (local.get $sid) (i32.const 1)))
    (local.set $hh (i32.shr_u (local.get $Lch) (i32.const 1)))
    (local.set $hw (i32.shr_u (local.get $Lcw) (i32.const 1)))
    ;; degenerate 1x1 boxes (norm = inf) score 0 instead of the C++ NaN
    (if (i32.eqz (i32.add (local.get $hw) (local.get $hh))) (then (return (f32.const 0))))
    (local.set $H1 (i32.add (global.get $H) (i32.const 1)))
    (local.set $v (f32.sub
        (f32.sub
          (f32.add
            (f32.load (i32.add
              (local.tee $c0 (i32.add (global.get $seg) (i32.shl (i32.mul (local.get $x0) (local.get $H1)) (i32.const 2))))
              (i32.shl (local.get $y0) (i32.const 2))))
            (f32.load offset=4 (i32.add
              (local.tee $c1 (i32.add (global.get $seg)
                (i32.shl (i32.mul (i32.add (local.get $x1) (i32.const 1)) (local.get $H1)) (i32.const 2))))
              (i32.shl (local.get $y1) (i32.const 2)))))
          (f32.load (i32.add (local.get $c1) (i32.shl (local.get $y0) (i32.const 2)))))
        (f32.load offset=4 (i32.add (local.get $c0) (i32.shl (local.get $y1) (i32.const 2))))))
    ;; subtract the magnitude inside the central box (paper eq. 4)
    (local.set $y0m (i32.add (local.get $y0) (i32.shr_u (local.get $hh) (i32.const 1))))
    (local.set $x0m (i32.add (local.get $x0) (i32.shr_u (local.get $hw) (i32.const 1))))
    (local.set $x1m (i32.add (local.get $x0m) (local.get $hw)))
    (local.set $y1m (i32.add (local.get $y0m) (local.get $hh)))
    (local.set $v (f32.sub (local.get $v) (f32.sub
        (f32.sub
          (f32.add
            (f32.load (i32.add
              (local.tee $c0 (i32.add (global.get $mgi) (i32.shl (i32.mul (local.get $x0m) (local.get $H1)) (i32.const 2))))
              (i32.shl (local.get $y0m) (i32.const 2))))
            (f32.load offset=4 (i32.add
              (local.tee $c1 (i32.add (global.get $mgi)
                (i32.shl (i32.mul (i32.add (local.get $x1m) (i32.const 1)) (local.get $H1)) (i32.const 2))))
              (i32.shl (local.get $y1m) (i32.const 2)))))
          (f32.load (i32.add (local.get $c1) (i32.shl (local.get $y0m) (i32.const 2)))))
        (f32.load offset=4 (i32.add (local.get $c0) (i32.shl (local.get $y1m) (i32.const 2)))))))
    (local.set $nrm (f32.load (i32.add (global.get $norm)
      (i32.shl (i32.add (local.get $hw) (local.get $hh)) (i32.const 2)))))
    ;; the rest only subtracts, so this is an upper bound
    (local.set $ub (f32.mul (local.get $v) (local.get $nrm)))
    (if (i32.or (f32.lt (local.get $ub) (global.get $minScore)) (f32.le (local.get $ub) (local.get $floor)))
      (then (return (f32.const 0))))

    ;; list the groups on the four sides (top, bottom, left, right) through the run-length lists
    (local.set $vb (local.get $v))
    (local.set $side (i32.const 0))
    (loop $sides
      (if (i32.lt_u (local.get $side) (i32.const 2))
        (then
          ;; rows y0 (side 0) and y1 (side 1): the group runs of row y across x0..x1 (see BoxIndex in ../integral.ts)
          (local.set $a (select (local.get $y1) (local.get $y0) (local.get $side)))
          (local.set $p (i32.add (global.get $hRuns)
            (i32.shl (i32.mul (local.get $a) (i32.add (global.get $W) (i32.const 1))) (i32.const 2))))
          (local.set $pe (i32.add (local.get $p) (i32.shl (i32.shr_u (i32.load16_u (i32.add (global.get $hIdx)
            (i32.shl (i32.add (i32.mul (local.get $x1) (global.get $H)) (local.get $a)) (i32.const 1))))
            (i32.const 1)) (i32.const 2))))
          (local.set $j (i32.load16_u (i32.add (global.get $hIdx)
            (i32.shl (i32.add (i32.mul (local.get $x0) (global.get $H)) (local.get $a)) (i32.const 1)))))
          (local.set $p (i32.add (local.get $p) (i32.shl (i32.sub (i32.shr_u (local.get $j) (i32.const 1))
            (i32.and (local.get $j) (i32.const 1))) (i32.const 2)))))
        (else
          ;; columns x0 (side 2) and x1 (side 3): the group runs of column x across y0..y1
          (local.set $j (select (local.get $x1) (local.get $x0) (i32.and (local.get $side) (i32.const 1))))
          (local.set $a (i32.mul (local.get $j) (global.get $H)))
          (local.set $p (i32.add (global.get $vRuns)
            (i32.shl (i32.add (local.get $a) (local.get $j)) (i32.const 2))))
          (local.set $pe (i32.add (local.get $p) (i32.shl (i32.shr_u (i32.load16_u (i32.add (global.get $vIdx)
            (i32.shl (i32.add (local.get $a) (local.get $y1)) (i32.const 1)))) (i32.const 1)) (i32.const 2))))
          (local.set $j (i32.load16_u (i32.add (global.get $vIdx)
            (i32.shl (i32.add (local.get $a) (local.get $y0)) (i32.const 1)))))
          (local.set $p (i32.add (local.get $p) (i32.shl (i32.sub (i32.shr_u (local.get $j) (i32.const 1))
            (i32.and (local.get $j) (i32.const 1))) (i32.const 2))))))
      (block $runsDone
        (loop $runs
          (br_if $runsDone (i32.ge_u (local.get $p) (local.get $pe)))
          (local.set $j (i32.load (local.get $p)))
          (local.set $a (i32.add (local.get $Lgrp) (i32.shl (local.get $j) (i32.const 5))))
          (if (i32.ne (i32.load (local.get $a)) (local.get $sid))
            (then
              (i64.store (local.get $a)
                (i64.or (i64.extend_i32_u (local.get $sid)) (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 32))))
              (local.set $inside (i32.and
                (i32.le_u (i32.sub (i32.load offset=8 (local.get $a)) (local.get $x0)) (local.get $Lcw))
                (i32.le_u (i32.sub (i32.load offset=12 (local.get $a)) (local.get $y0)) (local.get $Lch))))
              (i32.store8 (i32.add (local.get $Lin) (local.get $n)) (local.get $inside))
              ;; listed groups with their anchor inside keep weight 1 (the maximum): they alone bound the score
              ;; branch-free: subtracting +0 leaves vb unchanged
              (local.set $vb (f32.sub (local.get $vb)
                (select (f32.load offset=16 (local.get $a)) (f32.const 0)
                  (local.get $inside))))
              ;; slot record: i32 group, f32 weight 1 (bits 0x3f800000), one store
              (i64.store (i32.add (local.get $Lids) (i32.shl (local.get $n) (i32.const 3)))
                (i64.or (i64.extend_i32_u (local.get $j)) (i64.const 0x3f80000000000000)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $runs)))
      (local.set $side (i32.add (local.get $side) (i32.const 1)))
      (br_if $sides (i32.lt_u (local.get $side) (i32.const 4))))
    (local.set $ub (f32.mul (local.get $vb) (local.get $nrm)))
    (if (i32.or (f32.lt (local.get $ub) (global.get $minScore)) (f32.le (local.get $ub) (local.get $floor)))
      (then (return (f32.const 0))))

    ;; propagate along high-affinity paths (paper eq. 2); restart from a raised slot as the C++ does
    (local.set $i (i32.const 0))
    (block $propDone
      (loop $prop
        (br_if $propDone (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $a (i32.add (local.get $Lids) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $ws (f32.load offset=4 (local.get $a)))
        (local.set $a (i32.add (local.get $Lgrp) (i32.shl (i32.load (local.get $a)) (i32.const 5))))
        (local.set $k (i32.load offset=20 (local.get $a)))
        (local.set $ke (i32.load offset=24 (local.get $a)))
        (block $linksDone
          (loop $links
            (br_if $linksDone (i32.ge_u (local.get $k) (local.get $ke)))
            (local.set $wq (f32.mul (local.get $ws) (f32.load offset=4 (local.get $k))))
            (if (i32.eqz (f32.lt (local.get $wq) (f32.const 0.05)))
              (then
                (local.set $j (i32.load (local.get $k)))
                (local.set $a (i32.add (local.get $Lgrp) (i32.shl (local.get $j) (i32.const 5))))
                (if (i32.eq (i32.load (local.get $a)) (local.get $sid))
                  (then
                    (local.set $mq (i32.load offset=4 (local.get $a)))
                    (local.set $a (i32.add (local.get $Lids)
                      (i32.add (i32.shl (local.get $mq) (i32.const 3)) (i32.const 4))))
                    (if (f32.gt (local.get $wq) (f32.load (local.get $a)))
                      (then
                        (f32.store (local.get $a) (local.get $wq))
                        (if (i32.lt_s (i32.sub (local.get $mq) (i32.const 1)) (local.get $i))
                          (then (local.set $i (i32.sub (local.get $mq) (i32.const 1))))))))
                  (else
                    (if (i32.and
                          (i32.le_u (i32.sub (i32.load offset=8 (local.get $a)) (local.get $x0)) (local.get $Lcw))
                          (i32.le_u (i32.sub (i32.load offset=12 (local.get $a)) (local.get $y0)) (local.get $Lch)))
                      (then
                        (i32.store (local.get $a) (local.get $sid))
                        (i32.store offset=4 (local.get $a) (local.get $n))
                        (i32.store8 (i32.add (local.get $Lin) (local.get $n)) (i32.const 1))
                        (local.set $mq (i32.add (local.get $Lids) (i32.shl (local.get $n) (i32.const 3))))
                        (i32.store (local.get $mq) (local.get $j))
                        (f32.store offset=4 (local.get $mq) (local.get $wq))
                        (local.set $n (i32.add (local.get $n) (i32.const 1)))
                        ;; a new slot's weight only grows later: subtracting it now keeps vb an upper bound
                        (local.set $vb (f32.sub (local.get $vb)
                          (f32.mul (local.get $wq)
                            (f32.load offset=16 (local.get $a)))))
                        (local.set $ub (f32.mul (local.get $vb) (local.get $nrm)))
                        (if (i32.or (f32.lt (local.get $ub) (global.get $minScore))
                              (f32.le (local.get $ub) (local.get $floor)))
                          (then (return (f32.const 0))))))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $links)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $prop)))

    ;; subtract the groups connected to the boundary (anchor inside the box), in list order
    (local.set $i (i32.const 0))
    (block $subDone
      (loop $sub
        (br_if $subDone (i32.ge_s (local.get $i) (local.get $n)))
        ;; branch-free: a slot outside subtracts +0, which leaves v unchanged
        (local.set $a (i32.add (local.get $Lids) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $v (f32.sub (local.get $v)
          (select
            (f32.mul
              (f32.load offset=4 (local.get $a))
              (f32.load offset=16 (i32.add (local.get $Lgrp) (i32.shl (i32.load (local.get $a)) (i32.const 5)))))
            (f32.const 0)
            (i32.load8_u (i32.add (local.get $Lin) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sub)))
    (local.set $v (f32.mul (local.get $v) (local.get $nrm)))
    (select (f32.const 0) (local.get $v) (f32.lt (local.get $v) (global.get $minScore))))

  ;; refineBox of ../refine.ts on the box at $out (i32 x, y, w, h, f32 score), updated in place.
  (func $refine (param $out i32) (param $ratio f32)
    (local $x i32) (local $y i32) (local $w i32) (local $h i32) (local $s f32) (local $t f32)
    (local $xs i32) (local $ys i32)
    (local.set $x (i32.load (local.get $out)))
    (local.set $y (i32.load offset=4 (local.get $out)))
    (local.set $w (i32.load offset=8 (local.get $out)))
    (local.set $h (i32.load offset=12 (local.get $out)))
    (local.set $s (f32.load offset=16 (local.get $out)))
    (local.set $ys (i32.trunc_f32_s (f32.mul (f32.convert_i32_s (local.get $h)) (local.get $ratio))))
    (local.set $xs (i32.trunc_f32_s (f32.mul (f32.convert_i32_s (local.get $w)) (local.get $ratio))))
    (block $done
      (loop $round
        (local.set $ys (i32.div_s (local.get $ys) (i32.const 2)))
        (local.set $xs (i32.div_s (local.get $xs) (i32.const 2)))
        (br_if $done (i32.and (i32.le_s (local.get $ys) (i32.const 2)) (i32.le_s (local.get $xs) (i32.const 2))))
        (local.set $ys (select (local.get $ys) (i32.const 1) (i32.gt_s (local.get $ys) (i32.const 1))))
        (local.set $xs (select (local.get $xs) (i32.const 1) (i32.gt_s (local.get $xs) (i32.const 1))))
        ;; top: out, else in
        (local.set $t (call $score (local.get $x) (i32.sub (local.get $y) (local.get $ys)) (local.get $w)
          (i32.add (local.get $h) (local.get $ys)) (local.get $s)))
        (if (f32.le (local.get $t) (local.get $s))
          (then (local.set $t (call $score (local.get $x) (i32.add (local.get $y) (local.get $ys)) (local.get $w)
            (i32.sub (local.get $h) (local.get $ys)) (local.get $s)))))
        (if (f32.gt (local.get $t) (local.get $s))
          (then
            (local.set $x (global.get $cx)) (local.set $y (global.get $cy))
            (local.set $w (global.get $cw)) (local.set $h (global.get $ch)) (local.set $s (local.get $t))))
        ;; bottom
        (local.set $t (call $score (local.get $x) (local.get $y) (local.get $w)
          (i32.add (local.get $h) (local.get $ys)) (local.get $s)))
        (if (f32.le (local.get $t) (local.get $s))
          (then (local.set $t (call $score (local.get $x) (local.get $y) (local.get $w)
            (i32.sub (local.get $h) (local.get $ys)) (local.get $s)))))
        (if (f32.gt (local.get $t) (local.get $s))
          (then
            (local.set $x (global.get $cx)) (local.set $y (global.get $cy))
            (local.set $w (global.get $cw)) (local.set $h (global.get $ch)) (local.set $s (local.get $t))))
        ;; left
        (local.set $t (call $score (i32.sub (local.get $x) (local.get $xs)) (local.get $y)
          (i32.add (local.get $w) (local.get $xs)) (local.get $h) (local.get $s)))
        (if (f32.le (local.get $t) (local.get $s))
          (then (local.set $t (call $score (i32.add (local.get $x) (local.get $xs)) (local.get $y)
            (i32.sub (local.get $w) (local.get $xs)) (local.get $h) (local.get $s)))))
        (if (f32.gt (local.get $t) (local.get $s))
          (then
            (local.set $x (global.get $cx)) (local.set $y (global.get $cy))
            (local.set $w (global.get $cw)) (local.set $h (global.get $ch)) (local.set $s (local.get $t))))
        ;; right
        (local.set $t (call $score (local.get $x) (local.get $y)
          (i32.add (local.get $w) (local.get $xs)) (local.get $h) (local.get $s)))
        (if (f32.le (local.get $t) (local.get $s))
          (then (local.set $t (call $score (local.get $x) (local.get $y)
            (i32.sub (local.get $w) (local.get $xs)) (local.get $h) (local.get $s)))))
        (if (f32.gt (local.get $t) (local.get $s))
          (then
            (local.set $x (global.get $cx)) (local.set $y (global.get $cy))
            (local.set $w (global.get $cw)) (local.set $h (global.get $ch)) (local.set $s (local.get $t))))
        (br $round)))
    (i32.store (local.get $out) (local.get $x))
    (i32.store offset=4 (local.get $out) (local.get $y))
    (i32.store offset=8 (local.get $out) (local.get $w))
    (i32.store offset=12 (local.get $out) (local.get $h))
    (f32.store offset=16 (local.get $out) (local.get $s)))

  ;; The grid loop of scoreAllBoxes: for each shape (i32 w, h, kx, ky at $shapes), windows x outer, y inner; each
  ;; window leaves 20 bytes at $out: its refined box (i32 x, y, w, h) and f32 score, or all zeros. Returns how many
  ;; windows scored above zero.
  (func (export "scoreGrid") (param $shapes i32) (param $nShapes i32) (param $ratio f32) (param $out i32) (result i32)
    (local $s i32) (local $w i32) (local $h i32) (local $kx i32) (local $ky i32) (local $x i32) (local $y i32)
    (local $xEnd i32) (local $yEnd i32) (local $sc f32) (local $k i32)
    (block $shapesDone
      (loop $shape
        (br_if $shapesDone (i32.ge_s (local.get $s) (local.get $nShapes)))
        (local.set $w (i32.load (local.get $shapes)))
        (local.set $h (i32.load offset=4 (local.get $shapes)))
        (local.set $kx (i32.load offset=8 (local.get $shapes)))
        (local.set $ky (i32.load offset=12 (local.get $shapes)))
        (local.set $xEnd (i32.add (i32.sub (global.get $W) (local.get $w)) (local.get $kx)))
        (local.set $yEnd (i32.add (i32.sub (global.get $H) (local.get $h)) (local.get $ky)))
        (local.set $x (i32.const 0))
        (block $xDone
          (loop $xl
            (br_if $xDone (i32.ge_s (local.get $x) (local.get $xEnd)))
            (local.set $y (i32.const 0))
            (block $yDone
              (loop $yl
                (br_if $yDone (i32.ge_s (local.get $y) (local.get $yEnd)))
                (local.set $sc (call $score (local.get $x) (local.get $y) (local.get $w) (local.get $h) (f32.const -1)))
                (if (f32.eq (local.get $sc) (f32.const 0))
                  (then
                    (i64.store (local.get $out) (i64.const 0))
                    (i64.store offset=8 (local.get $out) (i64.const 0))
                    (f32.store offset=16 (local.get $out) (f32.const 0)))
                  (else
                    (i32.store (local.get $out) (global.get $cx))
                    (i32.store offset=4 (local.get $out) (global.get $cy))
                    (i32.store offset=8 (local.get $out) (global.get $cw))
                    (i32.store offset=12 (local.get $out) (global.get $ch))
                    (f32.store offset=16 (local.get $out) (local.get $sc))
                    (call $refine (local.get $out) (local.get $ratio))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))))
                (local.set $out (i32.add (local.get $out) (i32.const 20)))
                (local.set $y (i32.add (local.get $y) (local.get $ky)))
                (br $yl)))
            (local.set $x (i32.add (local.get $x) (local.get $kx)))
            (br $xl)))
        (local.set $shapes (i32.add (local.get $shapes) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $shape)))
    (local.get $k)))
