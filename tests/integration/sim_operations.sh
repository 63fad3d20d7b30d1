#!/bin/sh
# What the console's actions send, with kubectl and curl against hcpsim (--tick 0: nothing moves but
# what the test does): server-side dry runs of patch, scale, delete and create that answer as the
# write would and leave everything as it was (read back with kubectl get, the store's resourceVersion
# unchanged, no watch event); an unknown dryRun value refused with kube-apiserver's exact 422
# (k8s.io/apiserver pkg/endpoints/handlers/patch.go, ValidateDryRun); graceful pod deletion and
# pvc-protection with the bodies a real DELETE answers (the op-etcd-member-recover example of the
# reference answers); and the etcd member recovery the console runs (PVC, then pod, --wait=false).
# Env: HCPSIM (the binary), HCPTUI_ROOT (the repository).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
: "${HCPTUI_ROOT:?HCPTUI_ROOT must name the repository}"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found in PATH"; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl not found in PATH"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not found in PATH"; exit 1; }
. "$HCPTUI_ROOT/tests/integration/sim_lib.inc"

start_sim --fleet demo --tick 0 --seed 5
K="kubectl --kubeconfig $d/admin --request-timeout=20s"
sim_admin_creds
CA="curl -s --max-time 20 --cacert $d/ca.pem --cert $d/cert.pem --key $d/key.pem"
tick() { $CA -f -X POST "$url/hcpsim/v1/tick?n=$1" >/dev/null || fail "tick API"; }
expect() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }
get() { $K get -n "$1" "$2" -o jsonpath="$3" 2>&1; }
# the store's resourceVersion: any write moves it
store_rv() { $K get --raw '/api/v1/namespaces?limit=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])'; }
HCS=/apis/hypershift.openshift.io/v1beta1/namespaces/prod/hostedclusters
NP=prod-east-us-east-1a
CP=prod-prod-east

# --- dry runs: answered as the write, nothing stored
rv0=$(store_rv)
hc_rv=$(get prod hc/prod-east '{.metadata.resourceVersion}')
hc_gen=$(get prod hc/prod-east '{.metadata.generation}')
channel=$(get prod hc/prod-east '{.spec.channel}')
$K get hc -n prod --watch-only -o name >"$d/watch" 2>&1 &
bg=$!
sleep 1
out=$($K patch hc prod-east -n prod --type=merge -p '{"spec":{"channel":"candidate-4.17"}}' --dry-run=server \
    -o jsonpath='{.spec.channel} {.metadata.resourceVersion} {.metadata.generation}' 2>&1) || fail "patch --dry-run=server: $out"
expect "dry-run merge patch answer" "$out" "candidate-4.17 $hc_rv $((hc_gen + 1))"
out=$($K patch hc prod-east -n prod --type=json -p '[{"op":"replace","path":"/spec/channel","value":"eus-4.18"}]' \
    --dry-run=server -o jsonpath='{.spec.channel}' 2>&1) || fail "json patch --dry-run=server: $out"
expect "dry-run JSON patch answer" "$out" "eus-4.18"
out=$($K scale np $NP -n prod --replicas=0 --dry-run=server 2>&1) || fail "scale --dry-run=server: $out"
expect "scale" "$out" "nodepool.hypershift.openshift.io/$NP scaled (server dry run)"
out=$($K delete np $NP -n prod --dry-run=server 2>&1) || fail "delete np --dry-run=server: $out"
expect "delete np" "$out" "nodepool.hypershift.openshift.io \"$NP\" deleted (server dry run)"
$K delete pod etcd-0 -n $CP --dry-run=server >"$d/out" 2>&1 || fail "delete pod --dry-run=server: $(cat "$d/out")"
$K delete pvc data-etcd-0 -n $CP --dry-run=server >"$d/out" 2>&1 || fail "delete pvc --dry-run=server: $(cat "$d/out")"
printf '%s' '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry","namespace":"prod"}}' >"$d/cm.json"
out=$($K create --validate=false --dry-run=server -f "$d/cm.json" 2>&1) || fail "create --dry-run=server: $out"
expect "create" "$out" "configmap/dry created (server dry run)"
sleep 1
kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null; bg=""
# read back: nothing changed
expect "store resourceVersion" "$(store_rv)" "$rv0"
expect "channel" "$(get prod hc/prod-east '{.spec.channel} {.metadata.resourceVersion}')" "$channel $hc_rv"
expect "replicas" "$(get prod np/$NP '{.spec.replicas}')" "3"
expect "pod" "$(get $CP pod/etcd-0 '{.metadata.name} {.metadata.deletionTimestamp}')" "etcd-0 "
expect "pvc" "$(get $CP pvc/data-etcd-0 '{.metadata.name} {.metadata.deletionTimestamp}')" "data-etcd-0 "
$K get cm dry -n prod >"$d/out" 2>&1 && fail "the dry-run configmap was stored"
[ -s "$d/watch" ] && fail "a dry run reached a watch: $(cat "$d/watch")"
for m in "PATCH $HCS/prod-east?dryRun=All" "PATCH /apis/hypershift.openshift.io/v1beta1/namespaces/prod/nodepools/$NP/scale?dryRun=All" \
    "POST /api/v1/namespaces/prod/configmaps?dryRun=All"; do
    grep -qF "$m" "$d/log" || fail "not sent as a dry run: $m"
done
# and no controller reacts to what was not stored: no upgrade starts, no node goes
hist=$(get prod hc/prod-west '{.status.version.history[*].state}')
$K patch hc prod-west -n prod --type=merge --dry-run=server \
    -p '{"spec":{"release":{"image":"quay.io/openshift-release-dev/ocp-release:4.16.20-multi"}}}' >"$d/out" 2>&1 ||
    fail "dry-run upgrade: $(cat "$d/out")"
tick 3
expect "history after a dry-run upgrade" "$(get prod hc/prod-west '{.status.version.history[*].state}')" "$hist"
expect "nodes after a dry-run scale to 0" "$(get prod np/$NP '{.status.replicas}')" "3"
ok "patch (merge, json), scale, delete (np, pod, pvc) and create --dry-run=server: answered, nothing stored, no controller reaction"

# --- an unknown dryRun value: the 422 kube-apiserver answers, byte for byte
$CA -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"spec":{"channel":"eus-4.18"}}' \
    -o "$d/body" -w '%{http_code}' "$url$HCS/prod-east?dryRun=Maybe" >"$d/code"
expect "code" "$(cat "$d/code")" 422
cat >"$d/want" <<'EOF'
{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"PatchOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Maybe\"]: supported values: \"All\"","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"PatchOptions","causes":[{"reason":"FieldValueNotSupported","message":"Unsupported value: [\"Maybe\"]: supported values: \"All\"","field":"dryRun"}]},"code":422}
EOF
cmp -s "$d/body" "$d/want" || fail "dryRun=Maybe body: $(cat "$d/body")"
$CA -X DELETE -o "$d/body" -w '%{http_code}' "$url/api/v1/namespaces/$CP/pods/etcd-0?dryRun=Yes" >"$d/code"
expect "delete dryRun=Yes" "$(cat "$d/code")" 422
grep -qF 'DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Yes\"]' "$d/body" ||
    fail "delete dryRun=Yes body: $(cat "$d/body")"
ok "dryRun=Maybe gets kube-apiserver's 422 (PatchOptions, DeleteOptions)"

# --- a pod's DELETE: 200 with the pod marked for its grace period; a PVC's: marked, kept
pod_uid=$(get $CP pod/etcd-2 '{.metadata.uid}')
$CA -X DELETE -H 'Content-Type: application/json' -o "$d/body" -w '%{http_code}' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\",\"preconditions\":{\"uid\":\"$pod_uid\"}}" \
    "$url/api/v1/namespaces/$CP/pods/etcd-2" >"$d/code"
expect "pod delete code" "$(cat "$d/code")" 200
python3 - "$d/body" <<'EOF' || fail "pod delete body: $(cat "$d/body")"
import json, sys
from datetime import datetime, timedelta
o = json.load(open(sys.argv[1]))
md = o["metadata"]
assert o["kind"] == "Pod", o["kind"]
assert md["deletionGracePeriodSeconds"] == 30, md
created = datetime.strptime(md["deletionTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
assert abs((created - datetime.utcnow()) - timedelta(seconds=30)) < timedelta(seconds=5), md["deletionTimestamp"]
EOF
$K get pod etcd-2 -n $CP >"$d/out" 2>&1 || fail "pod gone before its grace period"
grep -q Terminating "$d/out" || fail "pod not Terminating: $(cat "$d/out")"
$CA -X DELETE -o "$d/body" -w '%{http_code}' "$url/api/v1/namespaces/$CP/pods/etcd-2" >"$d/code"
expect "second delete" "$(cat "$d/code")" 200
grep -qF '"deletionGracePeriodSeconds":30' "$d/body" || fail "a second delete changed the period: $(cat "$d/body")"
$CA -X DELETE -o "$d/body" -w '%{http_code}' "$url/api/v1/namespaces/$CP/persistentvolumeclaims/data-etcd-1" >"$d/code"
expect "pvc delete code" "$(cat "$d/code")" 200
python3 - "$d/body" <<'EOF' || fail "pvc delete body: $(cat "$d/body")"
import json, sys
o = json.load(open(sys.argv[1]))
md = o["metadata"]
assert o["kind"] == "PersistentVolumeClaim" and md["deletionGracePeriodSeconds"] == 0, o
assert md["finalizers"] == ["kubernetes.io/pvc-protection"], md
EOF
tick 5
$K get pvc data-etcd-1 -n $CP >"$d/out" 2>&1 || fail "pvc gone while its pod runs"
grep -q Terminating "$d/out" || fail "pvc not Terminating: $(cat "$d/out")"
ok "DELETE of a pod and a PVC answers the object marked for deletion, and both stay"

# --- the console's etcd member recovery: PVC then pod, --wait=false; back healthy
$K delete pod etcd-1 -n $CP --wait=false >"$d/out" 2>&1 || fail "delete pod: $(cat "$d/out")"
tick 25 # etcd-2's 30 s have passed: gone and made again; etcd-1 still in its grace period
[ -n "$(get $CP pod/etcd-1 '{.metadata.deletionTimestamp}')" ] || fail "etcd-1 not Terminating"
[ "$(get $CP pod/etcd-2 '{.metadata.uid}')" != "$pod_uid" ] || fail "etcd-2 was not replaced"
tick 15
expect "ready members" "$(get $CP statefulset/etcd '{.status.readyReplicas}')" 3
expect "pvc" "$(get $CP pvc/data-etcd-1 '{.status.phase} {.metadata.deletionTimestamp}')" "Bound "
$K delete pod etcd-0 -n $CP --grace-period=0 --force >"$d/out" 2>&1 || fail "force delete: $(cat "$d/out")"
$K get pod etcd-0 -n $CP -o jsonpath='{.metadata.deletionTimestamp}' >"$d/out" 2>&1 && fail "force-deleted pod still there"
ok "etcd member recovery: PVC and pod deleted, both made again, 3/3 ready; --grace-period=0 --force is immediate"

# --- a stale resourceVersion in a merge patch or a PUT: the 409 of the hc-patch-merge-stale-rv example
cat >"$d/want" <<'EOF'
{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on hostedclusters.hypershift.openshift.io \"prod-east\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"prod-east","group":"hypershift.openshift.io","kind":"hostedclusters"},"code":409}
EOF
$CA -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"metadata":{"resourceVersion":"2"},"spec":{"channel":"candidate-4.17"}}' \
    -o "$d/body" -w '%{http_code}' "$url$HCS/prod-east" >"$d/code"
expect "stale patch" "$(cat "$d/code")" 409
cmp -s "$d/body" "$d/want" || fail "stale patch body: $(cat "$d/body")"
$K get hc prod-east -n prod -o json |
    python3 -c 'import json,sys; o=json.load(sys.stdin); o["metadata"]["resourceVersion"]="2"; print(json.dumps(o))' >"$d/put.json"
$CA -X PUT -H 'Content-Type: application/json' --data-binary @"$d/put.json" -o "$d/body" -w '%{http_code}' \
    "$url$HCS/prod-east" >"$d/code"
expect "stale PUT" "$(cat "$d/code")" 409
cmp -s "$d/body" "$d/want" || fail "stale PUT body: $(cat "$d/body")"
$CA -o "$d/body" -w '%{http_code}' "$url$HCS/no-such" >"$d/code"
expect "404" "$(cat "$d/code")" 404
grep -qF '"details":{"name":"no-such","group":"hypershift.openshift.io","kind":"hostedclusters"},"code":404}' "$d/body" ||
    fail "404 details: $(cat "$d/body")"
ok "409 on a stale resourceVersion (merge patch, PUT) and 404, byte for byte"

# --- the scale subresource of an autoscaled pool: read as spec {}, a write refused by the CRD's rule
$K get --raw /apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools/dev-single-workers/scale >"$d/out" 2>&1 ||
    fail "get scale: $(cat "$d/out")"
grep -qF '"spec":{},"status":{"replicas":' "$d/out" || fail "autoscaled Scale: $(cat "$d/out")"
$K scale np dev-single-workers -n clusters --replicas=3 >"$d/out" 2>&1 && fail "scaled an autoscaled pool"
grep -qF 'The NodePool "dev-single-workers" is invalid: spec: Invalid value: "object": Both replicas or autoScaling should not be set' "$d/out" ||
    fail "autoscaled scale refusal: $(cat "$d/out")"
ok "the Scale of an autoscaled pool reads spec {} and a write is refused by the CRD rule"

# --- fieldValidation: Strict refuses unknown fields (400), Warn (the default) drops them with a Warning
NPS=/apis/hypershift.openshift.io/v1beta1/namespaces/prod/nodepools
pool='{"apiVersion":"hypershift.openshift.io/v1beta1","kind":"NodePool","metadata":{"name":"fv"},"spec":{"clusterName":"prod-east","replicas":1,"replicaCount":2,"release":{"image":"quay.io/openshift-release-dev/ocp-release:4.17.9-multi"},"platform":{"type":"AWS"},"management":{"upgradeType":"Replace"}}}'
$CA -X POST -H 'Content-Type: application/json' -d "$pool" -o "$d/body" -w '%{http_code}' \
    "$url$NPS?fieldValidation=Strict" >"$d/code"
expect "strict create" "$(cat "$d/code")" 400
grep -qF '"message":"NodePool in version \"v1beta1\" cannot be handled as a NodePool: strict decoding error: unknown field \"spec.replicaCount\""' "$d/body" ||
    fail "strict create body: $(cat "$d/body")"
$CA -X POST -H 'Content-Type: application/json' -d "$pool" -D "$d/headers" -o "$d/body" "$url$NPS" >/dev/null
grep -qF 'Warning: 299 - "unknown field \"spec.replicaCount\""' "$d/headers" || fail "no Warning header: $(cat "$d/headers")"
expect "pruned" "$(get prod np/fv '{.spec.replicas} {.spec.replicaCount}')" "1 "
out=$($K patch np fv -n prod --type=merge -p '{"spec":{"autoRepair":true}}' 2>&1) || fail "patch with a warning: $out"
echo "$out" | grep -qF 'Warning: unknown field "spec.autoRepair"' || fail "kubectl shows no warning: $out"
ok "fieldValidation: Strict 400, Warn drops with a Warning header (kubectl prints it)"

# --- identities: kubectl auth can-i for what the console asks; view reads no secrets
RO="kubectl --kubeconfig $d/ro --request-timeout=20s"
# can WHO ANSWER ARGS...: kubectl auth can-i prints yes or no
can() {
    who=$1 want=$2
    shift 2
    got=$($who auth can-i "$@" 2>&1)
    [ "$got" = "$want" ] || fail "auth can-i $* as $who: got '$got', want '$want'"
}
for args in "patch hostedclusters.hypershift.openshift.io -n prod" "patch nodepools.hypershift.openshift.io -n prod"     "update nodepools.hypershift.openshift.io --subresource=scale -n prod" "delete pods -n $CP"     "delete persistentvolumeclaims -n $CP" "list secrets -n prod"; do
    # shellcheck disable=SC2086
    can "$K" yes $args
    # shellcheck disable=SC2086
    can "$RO" no $args
done
can "$K" yes get pods --subresource=log -n $CP
can "$RO" yes get pods --subresource=log -n $CP
can "$RO" yes watch nodepools.hypershift.openshift.io -A
$RO get secrets -n prod >"$d/out" 2>&1 && fail "view listed secrets"
grep -qF 'Error from server (Forbidden): secrets is forbidden: User "hcpsim-readonly" cannot list resource "secrets" in API group "" in the namespace "prod"' "$d/out" ||
    fail "secrets 403 wording: $(cat "$d/out")"
$RO get secret prod-east-kubeadmin-password -n prod >"$d/out" 2>&1 && fail "view read a secret"
grep -qF 'secrets "prod-east-kubeadmin-password" is forbidden: User "hcpsim-readonly" cannot get resource "secrets"' "$d/out" ||
    fail "secret get 403 wording: $(cat "$d/out")"
$RO get pods -n $CP >"$d/out" 2>&1 || fail "view cannot list pods: $(cat "$d/out")"
ok "auth can-i answers the console's questions for admin and view; view gets 403 on secrets"

stop_sim
echo "PASS sim_operations"
