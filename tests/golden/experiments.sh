#!/usr/bin/env bash
# compare, sweep, merge and plan as a user runs them: determinism whatever -j,
# the comparison.csv format, sweep numbering, resume, shards merged equal to
# one unsharded sweep byte for byte, a hand-checked plan answer, and exact
# one-line errors for bad input.
source "$(dirname "$0")/lib.sh"
small=tests/experiments/plan-small.yaml
sweep=tests/experiments/sweep-small.yaml

# compare: same bytes with -j 1 and -j 2.
"$ksim" compare "$small" --policies first-fit,best-fit,roomy --seeds 3 -j 1 -o "$tmp/c1" >"$tmp/c1.out" || bad "compare -j 1"
"$ksim" compare "$small" --policies first-fit,best-fit,roomy --seeds 3 -j 2 -o "$tmp/c2" >/dev/null || bad "compare -j 2"
cmp -s "$tmp/c1/comparison.csv" "$tmp/c2/comparison.csv" || bad "comparison.csv differs between -j 1 and -j 2"
cmp -s "$tmp/c1/comparison.json" "$tmp/c2/comparison.json" || bad "comparison.json differs between -j 1 and -j 2"
[ "$(head -1 "$tmp/c1/comparison.csv")" = "policy,metric,runs,mean,stddev,ci95_low,ci95_high" ] || bad "comparison.csv header"
for p in first-fit best-fit roomy; do
  for s in 1 2 3; do [ -s "$tmp/c1/runs/$p/seed-$s/summary.json" ] || bad "missing run $p seed $s"; done
done
# 9 pods of 1500m on 0 workers: none of the deployment's pods schedule, in every run.
grep -qx 'first-fit,deployments.app.ready,3,0.000000,0.000000,0.000000,0.000000' "$tmp/c1/comparison.csv" || bad "first-fit deployments.app.ready row"
# The variant 'roomy' has 6 workers: all 9 ready.
grep -qx 'roomy,deployments.app.ready,3,9.000000,0.000000,9.000000,9.000000' "$tmp/c1/comparison.csv" || bad "roomy deployments.app.ready row"
grep -q '^roomy ' "$tmp/c1.out" || bad "compare table lacks the roomy row"
# Policies in the order given, each with the same metrics.
[ "$(cut -d, -f1 "$tmp/c1/comparison.csv" | uniq | tr '\n' ' ')" = "policy first-fit best-fit roomy " ] || bad "policy order"
# A run in a pool worker that ran others before it equals a run on its own.
"$ksim" run "$small" --seed 3 --set spec.scheduler.policy=best-fit -o "$tmp/alone" --no-progress --no-plots >/dev/null || bad "run alone"
for f in summary.json timeseries.csv events.jsonl; do
  cmp -s "$tmp/alone/$f" "$tmp/c1/runs/best-fit/seed-3/$f" || bad "$f of a pooled run differs from a run on its own"
done
# One seed: the interval is the mean.
"$ksim" compare "$small" --policies first-fit --seed-list 4 -o "$tmp/c3" >/dev/null || bad "compare one seed"
awk -F, 'NR > 1 && ($3 != 1 || $4 != $6 || $4 != $7 || $5 != "0.000000") { exit 1 }' "$tmp/c3/comparison.csv" || bad "one-seed CI is not the mean"

# Scheduler profiles of the scenario's KubeSchedulerConfiguration as policies
# (see the scenario): bin-packer puts both pods on one node, the default
# profile on two, under every seed.
prof=tests/experiments/profiles.yaml
"$ksim" compare "$prof" --policies default-scheduler,bin-packer --seeds 3 -o "$tmp/pr" --no-plots >/dev/null || bad "compare profiles"
for s in 1 2 3; do
  n="$(grep -h '"scheduled"' "$tmp/pr/runs/bin-packer/seed-$s/events.jsonl" | sed 's/.*"node":"\([^"]*\)".*/\1/' | sort -u | wc -l)"
  [ "$n" -eq 1 ] && ok || bad "bin-packer seed $s used $n nodes"
  n="$(grep -h '"scheduled"' "$tmp/pr/runs/default-scheduler/seed-$s/events.jsonl" | sed 's/.*"node":"\([^"]*\)".*/\1/' | sort -u | wc -l)"
  [ "$n" -eq 2 ] && ok || bad "default-scheduler seed $s used $n nodes"
done

# sweep: 3 x 2 x 2 = 12 points, last axis fastest.
"$ksim" sweep "$sweep" -o "$tmp/s" -j 2 >"$tmp/s.out" || bad "sweep"
[ "$(ls "$tmp/s/points" | tr '\n' ' ')" = "0000 0001 0002 0003 0004 0005 0006 0007 0008 0009 0010 0011 " ] || bad "sweep point folders"
# Point 7 = (1, 1, 1): 5 workers, roomy, seed 2.
tr -d '\t\n' <"$tmp/s/points/0007/point.json" | grep -q '"point":7,"coordinates":{"spec.cluster.nodePools\[1\].count":"5","policy":"roomy","seed":"2"}' || bad "point 7 coordinates"
[ "$(wc -l <"$tmp/s/sweep.csv")" -eq 13 ] || bad "sweep.csv rows"
head -1 "$tmp/s/sweep.csv" | grep -q '^point,spec.cluster.nodePools\[1\].count,policy,seed,simulated_seconds,' || bad "sweep.csv header"
# 3 workers and first-fit leave 3 of the 9 pods pending (6 fit); point 0.
sed -n 2p "$tmp/s/sweep.csv" | grep -q '^0,3,first-fit,1,' || bad "sweep.csv point 0"
# Resume: a removed point and an interrupted one (no point.json) run again, the rest are skipped.
cp "$tmp/s/sweep.csv" "$tmp/full.csv"
rm -rf "$tmp/s/points/0003"
rm "$tmp/s/points/0008/point.json"
"$ksim" sweep "$sweep" -o "$tmp/s" >"$tmp/r.out" || bad "resume"
grep -q 'ran 2 in .* (10 already complete)' "$tmp/r.out" || bad "resume ran other than 2 points: $(head -1 "$tmp/r.out")"
cmp -s "$tmp/s/sweep.csv" "$tmp/full.csv" || bad "resumed sweep.csv differs"
# Shards, from --shard, SLURM and Kubernetes Indexed Job variables, merged: the same bytes.
"$ksim" sweep "$sweep" -o "$tmp/h0" --shard 0/3 >/dev/null || bad "shard 0/3"
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 "$ksim" sweep "$sweep" -o "$tmp/h1" >/dev/null || bad "slurm shard"
JOB_COMPLETION_INDEX=2 "$ksim" sweep "$sweep" -o "$tmp/h2" --shards 3 >/dev/null || bad "indexed job shard"
[ "$(ls "$tmp/h1/points" | tr '\n' ' ')" = "0001 0004 0007 0010 " ] || bad "slurm shard ran the wrong points"
"$ksim" merge "$tmp/h2" "$tmp/h0" "$tmp/h1" -o "$tmp/m" >/dev/null || bad "merge"
cmp -s "$tmp/m/sweep.csv" "$tmp/full.csv" || bad "merged shards differ from the unsharded sweep"
# Shards sharing one folder (a shared volume) complete it.
for i in 0 1 2; do "$ksim" sweep "$sweep" -o "$tmp/shared" --shard $i/3 >"$tmp/sh.out" || bad "shared shard $i"; done
cmp -s "$tmp/shared/sweep.csv" "$tmp/full.csv" || bad "shared-folder shards differ"
# The shipped scale-out recipes: the Slurm array script (its environment
# faked) and, when GNU parallel is installed, the parallel script.
for t in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 KSIM="$ksim" \
    bash scripts/scale-out/slurm-sweep.sbatch "$sweep" "$tmp/slurm" >/dev/null || bad "slurm script task $t"
done
cmp -s "$tmp/slurm/sweep.csv" "$tmp/full.csv" || bad "slurm script sweep.csv differs"
if command -v parallel >/dev/null; then
  KSIM="$ksim" scripts/scale-out/parallel-sweep.sh "$sweep" "$tmp/par" >/dev/null 2>&1 || bad "parallel script"
  cmp -s "$tmp/par/sweep.csv" "$tmp/full.csv" || bad "parallel script sweep.csv differs"
else
  echo "note: GNU parallel not installed; scripts/scale-out/parallel-sweep.sh not exercised"
fi

# plan min-nodes: ceil(9 / 2) = 5 workers (see the scenario).
"$ksim" plan min-nodes "$small" --pool workers -o "$tmp/p" >"$tmp/p.out" || bad "plan min-nodes"
grep -q "^min-nodes: 5 nodes in pool 'workers'" "$tmp/p.out" || bad "plan min-nodes answer: $(tail -2 "$tmp/p.out")"
grep -q '^4,1,0,1$' "$tmp/p/plan.csv" || bad "plan.csv: 4 workers should leave 1 pod pending"
# plan headroom: 138.5x by hand (see the scenario), bracketed in [136, 140].
"$ksim" plan headroom "$small" --set 'spec.cluster.nodePools[1].count=5' --goal 'scheduling_latency_s.max<=0' \
  --seeds 1 -o "$tmp/h" --no-plots >"$tmp/h.out" || bad "plan headroom"
grep -q "^headroom: the batch arrival rates can grow to 136x " "$tmp/h.out" || bad "plan headroom answer: $(tail -2 "$tmp/h.out")"
grep -q '^140,1,0,' "$tmp/h/plan.csv" || bad "plan headroom: 140x should have failed"

# Bad input: exactly this one line on stderr, and the exit code.
expect_exact() {
  local name="$1" want_rc="$2" want="$3"
  shift 3
  "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne "$want_rc" ]; then
    bad "$name: exit $rc, want $want_rc"
  elif [ "$(cat "$tmp/err")" != "$want" ]; then
    bad "$name: stderr '$(cat "$tmp/err")', want '$want'"
  else
    ok
  fi
}
expect_exact unknown-policy 1 "--policies: unknown policy 'frist-fit' (did you mean 'first-fit'?)" \
  "$ksim" compare "$small" --policies first-fit,frist-fit -o "$tmp/x"
expect_exact unknown-variant 1 "--policies: unknown policy 'rooomy' (did you mean 'roomy'?)" \
  "$ksim" compare "$small" --policies rooomy -o "$tmp/x"
expect_exact unknown-profile 1 "--policies: unknown policy 'binpacker' (did you mean 'bin-packer'?)" \
  "$ksim" compare "$prof" --policies binpacker -o "$tmp/x"
expect_exact compare-bad-set 1 "--set spec.seed:1:1: seed: expected an integer, got 'x'" \
  "$ksim" compare "$small" --policies first-fit --set spec.seed=x -o "$tmp/x"
expect_exact compare-bad-j 2 "ksim compare: -j needs a number of parallel runs from 1 to 1024, got '0' (see 'ksim compare --help')" \
  "$ksim" compare "$small" --policies first-fit -j 0
expect_exact bad-shard 2 "ksim sweep: --shard needs I/N with 0 <= I < N, got '3/3' (see 'ksim sweep --help')" \
  "$ksim" sweep "$sweep" --shard 3/3
expect_exact bad-shard-env 2 "ksim sweep: JOB_COMPLETION_INDEX is set: give the shard count with --shards N (see 'ksim sweep --help')" \
  env JOB_COMPLETION_INDEX=1 "$ksim" sweep "$sweep"
printf 'apiVersion: ksim.io/v1alpha1\nkind: Sweep\nmetadata: {name: b}\nspec:\n  scenario: x.yaml\n  axes:\n    - {path: a, valuse: [1]}\n' >"$tmp/bad.yaml"
expect_exact bad-sweep 1 "$tmp/bad.yaml:7:17: unknown key 'valuse' in axes[] (did you mean 'values'?)" \
  "$ksim" sweep "$tmp/bad.yaml"
sed 's/valuse/values/' "$tmp/bad.yaml" >"$tmp/bad2.yaml"
expect_exact sweep-missing-scenario 1 "$tmp/x.yaml: cannot open: No such file or directory" \
  "$ksim" sweep "$tmp/bad2.yaml"
expect_exact plan-unknown-pool 1 "$small: no node pool 'worker' (did you mean 'workers'?)" \
  "$ksim" plan min-nodes "$small" --pool worker -o "$tmp/x"
sed 's/from: 3, to: 7/from: 2, to: 6/' "$sweep" >"$tmp/changed.yaml"
cp tests/experiments/plan-small.yaml "$tmp/"
expect_exact sweep-changed 1 "$tmp/s/points/0000/point.json: holds another point (was the sweep file changed? use a new -o folder)" \
  "$ksim" sweep "$tmp/changed.yaml" -o "$tmp/s"
expect_exact merge-missing 1 "$tmp/nope/points: cannot open: No such file or directory" "$ksim" merge "$tmp/nope"
for c in compare sweep merge plan; do
  "$ksim" "$c" --help | head -1 | grep -q "^usage: ksim $c" || bad "ksim $c --help"
done
expect_exact plan-no-sub 2 "ksim plan: unknown subcommand 'min-node' (did you mean 'min-nodes'?) (see 'ksim plan --help')" \
  "$ksim" plan min-node "$small"
expect_exact plan-no-goals 2 "ksim plan min-nodes: no goals: give spec.goals in the scenario or --goal M<=N (see 'ksim plan min-nodes --help')" \
  "$ksim" plan min-nodes scenarios/quickstart.yaml --pool general -o "$tmp/x"
[ -e "$tmp/x/comparison.csv" ] && bad "a failed compare left comparison.csv"
echo "experiments: $pass passed, $fail failed"
[ $fail -eq 0 ]
