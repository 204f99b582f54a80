#!/usr/bin/env bash
# The folders of ksim compare and ksim plan appear whole or not at all: the
# runs, the summaries and the plots are written in a hidden temporary folder
# beside the one asked for, renamed into place at the end. A failure or an
# interrupt leaves neither the folder nor the temporary one; an earlier folder
# of the same name is replaced whole (nothing stale survives).
source "$(dirname "$0")/lib.sh"
small=tests/experiments/plan-small.yaml
# No folder, and no hidden .NAME.tmp-* beside it.
gone() { # name, folder
  if [ -e "$2" ] || ls -a "$(dirname "$2")" | grep -q "^\.$(basename "$2")\.tmp-"; then
    bad "$1: left $(ls -a "$(dirname "$2")" | grep "$(basename "$2")" | tr '\n' ' ')"
  else
    ok
  fi
}

# Success: the folder, nothing beside it.
mkdir "$tmp/a"
"$ksim" compare "$small" --policies first-fit --seeds 2 -o "$tmp/a/c" --no-plots >/dev/null || bad "compare"
[ -s "$tmp/a/c/comparison.csv" ] && [ -s "$tmp/a/c/runs/first-fit/seed-2/summary.json" ] && ok || bad "compare folder incomplete"
[ "$(ls -A "$tmp/a")" = c ] && ok || bad "compare left beside its folder: $(ls -A "$tmp/a")"
# An earlier folder is replaced whole: its other files are gone.
mkdir -p "$tmp/a/p/runs/nodes-99" && touch "$tmp/a/c/stale" "$tmp/a/p/stale"
"$ksim" compare "$small" --policies best-fit --seeds 1 -o "$tmp/a/c" --no-plots >/dev/null || bad "compare again"
[ ! -e "$tmp/a/c/stale" ] && [ ! -e "$tmp/a/c/runs/first-fit" ] && [ -d "$tmp/a/c/runs/best-fit" ] && ok ||
  bad "compare merged into the earlier folder instead of replacing it"
"$ksim" plan min-nodes "$small" --pool workers --seeds 1 -o "$tmp/a/p" --no-plots >/dev/null || bad "plan"
[ ! -e "$tmp/a/p/stale" ] && [ ! -e "$tmp/a/p/runs/nodes-99" ] && [ -s "$tmp/a/p/plan.csv" ] && ok ||
  bad "plan merged into the earlier folder instead of replacing it"
[ "$(ls -A "$tmp/a" | tr '\n' ' ')" = "c p " ] && ok || bad "left beside the folders: $(ls -A "$tmp/a")"

# A failure after every run completed (the folder cannot be put in place: a
# file has its name): exit 1, one line, the file untouched, no temporary left.
echo keep >"$tmp/file"
expect compare-commit 1 err "^$tmp/file: exists and is not a folder$" -- \
  "$ksim" compare "$small" --policies first-fit --seeds 2 -o "$tmp/file" --no-plots
[ "$(cat "$tmp/file")" = keep ] && ok || bad "compare overwrote the file"
[ "$(ls -A "$tmp" | grep -c '^\.file\.tmp-')" = 0 ] && ok || bad "compare left its temporary folder"
# plan: the goals fail at --max, after two probes ran: no folder.
expect plan-fails 1 err "^the goals are not met even with 1 nodes \(--max\)$" -- \
  "$ksim" plan min-nodes "$small" --pool workers --max 1 --seeds 1 -o "$tmp/pf"
gone plan-fails "$tmp/pf"
# fit-count: bad input, no folder.
expect fit-count-fails 1 err "cannot open" -- "$ksim" plan fit-count -o "$tmp/ff" "$tmp/none.yaml"
gone fit-count-fails "$tmp/ff"

# Ctrl-C in the middle: runs of a 30-day scenario one at a time; once the
# first is complete (inside the temporary folder), SIGINT. Exit 1,
# "interrupted", nothing left.
"$ksim" compare scenarios/hpa-step.yaml --set spec.duration=30d --policies first-fit --seeds 50 -j 1 \
  -o "$tmp/int" --no-plots >/dev/null 2>"$tmp/int.err" &
pid=$!
for _ in $(seq 600); do
  ls "$tmp"/.int.tmp-*/runs/first-fit/seed-*/summary.json >/dev/null 2>&1 && break
  sleep 0.05
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 1 ] && [ "$(cat "$tmp/int.err")" = interrupted ] && ok || bad "interrupted compare: exit $rc, $(cat "$tmp/int.err")"
gone interrupted-compare "$tmp/int"
echo "atomic: $pass passed, $fail failed"
[ $fail -eq 0 ]
