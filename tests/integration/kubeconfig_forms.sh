#!/bin/sh
# Every credential form reaches hcpsim through hcptui --once: client certificate and key files and
# tokenFile (relative to the kubeconfig's folder), an exec plugin (relative command, cluster info),
# KUBECONFIG merging with missing and empty entries. Errors exit 2 with one line, never the token.
set -u
D=$(mktemp -d "${TMPDIR:-/tmp}/hcptui-kcforms.XXXXXX")
SIM_PID=""
cleanup() {
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export HOME="$D/home"
mkdir -p "$HOME" "$D/cfg/bin"
unset KUBECONFIG KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

"$HCPSIM" --kubeconfig "$D/admin.kc" --readonly-kubeconfig "$D/ro.kc" --fleet demo --tick 0 >"$D/sim.out" 2>&1 &
SIM_PID=$!
n=0
while [ ! -s "$D/admin.kc" ] || [ ! -s "$D/ro.kc" ]; do
    n=$((n + 1))
    [ "$n" -gt 200 ] && { cat "$D/sim.out" >&2; fail "hcpsim wrote no kubeconfig"; }
    sleep 0.1
done

# field FILE KEY: the first value of "KEY:" in a kubeconfig hcpsim wrote (block style, one per line)
field() { sed -n "s/^ *$2: *//p" "$1" | head -n 1; }
SERVER=$(field "$D/admin.kc" server)
CA_B64=$(field "$D/admin.kc" certificate-authority-data)
ADMIN_TOKEN=$(field "$D/admin.kc" token)
RO_TOKEN=$(field "$D/ro.kc" token)
[ -n "$SERVER" ] && [ -n "$CA_B64" ] && [ -n "$ADMIN_TOKEN" ] && [ -n "$RO_TOKEN" ] || fail "unexpected kubeconfig shape"
echo "$CA_B64" | base64 -d >"$D/cfg/ca.crt"
field "$D/admin.kc" client-certificate-data | base64 -d >"$D/cfg/client.crt"
field "$D/admin.kc" client-key-data | base64 -d >"$D/cfg/client.key"
printf '%s\n' "$RO_TOKEN" >"$D/cfg/token"

# The plugin prints the admin token and keeps what it was given.
cat >"$D/cfg/bin/get-token" <<EOF
#!/bin/sh
printf '%s' "\$KUBERNETES_EXEC_INFO" >"$D/exec-info.json"
[ "\${FAIL_WITH:-}" ] && { echo "plugin: refusing" >&2; exit "\$FAIL_WITH"; }
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$ADMIN_TOKEN"
EOF
chmod 700 "$D/cfg/bin/get-token"

cat >"$D/cfg/config" <<EOF
apiVersion: v1
kind: Config
current-context: cert-files
clusters:
- name: sim
  cluster:
    server: $SERVER
    certificate-authority: ca.crt
users:
- name: cert-files
  user: {client-certificate: client.crt, client-key: ./client.key}
- name: token-file
  user: {tokenFile: token}
- name: exec
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: bin/get-token
      interactiveMode: Never
      provideClusterInfo: true
- name: exec-failing
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: bin/get-token
      env: [{name: FAIL_WITH, value: "4"}]
      interactiveMode: Never
- name: wrong-key
  user:
    client-certificate: client.crt
    client-key-data: $(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | base64 | tr -d '\n')
contexts:
- {name: cert-files, context: {cluster: sim, user: cert-files}}
- {name: token-file, context: {cluster: sim, user: token-file}}
- {name: exec, context: {cluster: sim, user: exec}}
- {name: exec-failing, context: {cluster: sim, user: exec-failing}}
- {name: wrong-key, context: {cluster: sim, user: wrong-key}}
EOF

# once CONTEXT...: hcptui --once on the clusters pane; output in $D/out, $D/err; status in $rc
once() {
    rc=0
    timeout 60 "$HCPTUI" --once --pane clusters "$@" >"$D/out" 2>"$D/err" || rc=$?
    for secret in "$ADMIN_TOKEN" "$RO_TOKEN"; do
        if grep -qF "$secret" "$D/out" "$D/err"; then fail "a token leaked into the output of: $*"; fi
    done
}

for ctx in cert-files token-file exec; do
    once --kubeconfig "$D/cfg/config" --context "$ctx"
    [ "$rc" = 0 ] || fail "context $ctx: exit $rc: $(cat "$D/err")"
    grep -q "prod-east" "$D/out" || fail "context $ctx: no hosted clusters listed: $(cat "$D/out")"
done
grep -q "\"server\":\"$SERVER\"" "$D/exec-info.json" || fail "the plugin got no cluster info: $(cat "$D/exec-info.json")"
grep -q '"interactive":false' "$D/exec-info.json" || fail "the plugin was not told it is not interactive"

# KUBECONFIG: missing and empty entries skipped; current-context from the first file that sets it.
KUBECONFIG="$D/missing::$D/ro.kc:$D/cfg/config" once
[ "$rc" = 0 ] || fail "merged KUBECONFIG: exit $rc: $(cat "$D/err")"
grep -q "prod-east" "$D/out" || fail "merged KUBECONFIG: nothing listed"
# ~/.kube/config when nothing else is set.
mkdir -p "$HOME/.kube"
cp "$D/admin.kc" "$HOME/.kube/config"
once
[ "$rc" = 0 ] || fail "~/.kube/config: exit $rc: $(cat "$D/err")"

# Errors: exit 2 and one line naming the file and the problem.
once --kubeconfig "$D/cfg/config" --context nope
[ "$rc" = 2 ] || fail "missing context: exit $rc"
grep -q "kubeconfig $D/cfg/config: context \"nope\" not found (have: cert-files, token-file, exec, exec-failing, wrong-key)" "$D/err" ||
    fail "missing context: $(cat "$D/err")"
once --kubeconfig "$D/cfg/config" --context wrong-key
[ "$rc" = 2 ] || fail "mismatched key: exit $rc"
grep -q 'user "wrong-key": client-key-data does not match client-certificate' "$D/err" || fail "mismatched key: $(cat "$D/err")"
once --kubeconfig "$D/cfg/config" --context exec-failing
[ "$rc" != 0 ] || fail "a failing plugin did not fail the run"
grep -q 'exec plugin ".*bin/get-token" failed (exit status 4)' "$D/err" || fail "failing plugin: $(cat "$D/err")"
once --kubeconfig "$D/missing"
[ "$rc" = 2 ] || fail "missing --kubeconfig: exit $rc"
grep -q "kubeconfig $D/missing: No such file or directory" "$D/err" || fail "missing --kubeconfig: $(cat "$D/err")"
echo "kubeconfig_forms: ok"
