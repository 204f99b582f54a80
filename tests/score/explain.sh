#!/usr/bin/env bash
# `ksim run --explain`: with the kube policy, every scheduled and
# unschedulable event carries an "explain" object (ksim score's JSON shape),
# and explaining changes no decision: without the explain objects the event
# log and the summary are byte-identical to a run without --explain. With a
# policy other than kube it is an input error (exit 1, no results folder).
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
set_kube=(--set spec.scheduler.policy=kube --no-progress)

"$ksim" run scenarios/quickstart.yaml "${set_kube[@]}" -o "$tmp/plain" >/dev/null || fail=1
"$ksim" run scenarios/quickstart.yaml "${set_kube[@]}" --explain -o "$tmp/explain" >/dev/null ||
  fail=1
# "explain" is the last key of its event, so cutting from it to the end drops exactly that object.
sed 's/,"explain":{.*}}$/}/' "$tmp/explain/events.jsonl" >"$tmp/stripped.jsonl"
if ! cmp -s "$tmp/plain/events.jsonl" "$tmp/stripped.jsonl"; then
  echo "FAIL explain: decisions differ with --explain"
  diff "$tmp/plain/events.jsonl" "$tmp/stripped.jsonl" | head -5
  fail=1
fi
if ! cmp -s "$tmp/plain/summary.json" "$tmp/explain/summary.json"; then
  echo "FAIL explain: summary differs with --explain"
  fail=1
fi
decisions=$(grep -cE '"type":"(scheduled|unschedulable)"' "$tmp/explain/events.jsonl")
explained=$(grep -c '"explain":{"pod":' "$tmp/explain/events.jsonl")
if [ "$decisions" -eq 0 ] || [ "$decisions" -ne "$explained" ]; then
  echo "FAIL explain: $explained of $decisions decisions explained"
  fail=1
fi
# A failed decision explains why: its filter statuses and the same message.
line="$(grep -m1 '"type":"unschedulable"' "$tmp/explain/events.jsonl")"
msg="$(sed 's/.*"message":"\([^"]*\)".*/\1/' <<<"$line")"
if ! grep -q '"selected":null,"message":"'"$msg"'"' <<<"$line" ||
  ! grep -q '"status":"UnschedulableAndUnresolvable","plugin":"TaintToleration"' <<<"$line"; then
  echo "FAIL explain: unschedulable event without its breakdown: ${line:0:300}"
  fail=1
fi

"$ksim" run scenarios/quickstart.yaml --explain --no-progress -o "$tmp/ff" >/dev/null 2>"$tmp/err"
rc=$?
want="scenarios/quickstart.yaml: --explain shows the kube policy's decisions, but spec.scheduler.policy is 'first-fit' (set it to kube)"
if [ $rc -ne 1 ] || [ "$(cat "$tmp/err")" != "$want" ] || [ -e "$tmp/ff" ]; then
  echo "FAIL explain with first-fit: exit $rc, stderr: $(cat "$tmp/err")"
  fail=1
fi
[ $fail -eq 0 ] && echo "explain: ok"
exit $fail
