#!/bin/sh
# --once --pane X watches and waits for the kinds that pane reads only: with the supported-versions
# ConfigMap failing (or hanging), the clusters and node pools panes still print and never ask for
# it, while the updates pane, which shows it, fails in words.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0 --faults 'error=500@1,path=/api/v1/namespaces/hypershift/configmaps*'
once() { LANG=C.UTF-8 LC_ALL=C.UTF-8 COLUMNS=200 timeout 60 "$HCPTUI" --kubeconfig "$D/admin.kc" --once "$@"; }

: >"$D/requests.log"
once --pane clusters >"$D/clusters.txt" 2>"$D/clusters.err" || fail "--once --pane clusters: $(cat "$D/clusters.err")"
grep -q "prod-east" "$D/clusters.txt" || { cat "$D/clusters.txt" >&2; fail "the clusters pane shows no prod-east"; }
grep -q "configmaps" "$D/requests.log" && fail "--once --pane clusters asked for the ConfigMap it does not show"
grep -q "/pods" "$D/requests.log" || fail "--once --pane clusters did not list etcd pods (its etcd column)"

once --pane nodepools >"$D/np.txt" 2>"$D/np.err" || fail "--once --pane nodepools: $(cat "$D/np.err")"
grep -q "prod-east-gpu" "$D/np.txt" || fail "the node pools pane shows no prod-east-gpu"

once --pane updates >"$D/up.txt" 2>"$D/up.err" && fail "--once --pane updates printed without its ConfigMap"
grep -q "supported-versions\|ConfigMap" "$D/up.err" || { cat "$D/up.err" >&2; fail "the updates failure does not name the ConfigMap"; }

# a ConfigMap that never answers does not delay the clusters pane either
set_faults 'latency=1h,path=/api/v1/namespaces/hypershift/configmaps*'
start=$(date +%s)
once --pane clusters >"$D/slow.txt" 2>"$D/slow.err" || fail "--once --pane clusters with a hanging ConfigMap: $(cat "$D/slow.err")"
took=$(($(date +%s) - start))
[ "$took" -le 10 ] || fail "--once --pane clusters took $took s while the ConfigMap hangs"
# (ages may have moved a second: compare the rows' names)
awk '{print $1, $2}' "$D/slow.txt" >"$D/slow.names"
awk '{print $1, $2}' "$D/clusters.txt" >"$D/clusters.names"
cmp -s "$D/slow.names" "$D/clusters.names" || fail "the clusters pane shows other rows while the ConfigMap hangs"
echo "ok"
