#!/bin/sh
# hcpsim --crds serves the CRDs' OpenAPI v3, and kubectl uses it as against a real cluster: explain
# prints the CRD's descriptions; apply creates and then patches with fieldValidation=Strict (kubectl
# sends it only when the OpenAPI's PATCH operation names it); an unknown field is refused as
# kube-apiserver refuses it (k8s.io/apiserver pkg/endpoints/handlers/patch.go: "patch: Invalid value:
# ... strict decoding error: unknown field"); diff shows the change through a server-side dry run and
# stores nothing. Without --crds, /openapi/v3 is 404; an unreadable --crds folder is a usage error.
# Env: HCPSIM (the binary), HCPTUI_ROOT (the repository).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
: "${HCPTUI_ROOT:?HCPTUI_ROOT must name the repository}"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found in PATH"; exit 1; }
. "$HCPTUI_ROOT/tests/integration/sim_lib.inc"

"$HCPSIM" --kubeconfig "$d/x" --crds "$d/no-such-folder" >"$d/out" 2>&1
[ $? = 2 ] || fail "an unreadable --crds folder is not a usage error: $(cat "$d/out")"

start_sim --fleet demo --tick 0 --crds "$HCPTUI_ROOT/tests/fixtures/crds"
K="kubectl --kubeconfig $d/admin --request-timeout=20s"

# --- explain
$K explain hostedcluster.spec.release >"$d/out" 2>&1 || fail "explain: $(cat "$d/out")"
grep -q 'release specifies the desired OCP release payload' "$d/out" || fail "explain text: $(cat "$d/out")"
grep -q '^KIND: *HostedCluster' "$d/out" || fail "explain kind: $(cat "$d/out")"
$K explain nodepool.spec.replicas >"$d/out" 2>&1 || fail "explain np: $(cat "$d/out")"
grep -q 'FIELD: *replicas <integer>' "$d/out" || fail "explain np text: $(cat "$d/out")"
ok "kubectl explain reads the CRDs' schemas"

# --- apply, diff, apply, and an unknown field
cat >"$d/np.yaml" <<'YAML'
apiVersion: hypershift.openshift.io/v1beta1
kind: NodePool
metadata:
  name: applied
  namespace: prod
spec:
  clusterName: prod-east
  replicas: 2
  release:
    image: quay.io/openshift-release-dev/ocp-release:4.17.9-multi
  platform:
    type: AWS
  management:
    upgradeType: Replace
YAML
$K apply -f "$d/np.yaml" >"$d/out" 2>&1 || fail "apply: $(cat "$d/out")"
grep -q 'nodepool.hypershift.openshift.io/applied created' "$d/out" || fail "apply create: $(cat "$d/out")"
grep -q 'POST /apis/hypershift.openshift.io/v1beta1/namespaces/prod/nodepools?.*fieldValidation=Strict.* 201 ' "$d/log" ||
    fail "apply did not ask for Strict validation"
sed -i 's/replicas: 2/replicas: 3/' "$d/np.yaml"
$K diff -f "$d/np.yaml" >"$d/out" 2>&1
[ $? = 1 ] || fail "diff found no difference: $(cat "$d/out")"
grep -q '^+  replicas: 3' "$d/out" || fail "diff text: $(cat "$d/out")"
[ "$($K get np applied -n prod -o jsonpath='{.spec.replicas}')" = 2 ] || fail "diff changed the object"
$K apply -f "$d/np.yaml" >"$d/out" 2>&1 || fail "apply again: $(cat "$d/out")"
[ "$($K get np applied -n prod -o jsonpath='{.spec.replicas}')" = 3 ] || fail "apply did not patch"
printf '  bogusField: 1\n' >>"$d/np.yaml"
$K apply -f "$d/np.yaml" >"$d/out" 2>&1 && fail "apply of an unknown field passed"
grep -q 'The request is invalid: patch: Invalid value: .*strict decoding error: unknown field "spec.bogusField"' "$d/out" ||
    fail "strict refusal: $(cat "$d/out")"
ok "kubectl apply (create, then patch with fieldValidation=Strict), diff, and the refusal of an unknown field"
stop_sim

start_sim --fleet none --tick 0
$K get --raw /openapi/v3 >"$d/out" 2>&1 && fail "OpenAPI served without --crds"
grep -q NotFound "$d/out" || fail "no-OpenAPI answer: $(cat "$d/out")"
ok "without --crds there is no OpenAPI"
stop_sim
echo "PASS sim_openapi"
