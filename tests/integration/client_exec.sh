#!/bin/sh
# An exec credential plugin end to end: the client runs it before the first request; when the server
# answers 401 (the plugin's first token is stale), the client runs it again and retries once, and the
# lists succeed with the fresh token.
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
good=$(sed -n 's/^ *token: *//p' "$D/admin.kc" | head -n 1)
[ -n "$good" ] || fail "no admin token in the simulator's kubeconfig"
server=$(sed -n 's/^ *server: *//p' "$D/admin.kc" | head -n 1)
ca=$(sed -n 's/^ *certificate-authority-data: *//p' "$D/admin.kc" | head -n 1)

# The plugin: its first answer is a token the server refuses, later ones the real token.
cat >"$D/plugin.sh" <<EOT
#!/bin/sh
n=\$(cat "$D/calls" 2>/dev/null || echo 0)
n=\$((n + 1))
echo \$n >"$D/calls"
tok=stale-token
[ \$n -gt 1 ] && tok=$good
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "\$tok"
EOT
chmod +x "$D/plugin.sh"
cat >"$D/exec.kc" <<EOT
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: $server
    certificate-authority-data: $ca
users:
- name: sso
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $D/plugin.sh
      interactiveMode: Never
contexts:
- name: sim
  context:
    cluster: sim
    user: sso
current-context: sim
EOT

"$CLIENTCHECK" --kubeconfig "$D/exec.kc" --once --dump "$D/exec.dump" 2>"$D/cc.err" || fail "exec login: $(cat "$D/cc.err")"
snapshot >"$D/want"
objects_of "$D/exec.dump" >"$D/got"
cmp -s "$D/want" "$D/got" || { diff "$D/want" "$D/got" | head >&2; fail "the exec identity sees another picture"; }
calls=$(cat "$D/calls")
[ "$calls" -eq 2 ] || fail "the plugin ran $calls times, expected 2 (once at start, once after the 401)"
grep -q ' 401 ' "$D/requests.log" || fail "the stale token was never refused"
grep -q '^# counter hostedclusters list .*retries=[0-9]' "$D/exec.dump" || fail "no counters"
echo "ok"
