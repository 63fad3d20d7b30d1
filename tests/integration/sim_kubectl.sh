#!/bin/sh
# kubectl (and curl) against hcpsim: discovery, Table columns, get/list/watch, patch, annotate, scale,
# delete, paging, read-only 403s, 409 on a stale update, can-i, 401, 410 after compaction, injected
# faults, the request log, and a clean shutdown on SIGTERM.
# Env: HCPSIM (the binary), HCPTUI_ROOT (the repository).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
: "${HCPTUI_ROOT:?HCPTUI_ROOT must name the repository}"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found in PATH"; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl not found in PATH"; exit 1; }

fx="$HCPTUI_ROOT/tests/fixtures/sim"
. "$HCPTUI_ROOT/tests/integration/sim_lib.inc"
# has FILE TEXT: the file contains the fixed text
has() { grep -qF -- "$2" "$1"; }

start_sim --fleet demo --tick 0 --seed 7
has "$d/stderr" "hcpsim: serving https://127.0.0.1:" || fail "no ready line on stderr"
[ "$(stat -c %a "$d/admin")" = 600 ] || fail "admin kubeconfig is not mode 0600"
ok "started; kubeconfigs written"

K="kubectl --kubeconfig $d/admin --request-timeout=20s"
RO="kubectl --kubeconfig $d/ro --request-timeout=20s"
sim_admin_creds
C="curl -s --max-time 20 --cacert $d/ca.pem"
CA="$C --cert $d/cert.pem --key $d/key.pem"

# --- fixtures (kubectl create; hcpsim serves no OpenAPI, so client-side validation is off)
for f in namespace hostedcluster nodepools etcd-pod; do
    $K create --validate=false -f "$fx/$f.json" >"$d/out" 2>&1 || fail "create $f: $(cat "$d/out")"
done
ok "fixtures created"

# --- discovery and Table columns
$K api-resources >"$d/out" 2>&1 || fail "api-resources: $(cat "$d/out")"
has "$d/out" "hc,hcs" && has "$d/out" "np,nps" && has "$d/out" "hcp,hcps" || fail "short names: $(cat "$d/out")"
$K get hc,np -A >"$d/out" 2>&1 || fail "get hc,np -A: $(cat "$d/out")"
for col in NAMESPACE NAME VERSION "CP VERSION" KUBECONFIG PROGRESS AVAILABLE PROGRESSING MESSAGE \
    CLUSTER "DESIRED NODES" "CURRENT NODES" AUTOSCALING AUTOREPAIR UPDATINGVERSION UPDATINGCONFIG; do
    has "$d/out" "$col" || fail "column $col missing from: $(cat "$d/out")"
done
grep -q '^fixtures *hostedcluster.hypershift.openshift.io/fx-hc' "$d/out" || fail "fx-hc row: $(cat "$d/out")"
# the demo fleet: a healthy production cluster with its pools, one of them scaled to zero
grep -q '^prod *hostedcluster.hypershift.openshift.io/prod-east *4[.][0-9]*[.][0-9]* .*Completed *True *False' "$d/out" ||
    fail "demo fleet prod-east row: $(cat "$d/out")"
grep -q '^prod *nodepool.hypershift.openshift.io/prod-east-gpu *prod-east *0 ' "$d/out" ||
    fail "demo fleet prod-east-gpu row: $(cat "$d/out")"
grep -q '^fixtures *nodepool.hypershift.openshift.io/fx-np-a *fx-hc *2 ' "$d/out" || fail "fx-np-a row: $(cat "$d/out")"
$K get pods -n fixtures -o wide >"$d/out" 2>&1 || fail "get pods: $(cat "$d/out")"
for col in READY STATUS RESTARTS AGE IP NODE "NOMINATED NODE" "READINESS GATES"; do
    has "$d/out" "$col" || fail "pod column $col missing: $(cat "$d/out")"
done
grep -q '^fx-etcd-0 *0/2 .*mgmt-worker-1' "$d/out" || fail "pod row: $(cat "$d/out")"
ok "kubectl get prints the CRD printer columns and pod columns"

$K get hc -A -o json >"$d/hc.json" 2>&1 || fail "get -o json: $(cat "$d/hc.json")"
python3 - "$d/hc.json" <<'EOF' || fail "get hc -A -o json did not parse"
import json, sys
doc = json.load(open(sys.argv[1]))
names = [i["metadata"]["name"] for i in doc["items"]]
assert "fx-hc" in names, names
assert all(i["kind"] == "HostedCluster" for i in doc["items"])
EOF
ok "get hc -A -o json"

# --- pods/log from the world, tailLines, and a missing previous container
$K logs etcd-0 -n prod-prod-east -c etcd --tail=3 >"$d/out" 2>&1 || fail "logs: $(cat "$d/out")"
[ "$(wc -l <"$d/out")" -eq 3 ] || fail "logs --tail=3 gave: $(cat "$d/out")"
$K logs etcd-0 -n prod-prod-east -c etcd --previous >"$d/out" 2>&1 && fail "logs --previous of a healthy member succeeded"
has "$d/out" 'previous terminated container "etcd" in pod "etcd-0" not found' || fail "previous wording: $(cat "$d/out")"
$K logs no-such-pod -n prod-prod-east >"$d/out" 2>&1 && fail "logs of a missing pod succeeded"
has "$d/out" 'pods "no-such-pod" not found' || fail "missing pod wording: $(cat "$d/out")"
ok "pods/log with tailLines; previous and missing pods get kube-apiserver wording"

# --- watch: a background kubectl --watch sees the patch
timeout 60 $K get hc fx-hc -n fixtures --watch --output-watch-events >"$d/watch" 2>&1 &
bg=$!
i=0
until grep -q 'hostedclusters?.*watch=true' "$d/log"; do
    i=$((i + 1)); [ "$i" -gt 100 ] && fail "kubectl --watch never opened a watch"
    sleep 0.1
done
$K patch hc fx-hc -n fixtures --type=merge -p '{"spec":{"pausedUntil":"true"}}' >"$d/out" 2>&1 ||
    fail "patch pausedUntil: $(cat "$d/out")"
i=0
until grep -q '^MODIFIED *fx-hc' "$d/watch"; do
    i=$((i + 1)); [ "$i" -gt 100 ] && fail "watch saw no MODIFIED event: $(cat "$d/watch")"
    sleep 0.1
done
kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null; bg=""
[ "$($K get hc fx-hc -n fixtures -o jsonpath='{.spec.pausedUntil}')" = true ] || fail "pausedUntil not set"
ok "patch --type=merge of spec.pausedUntil, seen by kubectl --watch"

# --- annotate, scale, delete
img=quay.io/openshift-release-dev/ocp-release:4.17.3-x86_64
$K annotate hc fx-hc -n fixtures "hypershift.openshift.io/force-upgrade-to=$img" >"$d/out" 2>&1 ||
    fail "annotate: $(cat "$d/out")"
[ "$($K get hc fx-hc -n fixtures -o jsonpath='{.metadata.annotations.hypershift\.openshift\.io/force-upgrade-to}')" = "$img" ] ||
    fail "annotation not stored"
$K scale nodepool fx-np-c -n fixtures --replicas=0 >"$d/out" 2>&1 || fail "scale: $(cat "$d/out")"
[ "$($K get np fx-np-c -n fixtures -o jsonpath='{.spec.replicas}')" = 0 ] || fail "replicas not 0"
$K delete pod fx-etcd-0 -n fixtures --wait=false >"$d/out" 2>&1 || fail "delete pod: $(cat "$d/out")"
# a scheduled pod is deleted gracefully: Terminating for its grace period (the default 30 s) until the
# kubelet confirms; one tick is a simulated second
$K get pod fx-etcd-0 -n fixtures >"$d/out" 2>&1 || fail "pod gone before its grace period: $(cat "$d/out")"
has "$d/out" "Terminating" || fail "pod not Terminating: $(cat "$d/out")"
[ "$($K get pod fx-etcd-0 -n fixtures -o jsonpath='{.metadata.deletionGracePeriodSeconds}')" = 30 ] ||
    fail "deletionGracePeriodSeconds is not 30"
$CA -sf -X POST "$url/hcpsim/v1/tick?n=30" >/dev/null || fail "tick API"
$K get pod fx-etcd-0 -n fixtures >"$d/out" 2>&1 && fail "pod still there"
has "$d/out" 'pods "fx-etcd-0" not found' || fail "not-found wording: $(cat "$d/out")"
ok "annotate, scale nodepool --replicas=0, delete pod (Terminating, then gone after its grace period)"

# --- paging: walk every page of nodepools with limit=1
python3 - "$d/admin" <<'EOF' || fail "paging with limit/continue"
import json, subprocess, sys, urllib.parse
kc = sys.argv[1]
names, token, pages = [], "", 0
while True:
    path = "/apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/nodepools?limit=1"
    if token:
        path += "&continue=" + urllib.parse.quote(token)
    out = subprocess.run(["kubectl", "--kubeconfig", kc, "get", "--raw", path], check=True,
                         capture_output=True, text=True).stdout
    doc = json.loads(out)
    assert len(doc["items"]) <= 1, doc
    names += [i["metadata"]["name"] for i in doc["items"]]
    pages += 1
    token = doc["metadata"].get("continue", "")
    if not token:
        break
    assert pages < 10, "too many pages"
assert names == ["fx-np-a", "fx-np-b", "fx-np-c"], names
EOF
ok "get --raw with limit/continue walks all pages"

# --- the read-only user: 403 on every mutating verb, nothing changes
before=$($K get np fx-np-a -n fixtures -o jsonpath='{.metadata.resourceVersion}')
$RO get hc -n fixtures >"$d/out" 2>&1 || fail "read-only get: $(cat "$d/out")"
$RO patch hc fx-hc -n fixtures --type=merge -p '{"spec":{"pausedUntil":null}}' >"$d/out" 2>&1 && fail "read-only patch succeeded"
has "$d/out" 'hostedclusters.hypershift.openshift.io "fx-hc" is forbidden: User "hcpsim-readonly" cannot patch resource "hostedclusters" in API group "hypershift.openshift.io" in the namespace "fixtures"' ||
    fail "read-only patch wording: $(cat "$d/out")"
$RO delete np fx-np-a -n fixtures >"$d/out" 2>&1 && fail "read-only delete succeeded"
has "$d/out" 'User "hcpsim-readonly" cannot delete resource "nodepools" in API group "hypershift.openshift.io" in the namespace "fixtures"' ||
    fail "read-only delete wording: $(cat "$d/out")"
$RO scale np fx-np-a -n fixtures --replicas=5 >"$d/out" 2>&1 && fail "read-only scale succeeded"
has "$d/out" 'cannot patch resource "nodepools/scale"' || fail "read-only scale wording: $(cat "$d/out")"
$RO create --validate=false -f "$fx/namespace.json" >"$d/out" 2>&1 && fail "read-only create succeeded"
has "$d/out" 'namespaces is forbidden: User "hcpsim-readonly" cannot create resource "namespaces" in API group "" at the cluster scope' ||
    fail "read-only create wording: $(cat "$d/out")"
[ "$($K get np fx-np-a -n fixtures -o jsonpath='{.metadata.resourceVersion}')" = "$before" ] || fail "read-only changed fx-np-a"
grep -q ' readonly PATCH .* 403 ' "$d/log" && grep -q ' readonly DELETE .* 403 ' "$d/log" || fail "request log lacks the 403s"
grep -E ' readonly (POST|PUT|PATCH|DELETE) .* 2[0-9][0-9] ' "$d/log" && fail "the request log shows a read-only write that succeeded"
ok "read-only user: 403 with kube-apiserver wording, nothing changed, the request log shows it"

# --- 409 on a stale update
$K get np fx-np-b -n fixtures -o json >"$d/old.json"
$K label np fx-np-b -n fixtures touched=yes >"$d/out" 2>&1 || fail "label: $(cat "$d/out")"
$K replace --validate=false -f "$d/old.json" >"$d/out" 2>&1 && fail "stale replace succeeded"
has "$d/out" 'Operation cannot be fulfilled on nodepools.hypershift.openshift.io "fx-np-b": the object has been modified; please apply your changes to the latest version and try again' ||
    fail "409 wording: $(cat "$d/out")"
grep -q ' admin PUT /apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/nodepools/fx-np-b[?][^ ]* 409 ' "$d/log" ||
    fail "request log lacks the 409"
# a merge patch that carries an old resourceVersion is refused the same way
code=$($CA -o "$d/body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"metadata":{"resourceVersion":"1"},"spec":{"replicas":7}}' \
    "$url/apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/nodepools/fx-np-b")
[ "$code" = 409 ] && has "$d/body" '"reason":"Conflict"' || fail "stale merge patch: $code $(cat "$d/body")"
[ "$($K get np fx-np-b -n fixtures -o jsonpath='{.spec.replicas}')" = 1 ] || fail "the stale patch changed replicas"
ok "kubectl replace with an old resourceVersion, and a merge patch with one: 409 Conflict"

# --- JSON patch, and strategic merge patch (kubectl's default) on a core kind
$K patch hc fx-hc -n fixtures --type=json -p '[{"op":"add","path":"/spec/channel","value":"stable-4.17"}]' >"$d/out" 2>&1 ||
    fail "json patch: $(cat "$d/out")"
[ "$($K get hc fx-hc -n fixtures -o jsonpath='{.spec.channel}')" = stable-4.17 ] || fail "json patch not applied"
$K patch hc fx-hc -n fixtures --type=json -p '[{"op":"remove","path":"/spec/nope"}]' >"$d/out" 2>&1 && fail "json patch removing a missing key succeeded"
# kubectl's generators send protobuf, which hcpsim reads for these kinds
$K create configmap fx-cm -n fixtures --from-literal=a=1 >"$d/out" 2>&1 || fail "create cm: $(cat "$d/out")"
$K create secret generic fx-secret -n fixtures --from-literal=password=hunter2 >"$d/out" 2>&1 ||
    fail "create secret: $(cat "$d/out")"
[ "$($K get secret fx-secret -n fixtures -o jsonpath='{.data.password}' | base64 -d)" = hunter2 ] || fail "secret data"
$K create namespace fx-empty >"$d/out" 2>&1 || fail "create namespace: $(cat "$d/out")"
$K create deployment fx-deploy -n fixtures --image=example.com/x >"$d/out" 2>&1 && fail "a protobuf Deployment was accepted"
has "$d/out" "hcpsim reads protobuf only for" || fail "unsupported protobuf wording: $(cat "$d/out")"
$K patch configmap fx-cm -n fixtures -p '{"data":{"b":"2"}}' >"$d/out" 2>&1 || fail "strategic patch: $(cat "$d/out")"
[ "$($K get cm fx-cm -n fixtures -o jsonpath='{.data.a},{.data.b}')" = "1,2" ] || fail "strategic patch result"
grep -q ' admin PATCH /api/v1/namespaces/fixtures/configmaps/fx-cm[?][^ ]* 200 ' "$d/log" || fail "no strategic PATCH in the log"
ok "kubectl create configmap/secret/namespace (protobuf), json patch, strategic merge patch on a ConfigMap"

# --- auth can-i (SelfSubjectAccessReview)
[ "$($K auth can-i patch hostedclusters -n fixtures 2>&1)" = yes ] || fail "admin can-i patch"
[ "$($RO auth can-i list nodepools -n fixtures 2>&1)" = yes ] || fail "read-only can-i list"
$RO auth can-i patch hostedclusters -n fixtures >"$d/out" 2>&1 && fail "read-only can-i patch said yes"
[ "$(cat "$d/out")" = no ] || fail "read-only can-i patch: $(cat "$d/out")"
ok "auth can-i"

# --- 401: no credentials, a wrong token
code=$($C -o "$d/body" -w '%{http_code}' "$url/version")
[ "$code" = 401 ] && has "$d/body" '"reason":"Unauthorized"' || fail "anonymous /version: $code $(cat "$d/body")"
code=$($C -o "$d/body" -w '%{http_code}' -H 'Authorization: Bearer wrong' "$url/apis/hypershift.openshift.io/v1beta1/hostedclusters")
[ "$code" = 401 ] || fail "wrong token: $code"
grep -q ' anonymous GET /version 401 ' "$d/log" || fail "request log lacks the anonymous 401"
ok "401 without credentials and with a wrong token"

# --- Table over the raw API, 404 wording, 413, 415
$CA -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' -o "$d/body" \
    "$url/apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/nodepools?includeObject=None"
python3 - "$d/body" <<'EOF' || fail "Table: $(cat "$d/body")"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["kind"] == "Table" and t["apiVersion"] == "meta.k8s.io/v1"
cols = [c["name"] for c in t["columnDefinitions"]]
assert cols == ["Name", "Cluster", "Desired Nodes", "Current Nodes", "Autoscaling", "Autorepair", "Version",
                "UpdatingVersion", "UpdatingConfig", "Message"], cols
assert [r["cells"][0] for r in t["rows"]] == ["fx-np-a", "fx-np-b", "fx-np-c"]
assert all("object" not in r for r in t["rows"])
EOF
code=$($CA -o "$d/body" -w '%{http_code}' "$url/apis/nope.example.com/v1/things")
[ "$code" = 404 ] && has "$d/body" 'the server could not find the requested resource' || fail "404: $code $(cat "$d/body")"
head -c 3200000 /dev/zero | tr '\0' ' ' >"$d/big"
code=$($CA -o "$d/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$d/big" \
    "$url/api/v1/namespaces/fixtures/configmaps")
[ "$code" = 413 ] || fail "a body over 3 MiB: $code"
code=$($CA -o "$d/body" -w '%{http_code}' -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' \
    -d '{"spec":{}}' "$url/apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/hostedclusters/fx-hc")
[ "$code" = 415 ] && has "$d/body" 'accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml' ||
    fail "415: $code $(cat "$d/body")"
# the Table columns are the CRDs' printer columns (read from the CRD fixtures), with first-match cells
$CA -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' -o "$d/hctable" \
    "$url/apis/hypershift.openshift.io/v1beta1/hostedclusters?includeObject=Object"
$CA -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' -o "$d/nptable" \
    "$url/apis/hypershift.openshift.io/v1beta1/nodepools"
python3 - "$HCPTUI_ROOT/tests/fixtures/crds" "$d/hctable" "$d/nptable" <<'EOF' || fail "Table columns differ from the CRDs"
import json, os, re, sys
crds, hct, npt = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def printer_columns(name):
    text = open(os.path.join(crds, name)).read()
    block = text.split("additionalPrinterColumns:\n", 1)[1].split("\n    name: v1beta1", 1)[0]
    cols = []
    for item in block.split("    - ")[1:]:
        fields = dict(re.findall(r"^\s*(\w+): (.*)$", item, re.M))
        cols.append({"name": fields["name"], "type": fields["type"], "description": fields["description"],
                     "priority": int(fields.get("priority", 0))})
    return cols
for table, crd in ((hct, "hostedclusters-Hypershift-Default.crd.yaml"), (npt, "nodepools-Default.crd.yaml")):
    got = [{k: c[k] for k in ("name", "type", "description", "priority")} for c in table["columnDefinitions"]]
    assert got[0]["name"] == "Name", got[0]
    assert got[1:] == printer_columns(crd), (got[1:], printer_columns(crd))
assert hct["rows"], "no HostedCluster rows"
for row in hct["rows"]:
    hist = row["object"].get("status", {}).get("version", {}).get("history", [])
    done = [h["version"] for h in hist if h.get("state") == "Completed"]
    assert row["cells"][1] == (done[0] if done else None), (row["cells"], hist)
    assert row["cells"][4] == (hist[0]["state"] if hist else None), (row["cells"], hist)
    assert row["cells"][0] == row["object"]["metadata"]["name"]
EOF
ok "Table with includeObject=None, 404, 413 and 415 wording; columns match the CRD printer columns"

# --- 410: a watch from before a compaction gets one ERROR event with an Expired Status
$CA -X POST -o "$d/body" "$url/hcpsim/v1/compact" || fail "compact"
$CA -o "$d/body" "$url/apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/hostedclusters?watch=1&resourceVersion=2"
has "$d/body" '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 2' &&
    has "$d/body" '"reason":"Expired","code":410}}' || fail "410 watch: $(cat "$d/body")"
code=$($C -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(sed -n 's/^    token: //p' "$d/ro")" -X POST "$url/hcpsim/v1/compact")
[ "$code" = 403 ] || fail "read-only reached the control API: $code"
ok "410 Expired as a watch ERROR event after /hcpsim/v1/compact"

# --- faults: a 503 injected through the control API reaches kubectl as an error with words
$CA -X PUT --data-binary 'error=503@1,only=GET,path=/apis/hypershift*' -o "$d/body" "$url/hcpsim/v1/faults"
has "$d/body" '"spec":"error=503@1,only=GET,path=/apis/hypershift*"' || fail "set faults: $(cat "$d/body")"
$K get hc -n fixtures >"$d/out" 2>&1 && fail "kubectl succeeded through an injected 503"
has "$d/out" "unable to handle the request" || fail "503 wording: $(cat "$d/out")"
grep -q ' admin GET /apis/hypershift.openshift.io/v1beta1/namespaces/fixtures/hostedclusters[?]limit=500[^ ]* 503 ' "$d/log" ||
    fail "request log lacks the 503"
code=$($CA -o "$d/body" -w '%{http_code}' -X PUT --data-binary 'error=404@1' "$url/hcpsim/v1/faults")
[ "$code" = 400 ] && has "$d/body" 'code must be 429' || fail "bad fault spec: $code $(cat "$d/body")"
$CA -X PUT --data-binary '' -o /dev/null "$url/hcpsim/v1/faults"
$K get hc -n fixtures >"$d/out" 2>&1 || fail "faults not cleared: $(cat "$d/out")"
ok "an injected 503, a bad spec refused, faults cleared"

# --- a clean shutdown on SIGTERM
stop_sim
ok "SIGTERM: clean exit"
echo "PASS sim_kubectl"
