#!/bin/sh
# --refresh N: the client lists every N seconds instead of watching, and still converges.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
"$CLIENTCHECK" --kubeconfig "$D/admin.kc" --refresh 1 --dump "$D/dump" --ready "$D/ready" >"$D/cc.out" 2>"$D/cc.err" &
CC_PID=$!
wait_file "$D/ready" 20 || fail "clientcheck did not start: $(cat "$D/cc.err")"
converge "first lists" 20
kc patch hostedcluster -n prod prod-east --type merge -p '{"spec":{"channel":"candidate-4.17"}}' >/dev/null
kc scale nodepool -n prod prod-east-gpu --replicas=3 >/dev/null
converge "after changes" 20
grep -q '^hc prod/prod-east [0-9]* candidate-4.17$' "$D/got" || fail "the patched channel is missing"
! grep -q 'watch=1' "$D/requests.log" || fail "polling mode opened a watch"
lists=$(grep -c ' GET /apis/hypershift.openshift.io/v1beta1/hostedclusters?limit=500 ' "$D/requests.log")
[ "$lists" -ge 2 ] || fail "hosted clusters were listed only $lists times"
grep -q '^# freshness HostedCluster live ' "$D/dump" || fail "not live: $(grep '^# freshness' "$D/dump")"
echo "ok"
