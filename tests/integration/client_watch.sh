#!/bin/sh
# client/ against hcpsim as admin (client certificate, then bearer token): list + watch converges to
# exactly what `kubectl get` returns, also while faults drop watches, answer 503 and cut bodies, and
# after a compaction forces 410 re-lists.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0 --seed 7

"$CLIENTCHECK" --kubeconfig "$D/admin.kc" --watch-timeout 4 --dump "$D/dump" --ready "$D/ready" \
    >"$D/cc.out" 2>"$D/cc.err" &
CC_PID=$!
wait_file "$D/ready" 20 || fail "clientcheck did not finish its first lists: $(cat "$D/cc.err")"
converge "first lists" 20
[ "$(grep -c '^hc ' "$D/got")" -ge 5 ] || fail "too few hosted clusters: $(cat "$D/got")"

# Changes while the watches are open.
kc label hostedcluster -n clusters dev-single hcptui-test=one --overwrite >/dev/null
kc patch hostedcluster -n prod prod-west --type merge -p '{"spec":{"channel":"candidate-4.17"}}' >/dev/null
kc scale nodepool -n prod prod-east-gpu --replicas=2 >/dev/null
kc delete nodepool -n team-a legacy-paused-workers --wait=false >/dev/null
kc create --raw '/hcpsim/v1/tick?n=3' -f "$D/empty" >/dev/null
converge "changes over open watches" 20

# Faults: watches cut every 1.5 s, a fifth of GETs answer 503, some list bodies are cut or broken.
set_faults 'drop-watch=1500ms,error=503@0.2,truncate@0.05,malformed@0.05,only=GET'
kc patch hostedcluster -n prod prod-west --type merge -p '{"spec":{"channel":"fast-4.17"}}' >/dev/null
kc scale nodepool -n prod prod-east-gpu --replicas=1 >/dev/null
sleep 2
# The client freezes while the cluster changes and compacts: when it wakes up its watches were closed and
# their resourceVersions are too old, so it must get 410 and re-list.
kill -STOP "$CC_PID"
kc label hostedcluster -n clusters dev-single hcptui-test=two --overwrite >/dev/null
kc create --raw /hcpsim/v1/compact -f "$D/empty" >/dev/null
kc delete nodepool -n prod prod-west-us-west-2b --wait=false >/dev/null
kc create --raw '/hcpsim/v1/tick?n=2' -f "$D/empty" >/dev/null
kill -CONT "$CC_PID"
sleep 1
converge "under faults, after a compaction" 40

grep '^# ' "$D/dump" >&2
# kinds without events in the frozen window (the ConfigMap at least) come back to a 410 and re-list
relisted=$(grep -c '^# freshness [A-Za-z]* [a-z]* relists=[2-9]' "$D/dump")
[ "$relisted" -ge 1 ] || fail "no re-list after the compaction"
grep -q '^# counter .* errors=[1-9]' "$D/dump" || fail "the faults never reached the client"

# Faults off: the watches come back and every kind is live again.
set_faults ''
end=$(($(date +%s) + 20))
while :; do
    rm -f "$D/dump"
    kill -USR1 "$CC_PID"
    wait_file "$D/dump" 5 || fail "no dump"
    if ! grep '^# freshness' "$D/dump" | grep -v ' Event ' | grep -qv ' live '; then
        break
    fi
    [ "$(date +%s)" -lt "$end" ] || { grep '^# freshness' "$D/dump" >&2; fail "not every kind came back live"; }
    sleep 0.5
done
converge "faults off" 20
kill "$CC_PID"
wait "$CC_PID" || fail "clientcheck exited with an error: $(cat "$D/cc.err")"
CC_PID=""

# The same picture through the bearer-token identity of the admin kubeconfig.
"$CLIENTCHECK" --kubeconfig "$D/admin.kc" --context hcpsim-token --once --dump "$D/token.dump" 2>"$D/cc.err" ||
    fail "token context: $(cat "$D/cc.err")"
snapshot >"$D/want"
objects_of "$D/token.dump" >"$D/got"
cmp -s "$D/want" "$D/got" || { diff "$D/want" "$D/got" | head >&2; fail "token context sees another picture"; }
echo "ok"
