#!/bin/sh
# Objects the simulator serves validate against the real HyperShift CRDs: the demo fleet and a fleet
# of 50 (after some ticks, so that upgrades, scaling and crash loops have moved), fetched with
# kubectl and checked by crdcheck. crdcheck itself must fail on a deliberately broken object. And the
# field trees compiled into hcpsim (sim/crd_fields.c) are those the generator makes of the CRDs.
# Env: HCPSIM (the binary), HCPTUI_ROOT (the repository), HCPTUI_BUILD (the build directory).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
: "${HCPTUI_ROOT:?HCPTUI_ROOT must name the repository}"
: "${HCPTUI_BUILD:?HCPTUI_BUILD must name the build directory}"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found in PATH"; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl not found in PATH"; exit 1; }
CHECK="$HCPTUI_BUILD/tools/crdcheck"
CRDS="$HCPTUI_ROOT/tests/fixtures/crds"
[ -x "$CHECK" ] || { echo "crdcheck not built: $CHECK"; exit 1; }

. "$HCPTUI_ROOT/tests/integration/sim_lib.inc"

# the field trees hcpsim prunes unknown fields with are those of these CRDs
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
    python3 "$HCPTUI_ROOT/sim/crd_fields.py" --check || fail "sim/crd_fields.c is not what sim/crd_fields.py makes of $CRDS"
    ok "sim/crd_fields.c matches the CRDs"
fi

# start FLEET: runs hcpsim with manual ticks (stopping the previous one); sets pid, K (kubectl) and
# TICK (curl to the tick API)
start() {
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
    SIM_WAIT_TENTHS=300 start_sim --fleet "$1" --seed 11 --tick 0
    K="kubectl --kubeconfig $d/admin --request-timeout=30s"
    sim_admin_creds
    TICK="curl -sf --max-time 30 --cacert $d/ca.pem --cert $d/cert.pem --key $d/key.pem -X POST"
}

# check FILE LABEL: every CRD finds objects of its kind in FILE and no violation
check() {
    for crd in hostedclusters-Hypershift-Default nodepools-Default hostedcontrolplanes-Hypershift-Default; do
        "$CHECK" "$CRDS/$crd.crd.yaml" <"$1" >"$d/check.out" 2>&1 || fail "$2 against $crd: $(head -n 30 "$d/check.out")"
        grep -q '^crdcheck: [1-9][0-9]* .* checked, 0 violation' "$d/check.out" ||
            fail "$2: $crd checked nothing: $(cat "$d/check.out")"
    done
}

start demo
$TICK "$url/hcpsim/v1/tick?n=4" >/dev/null || fail "tick API"
$K get hc,np,hcp -A -o json >"$d/demo.json" 2>"$d/err" || fail "kubectl get: $(cat "$d/err")"
check "$d/demo.json" "demo fleet"
ok "demo fleet validates against the CRDs"

# crdcheck must catch a broken enum, an unknown field and a missing required field
sed -e '0,/"status": "True"/s//"status": "Maybe"/' -e '0,/"spec": {/s//"spec": {"bogusField": 1,/' \
    -e '0,/"pullSecret": {/s//"pullSecretX": {/' "$d/demo.json" >"$d/bad.json"
"$CHECK" "$CRDS/hostedclusters-Hypershift-Default.crd.yaml" <"$d/bad.json" >"$d/bad.out" 2>&1 &&
    fail "crdcheck accepted a broken object: $(cat "$d/bad.out")"
grep -q 'status: Unsupported value: "Maybe"' "$d/bad.out" || fail "no enum violation: $(cat "$d/bad.out")"
grep -q 'spec.bogusField: unknown field' "$d/bad.out" || fail "no unknown-field violation: $(cat "$d/bad.out")"
grep -q 'spec.pullSecret: Required value' "$d/bad.out" || fail "no required violation: $(cat "$d/bad.out")"
echo '{"kind":"HostedCluster","metadata":{"name":"x"},"spec":{"release":{"image":""}}}' |
    "$CHECK" "$CRDS/hostedclusters-Hypershift-Default.crd.yaml" >"$d/bad.out" 2>&1 && fail "empty image accepted"
grep -q 'spec.release.image: should be at least 1 chars long' "$d/bad.out" || fail "minLength: $(cat "$d/bad.out")"
# int-or-string takes "25%" but not a boolean; a condition reason must match its pattern
np='{"kind":"NodePool","metadata":{"name":"p"},"spec":{"clusterName":"c","release":{"image":"a:4.16.3"},"platform":{"type":"None"},"management":{"upgradeType":"Replace","replace":{"strategy":"RollingUpdate","rollingUpdate":{"maxSurge":SURGE,"maxUnavailable":0}}}}}'
echo "$np" | sed 's/SURGE/"25%"/' | "$CHECK" "$CRDS/nodepools-Default.crd.yaml" >"$d/bad.out" 2>&1 ||
    fail "int-or-string refused: $(cat "$d/bad.out")"
echo "$np" | sed 's/SURGE/true/' | "$CHECK" "$CRDS/nodepools-Default.crd.yaml" >"$d/bad.out" 2>&1 &&
    fail "boolean int-or-string accepted"
grep -q 'maxSurge: must be of type' "$d/bad.out" || fail "int-or-string wording: $(cat "$d/bad.out")"
sed -e '0,/"reason": "AsExpected"/s//"reason": "not a reason!"/' "$d/demo.json" |
    "$CHECK" "$CRDS/hostedclusters-Hypershift-Default.crd.yaml" >"$d/bad.out" 2>&1 && fail "bad reason accepted"
grep -q 'reason: "not a reason!" does not match' "$d/bad.out" || fail "pattern wording: $(cat "$d/bad.out")"
echo 'not json' | "$CHECK" "$CRDS/nodepools-Default.crd.yaml" >/dev/null 2>&1
[ $? -eq 2 ] || fail "crdcheck did not reject non-JSON input with exit 2"
ok "crdcheck fails on broken objects"

start 50
$TICK "$url/hcpsim/v1/tick?n=12" >/dev/null || fail "tick API"
$K get hc,np,hcp -A -o json >"$d/n.json" 2>"$d/err" || fail "kubectl get: $(cat "$d/err")"
check "$d/n.json" "fleet of 50"
grep -q '"name": "hc-00049"' "$d/n.json" || fail "fleet of 50 lacks hc-00049"
ok "fleet of 50 validates against the CRDs"
