#!/bin/sh
# The object in focus: its raw JSON follows the object as it changes (the watch tells the client to
# fetch it again), and its Events are listed and watched, matching `kubectl get events`.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
NS=clusters
NAME=upgrade-demo

"$CLIENTCHECK" --kubeconfig "$D/admin.kc" --watch-timeout 5 --focus "hc/$NS/$NAME" --dump "$D/dump" \
    --ready "$D/ready" >"$D/cc.out" 2>"$D/cc.err" &
CC_PID=$!
wait_file "$D/ready" 20 || fail "clientcheck did not start: $(cat "$D/cc.err")"

# focus_converge LABEL: events and the focused object's resourceVersion as kubectl sees them
focus_converge() {
    end=$(($(date +%s) + 20))
    while :; do
        rm -f "$D/dump"
        kill -USR1 "$CC_PID" || fail "clientcheck died: $(cat "$D/cc.err")"
        wait_file "$D/dump" 5 || fail "no dump"
        {
            kc get events -n "$NS" --field-selector "involvedObject.name=$NAME,involvedObject.kind=HostedCluster" \
                -o jsonpath='{range .items[*]}ev {.metadata.namespace}/{.metadata.name} {.metadata.resourceVersion} {.reason}{"\n"}{end}'
            echo "# focus hc $NS/$NAME rv=$(kc get hostedcluster -n "$NS" "$NAME" -o jsonpath='{.metadata.resourceVersion}')"
        } | LC_ALL=C sort >"$D/want"
        grep -E '^(ev |# focus )' "$D/dump" | LC_ALL=C sort >"$D/got"
        if cmp -s "$D/want" "$D/got"; then
            echo "converged: $1 ($(grep -c '^ev ' "$D/got") events)"
            return 0
        fi
        [ "$(date +%s)" -lt "$end" ] || { diff "$D/want" "$D/got" >&2; fail "focus did not converge ($1)"; }
        sleep 0.3
    done
}

focus_converge "first fetch"
[ "$(grep -c '^ev ' "$D/got")" -ge 1 ] || fail "the demo fleet should have events for $NAME"

kc patch hostedcluster -n "$NS" "$NAME" --type merge -p '{"spec":{"channel":"candidate-4.16"}}' >/dev/null
focus_converge "after a patch"

cat >"$D/event.yaml" <<EOT
apiVersion: v1
kind: Event
metadata:
  name: $NAME.hcptui-test
  namespace: $NS
involvedObject:
  apiVersion: hypershift.openshift.io/v1beta1
  kind: HostedCluster
  name: $NAME
  namespace: $NS
reason: HcptuiTest
message: an event made by the focus test
type: Warning
source:
  component: hcptui-test
EOT
kc create --validate=false -f "$D/event.yaml" >/dev/null
focus_converge "after a new event"
grep -q '^ev .* HcptuiTest$' "$D/got" || fail "the new event is missing"
kill "$CC_PID"
wait "$CC_PID" || fail "clientcheck failed: $(cat "$D/cc.err")"

# A focused object that is deleted: its JSON leaves the focus slot.
NP=etcd-degraded-workers
"$CLIENTCHECK" --kubeconfig "$D/admin.kc" --focus "np/team-a/$NP" --dump "$D/dump" --ready "$D/ready2" \
    >"$D/cc.out" 2>"$D/cc.err" &
CC_PID=$!
wait_file "$D/ready2" 20 || fail "clientcheck did not start: $(cat "$D/cc.err")"
end=$(($(date +%s) + 20))
until rm -f "$D/dump" && kill -USR1 "$CC_PID" && wait_file "$D/dump" 5 && grep -q "^# focus np team-a/$NP rv=[0-9]" "$D/dump"; do
    [ "$(date +%s)" -lt "$end" ] || fail "the node pool was never fetched: $(grep '^# focus' "$D/dump")"
    sleep 0.3
done
kc delete nodepool -n team-a "$NP" --wait=false >/dev/null
kc create --raw '/hcpsim/v1/tick?n=3' -f "$D/empty" >/dev/null
end=$(($(date +%s) + 20))
until rm -f "$D/dump" && kill -USR1 "$CC_PID" && wait_file "$D/dump" 5 && grep -q "^# focus np .* rv=\$" "$D/dump"; do
    [ "$(date +%s)" -lt "$end" ] || fail "a deleted object stays in focus: $(grep '^# focus' "$D/dump"); $(kc get np -n team-a)"
    sleep 0.3
done
echo "ok"
