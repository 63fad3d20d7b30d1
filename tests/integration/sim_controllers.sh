#!/bin/sh
# The simulator's controllers driven by kubectl against hcpsim, stepped deterministically with the
# control API (--tick 0, POST /hcpsim/v1/tick?n=N): pause and resume, a z-stream upgrade going
# Partial then Completed, a minor upgrade blocked until the exact force-upgrade-to annotation, a
# rejected downgrade, node pool scaling one node per tick, a pool refused ahead of its control
# plane, update channels, CRD validation answers, etcd crash loop and recovery, Events and logs.
# Env: HCPSIM (the binary), HCPTUI_ROOT (the repository).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found in PATH"; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl not found in PATH"; exit 1; }

: "${HCPTUI_ROOT:?HCPTUI_ROOT must name the repository}"
. "$HCPTUI_ROOT/tests/integration/sim_lib.inc"

start_sim --fleet demo --seed 3 --tick 0
K="kubectl --kubeconfig $d/admin --request-timeout=20s"
sim_admin_creds
tick() { curl -sf --max-time 20 --cacert "$d/ca.pem" --cert "$d/cert.pem" --key "$d/key.pem" -X POST \
    "$url/hcpsim/v1/tick?n=$1" >/dev/null || fail "tick API"; }
# get NS KIND/NAME JSONPATH
get() { $K get -n "$1" "$2" -o jsonpath="$3" 2>&1; }
# cond NS KIND/NAME TYPE FIELD
cond() { get "$1" "$2" "{.status.conditions[?(@.type==\"$3\")].$4}"; }
# expect WHAT GOT WANT
expect() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }
kp() { $K patch --type=merge "$@" >"$d/out" 2>&1 || fail "patch $*: $(cat "$d/out")"; }
IMG=quay.io/openshift-release-dev/ocp-release

# --- pause stops an upgrade; resume restarts it; Partial then Completed
kp -n prod hc/prod-west -p "{\"spec\":{\"release\":{\"image\":\"$IMG:4.16.20-multi\"}}}"
tick 2
expect "history after start" "$(get prod hc/prod-west '{.status.version.history[*].state}')" "Partial Completed Completed"
kp -n prod hc/prod-west -p '{"spec":{"pausedUntil":"true"}}'
tick 1
progress=$(cond prod hc/prod-west ClusterVersionProgressing message)
tick 12
expect "paused progress" "$(cond prod hc/prod-west ClusterVersionProgressing message)" "$progress"
expect "ReconciliationActive" "$(cond prod hc/prod-west ReconciliationActive reason)" "ReconciliationPaused"
expect "Progressing while paused" "$(cond prod hc/prod-west Progressing message)" \
    "ReconciliationActive condition is false: Reconciliation paused until field removed"
expect "HCP mirror" "$(get prod-prod-west hcp/prod-west '{.spec.pausedUntil}')" "true"
kp -n prod hc/prod-west -p '{"spec":{"pausedUntil":null}}'
tick 12
expect "history after resume" "$(get prod hc/prod-west '{.status.version.history[0].state} {.status.version.history[0].version}')" \
    "Completed 4.16.20"
expect "Progressing after" "$(cond prod hc/prod-west Progressing reason)" "AsExpected"
ok "pause freezes the upgrade, resume completes it (Partial, then Completed)"

# --- minor upgrade blocked by ClusterVersionUpgradeable=False until the exact annotation
expect "blocked" "$(cond team-a hc/blocked-minor Progressing message)" \
    "ClusterVersionUpgradeable condition is false: cluster version is not upgradeable"
$K annotate -n team-a hc/blocked-minor "hypershift.openshift.io/force-upgrade-to=$IMG:4.17.5-multi" >"$d/out" 2>&1 ||
    fail "annotate: $(cat "$d/out")"
tick 1
expect "wrong annotation" "$(cond team-a hc/blocked-minor Progressing message)" \
    "ClusterVersionUpgradeable condition is false: force upgrade annotation is present but does not match desired release image"
$K annotate --overwrite -n team-a hc/blocked-minor "hypershift.openshift.io/force-upgrade-to=$IMG:4.17.9-multi" \
    >"$d/out" 2>&1 || fail "annotate: $(cat "$d/out")"
tick 1
expect "forced" "$(get team-a hc/blocked-minor '{.status.version.history[0].state} {.status.version.history[0].version}')" \
    "Partial 4.17.9"
ok "minor upgrade blocked until force-upgrade-to equals the image"

# --- downgrade and unsupported versions fail ValidReleaseImage
kp -n prod hc/prod-east -p "{\"spec\":{\"release\":{\"image\":\"$IMG:4.16.20-multi\"}}}"
tick 1
expect "downgrade" "$(cond prod hc/prod-east ValidReleaseImage message)" \
    'y-stream downgrade from "4.17.9" to "4.16.20" is not supported'
expect "downgrade blocks" "$(cond prod hc/prod-east Progressing reason)" "Blocked"
kp -n prod hc/prod-east -p "{\"spec\":{\"release\":{\"image\":\"$IMG:4.17.9-multi\"}}}"
tick 1
expect "valid again" "$(cond prod hc/prod-east ValidReleaseImage status)" "True"
ok "y-stream downgrade refused"

# --- node pools: one node per tick; a pool may not run ahead of its control plane
$K scale -n prod np/prod-east-gpu --replicas=2 >"$d/out" 2>&1 || fail "scale: $(cat "$d/out")"
tick 1
expect "one node" "$(get prod np/prod-east-gpu '{.status.replicas}')" "1"
tick 1
expect "two nodes" "$(get prod np/prod-east-gpu '{.status.replicas}')" "2"
kp -n team-a np/etcd-degraded-workers -p "{\"spec\":{\"release\":{\"image\":\"$IMG:4.17.9-multi\"}}}"
tick 3
expect "ahead" "$(cond team-a np/etcd-degraded-workers ValidReleaseImage reason)" "ValidationFailed"
case "$(cond team-a np/etcd-degraded-workers ValidReleaseImage message)" in
"Failed to get release image: "*) ;;
*) fail "pool ahead message: $(cond team-a np/etcd-degraded-workers ValidReleaseImage message)" ;;
esac
expect "no rollout" "$(get team-a np/etcd-degraded-workers '{.status.version}')" "4.16.20"
ok "pools converge a node per tick; a pool ahead of its control plane is refused"

# --- validation answers like the apiserver
$K patch -n prod np/prod-east-gpu --type=merge -p '{"spec":{"autoScaling":{"min":1,"max":3}}}' >"$d/out" 2>&1 &&
    fail "replicas with autoScaling accepted"
grep -q 'Both replicas or autoScaling should not be set' "$d/out" || fail "CEL wording: $(cat "$d/out")"
$K patch -n prod hc/prod-east --type=merge -p '{"spec":{"pausedUntil":"tomorrow"}}' >"$d/out" 2>&1 &&
    fail "bad pausedUntil accepted"
grep -q "PausedUntil must be a date in RFC3339 format" "$d/out" || fail "pausedUntil wording: $(cat "$d/out")"
$K patch -n prod hc/prod-east --type=merge -p '{"spec":{"controllerAvailabilityPolicy":"SingleReplica"}}' \
    >"$d/out" 2>&1 && fail "immutable field changed"
grep -q "ControllerAvailabilityPolicy is immutable" "$d/out" || fail "immutable wording: $(cat "$d/out")"
ok "CRD rules answered with 422 and the CRD's messages"

# --- channel fills the update lists
kp -n clusters hc/dev-single -p '{"spec":{"channel":"fast-4.16"}}'
tick 1
[ -n "$(get clusters hc/dev-single '{.status.version.availableUpdates[0].version}')" ] || fail "no availableUpdates"
[ -n "$(get clusters hc/dev-single '{.status.version.conditionalUpdates[0].risks[0].name}')" ] || fail "no risks"
expect "Recommended" "$(get clusters hc/dev-single '{.status.version.conditionalUpdates[0].conditions[0].type}')" \
    "Recommended"
ok "spec.channel fills availableUpdates and conditionalUpdates"

# --- etcd: crash loop, logs, recovery only after pod and PVC deletion
E=team-a-etcd-degraded
r1=$(get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].restartCount}')
tick 300 # CrashLoopBackOff: at most 5 minutes between restarts, a tick being a simulated second
r2=$(get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].restartCount}')
[ "$r2" -gt "$r1" ] || fail "restarts did not climb: $r1 -> $r2"
tick 5 # within the back-off that follows any restart (10 s at least): no restart
r3=$(get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].restartCount}')
[ "$r3" = "$r2" ] || fail "restarted during its back-off: $r2 -> $r3"
get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].state.waiting.message}' | grep -q '^back-off [0-9ms]* restarting failed container=etcd pod=etcd-1_' ||
    fail "no back-off in the waiting message"
expect "crash loop" "$(get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].state.waiting.reason}')" \
    "CrashLoopBackOff"
$K logs -n $E etcd-1 -c etcd --previous >"$d/out" 2>&1 || fail "logs --previous: $(cat "$d/out")"
grep -q panic "$d/out" || fail "previous log has no panic: $(cat "$d/out")"
$K get events -n $E >"$d/out" 2>&1 || fail "get events: $(cat "$d/out")"
grep -q BackOff "$d/out" || fail "no BackOff event: $(cat "$d/out")"
# a pod's delete is graceful: the kubelet confirms once its 30 s grace period passed (a tick a second)
$K delete -n $E pod/etcd-1 --wait=false >"$d/out" 2>&1 || fail "delete pod: $(cat "$d/out")"
tick 30
tick 3
expect "pod alone" "$(get $E pod/etcd-1 '{.status.containerStatuses[?(@.name=="etcd")].state.waiting.reason}')" \
    "CrashLoopBackOff"
# the console's "recover etcd member": delete the PVC, then the pod, neither waiting
$K delete -n $E pvc/data-etcd-1 --wait=false >"$d/out" 2>&1 || fail "delete pvc: $(cat "$d/out")"
$K delete -n $E pod/etcd-1 --wait=false >"$d/out" 2>&1 || fail "delete pod: $(cat "$d/out")"
tick 1
[ -n "$(get $E pvc/data-etcd-1 '{.metadata.deletionTimestamp}')" ] || fail "pvc not Terminating while its pod runs"
[ -n "$(get $E pod/etcd-1 '{.metadata.deletionTimestamp}')" ] || fail "pod not Terminating in its grace period"
tick 29
tick 8
expect "recovered" "$(get $E statefulset/etcd '{.status.readyReplicas}')" "3"
expect "pvc bound" "$(get $E pvc/data-etcd-1 '{.status.phase}')" "Bound"
expect "etcd available" "$(cond team-a hc/etcd-degraded Degraded status)" "False"
ok "an etcd member crash-loops, and recovers after its pod and PVC are deleted"
