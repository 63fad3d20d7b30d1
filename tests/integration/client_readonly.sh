#!/bin/sh
# Read-only mode against hcpsim with the read-only identity (bearer token): the store matches kubectl,
# mutating requests are refused inside the client (nothing reaches the server: the simulator's request
# log shows only GETs, and the SelfSubjectAccessReview POST), and without --read-only the server's own
# 403 comes back in words.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
HC=/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/dev-single

"$CLIENTCHECK" --kubeconfig "$D/ro.kc" --read-only --once --dump "$D/ro.dump" 2>"$D/cc.err" ||
    fail "read-only list: $(cat "$D/cc.err")"
snapshot >"$D/want"
objects_of "$D/ro.dump" >"$D/got"
cmp -s "$D/want" "$D/got" || { diff "$D/want" "$D/got" | head >&2; fail "the read-only store differs from kubectl"; }

for m in PATCH PUT DELETE POST; do
    out=$("$CLIENTCHECK" --kubeconfig "$D/ro.kc" --read-only --request "$m" "$HC" '{"spec":{"channel":"x"}}' 2>"$D/cc.err")
    rc=$?
    [ "$rc" -eq 3 ] || fail "$m in read-only mode: exit $rc, output: $out $(cat "$D/cc.err")"
    [ "$out" = "error read-only mode: refused to send $m $HC" ] || fail "$m: unexpected words: $out"
done
# the admin identity does not change that: read-only is the client's property
out=$("$CLIENTCHECK" --kubeconfig "$D/admin.kc" --read-only --request PATCH "$HC" '{"spec":{"channel":"x"}}' 2>&1)
[ $? -eq 3 ] || fail "admin PATCH in read-only mode was not refused: $out"
# the permission probe may go out
out=$("$CLIENTCHECK" --kubeconfig "$D/ro.kc" --read-only --request POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews \
    '{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"patch","group":"hypershift.openshift.io","resource":"hostedclusters","namespace":"clusters"}}}' 2>&1)
[ $? -ne 3 ] || fail "the SelfSubjectAccessReview probe was refused: $out"

# Every request so far: GETs, and POSTs only to selfsubjectaccessreviews.
bad=$(awk '{ if ($3 != "GET" && !($3 == "POST" && $4 ~ /^\/apis\/authorization\.k8s\.io\/v1\/selfsubjectaccessreviews/)) print }' "$D/requests.log" |
    grep -v ' /hcpsim/v1/' || true)
[ -z "$bad" ] || fail "a mutating request reached the server in read-only mode: $bad"
grep -q ' GET /apis/hypershift.openshift.io/v1beta1/hostedclusters?limit=500 ' "$D/requests.log" ||
    fail "the request log does not show the client's list: $(head -3 "$D/requests.log")"
lines_before=$(wc -l <"$D/requests.log")

# Without --read-only the PATCH is sent, and the server's RBAC refusal comes back in words.
out=$("$CLIENTCHECK" --kubeconfig "$D/ro.kc" --request PATCH "$HC" '{"spec":{"channel":"x"}}' 2>&1)
[ "$out" = "error forbidden: user hcpsim-readonly cannot patch hostedclusters in namespace clusters" ] ||
    fail "unexpected 403 words: $out"
tail -n +"$((lines_before + 1))" "$D/requests.log" | grep -q "PATCH $HC 403" || fail "the PATCH did not reach the server"
echo "ok"
