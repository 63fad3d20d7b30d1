#!/bin/sh
# --once for scripts and cron, with the real binary against `hcpsim --fleet demo`: piped text is
# not cut, -o wide|name|json|yaml, --check's exit status and summary line, transient faults that a
# one-shot run survives and lasting ones that fail it in words, a bad credential (2), and the
# console's 128+N exit on SIGTERM, SIGHUP and a SIGINT sent by kill. The json and yaml documents are parsed by
# tests/unit/test_tui_once.c; here jq checks them too when it is installed.
set -u
. "$(dirname "$0")/tui/lib.sh"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is not installed"; exit 1; }

t_sim_start
kc="$T_DIR/kubeconfig"
once() { LANG=C.UTF-8 LC_ALL=C.UTF-8 "$HCPTUI" --kubeconfig "$kc" --once "$@"; }
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "\"$2\" missing"; }; }
k() { kubectl --kubeconfig "$kc" "$@"; }

# A hosted cluster whose name is longer than the NAME column's 40 cells, and a Degraded message
# longer than STATUS's 48: on a terminal they would be cut, piped they must be whole.
long="a-hosted-cluster-name-that-is-far-longer-than-forty-cells-xyz"
sed "s/\"fx-hc\"/\"$long\"/; s/\"fixtures\"/\"clusters\"/" "$HCPTUI_ROOT/tests/fixtures/sim/hostedcluster.json" \
    >"$T_DIR/long.json"
k create --validate=false -f "$T_DIR/long.json" >"$T_DIR/k.log" 2>&1 || { cat "$T_DIR/k.log"; fail "kubectl create failed"; }
msg="etcd statefulset has 1 unavailable replicas and this sentence goes on to its very last word: END-OF-MESSAGE"
k -n team-a patch hostedcluster etcd-degraded --subresource=status --type=merge -p "{\"status\":{\"conditions\":[
    {\"type\":\"Available\",\"status\":\"True\",\"reason\":\"AsExpected\",\"lastTransitionTime\":\"2026-11-25T14:00:00Z\"},
    {\"type\":\"Degraded\",\"status\":\"True\",\"reason\":\"UnavailableReplicasOfTheEtcdStatefulSetForALongTime\",
     \"message\":\"$msg\",\"lastTransitionTime\":\"2026-11-25T14:00:00Z\"}]}}" >"$T_DIR/k.log" 2>&1 ||
    { cat "$T_DIR/k.log"; fail "kubectl patch failed"; }

# piped text: nothing cut, and no escape sequence
once >"$T_DIR/piped.txt" 2>"$T_DIR/err" || { cat "$T_DIR/err"; fail "--once piped failed"; }
has "$T_DIR/piped.txt" "$long"
has "$T_DIR/piped.txt" "Degraded: UnavailableReplicasOfTheEtcdStatefulSetForALongTime"
grep -q "…" "$T_DIR/piped.txt" && { cat "$T_DIR/piped.txt"; fail "a piped cell was cut"; }
LC_ALL=C grep -q "$(printf '\033')" "$T_DIR/piped.txt" && fail "piped text holds an escape sequence"
# --width still lays out (and cuts) as a terminal of that width would
once --width 100 >"$T_DIR/w100.txt" || fail "--width 100 failed"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T_DIR/w100.txt")" -le 100 ] || fail "--width 100: a line is wider"
grep -qF "$long" "$T_DIR/w100.txt" && fail "--width 100 kept a 61-cell name whole in a 40-cell column"
# a terminal (tmux) is laid out for its width, as before
t_start 120 20 COLUMNS= -- --once   # the terminal's own width, whatever the caller exported
t_wait_exit
t_screen >"$T_DIR/tty.txt"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T_DIR/tty.txt")" -le 120 ] || fail "--once on a 120-column terminal printed wider lines"
grep -qF "$long" "$T_DIR/tty.txt" && fail "--once on a terminal did not cut the long name"
t_stop

# -o wide: every column, uncut
once -o wide >"$T_DIR/wide.txt" || fail "-o wide failed"
for title in NAMESPACE PROGRESSING POLICY PLATFORM AGE; do has "$T_DIR/wide.txt" "$title"; done
has "$T_DIR/wide.txt" "$long"
[ "$(grep -c . "$T_DIR/wide.txt")" -eq 10 ] || fail "-o wide: expected a header and 9 clusters"

# -o name: kind/namespace/name, one a line
once -o name >"$T_DIR/names.txt" || fail "-o name failed"
has "$T_DIR/names.txt" "hostedcluster/team-a/etcd-degraded"
has "$T_DIR/names.txt" "hostedcluster/clusters/$long"
[ "$(grep -c . "$T_DIR/names.txt")" -eq 9 ] || { cat "$T_DIR/names.txt"; fail "-o name: expected 9 lines"; }
grep -qv '^hostedcluster/[a-z0-9.-]*/[a-z0-9.-]*$' "$T_DIR/names.txt" && { cat "$T_DIR/names.txt"; fail "-o name: a line is not kind/ns/name"; }
once -o name --pane etcd >"$T_DIR/pods.txt" || fail "-o name --pane etcd failed"
has "$T_DIR/pods.txt" "pod/team-a-etcd-degraded/etcd-1"
once -ojson --pane nodepools >"$T_DIR/np.json" || fail "-ojson (attached) failed"

# -o json and yaml: the whole message as data (parsed by the unit tests; by jq here when present)
once -o json >"$T_DIR/hc.json" || fail "-o json failed"
has "$T_DIR/hc.json" "END-OF-MESSAGE"
has "$T_DIR/hc.json" '"apiVersion":'
once -o yaml >"$T_DIR/hc.yaml" || fail "-o yaml failed"
has "$T_DIR/hc.yaml" "apiVersion: hcptui.io/v1"
has "$T_DIR/hc.yaml" "END-OF-MESSAGE"
if command -v jq >/dev/null 2>&1; then
    [ "$(jq -r '.items[] | select(.name == "etcd-degraded") | .facts.health.check' "$T_DIR/hc.json")" = critical ] ||
        fail "jq: etcd-degraded is not critical in -o json"
    [ "$(jq -r '.items | length' "$T_DIR/hc.json")" = 9 ] || fail "jq: expected 9 items"
    jq -e '.items[] | select(.name == "blocked-minor") | .facts.upgrade.state == "blocked"' "$T_DIR/hc.json" \
        >/dev/null || fail "jq: blocked-minor's upgrade is not blocked"
    jq -e '.items[0].facts.cluster.health.level' "$T_DIR/np.json" >/dev/null || fail "jq: a pool has no cluster health"
fi

# --check: the demo fleet has a degraded (critical) and a blocked (warning) cluster: 2. (The new
# cluster goes first: with the controllers frozen it never gets etcd pods, a lost quorum.)
k -n clusters delete hostedcluster "$long" --wait=false >"$T_DIR/k.log" 2>&1 || { cat "$T_DIR/k.log"; fail "kubectl delete failed"; }
once --check >"$T_DIR/check.txt" 2>"$T_DIR/err"
rc=$?
[ $rc -eq 2 ] || { cat "$T_DIR/check.txt" "$T_DIR/err"; fail "--check on the demo fleet exited $rc, not 2"; }
[ "$(wc -l <"$T_DIR/check.txt")" -eq 1 ] || { cat "$T_DIR/check.txt"; fail "--check: expected one line"; }
has "$T_DIR/check.txt" "CRITICAL: 1 of 8 hosted clusters critical (team-a/etcd-degraded: Degraded: UnavailableReplicasOfTheEtcdStatefulSetForALongTime: $msg)"
has "$T_DIR/check.txt" ", 1 warning (team-a/blocked-minor: upgrade blocked by ClusterVersionUpgradeable)"
"$HCPTUI" --kubeconfig "$kc" -n prod --check >"$T_DIR/check.txt"
rc=$?
[ $rc -eq 0 ] || { cat "$T_DIR/check.txt"; fail "--check -n prod exited $rc, not 0"; }
has "$T_DIR/check.txt" "OK: 2 hosted clusters, all healthy"
# no longer degraded: the blocked upgrade and etcd one failure from loss are warnings (1)
k -n team-a patch hostedcluster etcd-degraded --subresource=status --type=merge -p '{"status":{"conditions":[
    {"type":"Available","status":"True","reason":"AsExpected","lastTransitionTime":"2026-11-25T14:00:00Z"},
    {"type":"Degraded","status":"False","reason":"AsExpected","lastTransitionTime":"2026-11-25T14:00:00Z"}]}}' \
    >"$T_DIR/k.log" 2>&1 || { cat "$T_DIR/k.log"; fail "kubectl patch failed"; }
"$HCPTUI" --kubeconfig "$kc" -n team-a --check >"$T_DIR/check.txt"
rc=$?
[ $rc -eq 1 ] || { cat "$T_DIR/check.txt"; fail "--check -n team-a exited $rc, not 1"; }
has "$T_DIR/check.txt" "WARNING: 2 of 3 hosted clusters with warnings (team-a/blocked-minor: upgrade blocked by ClusterVersionUpgradeable; team-a/etcd-degraded: etcd 2/3 healthy: quorum held, one failure from loss)"

# a bad credential: 2 (and UNKNOWN, 3, for --check)
sed 's/^\( *token:\).*/\1 not-a-valid-token/' "$kc" >"$T_DIR/badtoken"
"$HCPTUI" --kubeconfig "$T_DIR/badtoken" --context hcpsim-token --once >"$T_DIR/out" 2>"$T_DIR/err"
rc=$?
[ $rc -eq 2 ] || { cat "$T_DIR/err"; fail "a rejected token exited $rc, not 2"; }
grep -qi "unauthorized\|401" "$T_DIR/err" || { cat "$T_DIR/err"; fail "the rejected token is not said"; }
"$HCPTUI" --kubeconfig "$T_DIR/badtoken" --context hcpsim-token --check >"$T_DIR/out" 2>&1
[ $? -eq 3 ] || fail "--check with a rejected token must exit 3"
grep -q "^UNKNOWN: " "$T_DIR/out" || { cat "$T_DIR/out"; fail "--check: no UNKNOWN line"; }

# the console: SIGTERM exits 143, SIGHUP 129, a SIGINT sent by kill 130 (128 + the signal, as a
# shell reports it); C-c typed in it is the keymap's quit key, 0 as q is
t_start 120 30
t_wait "Hosted clusters"
t_keys C-c
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "C-c typed in the console exited $T_EXIT, not 0"
t_stop
for sig in TERM:143 HUP:129 INT:130; do
    t_start 120 30
    t_wait "Hosted clusters"
    pane=$(tmux -L "$T_SOCK" display-message -p '#{pane_pid}')
    pid=$(pgrep -P "$pane" -x hcptui)
    [ -n "$pid" ] || fail "the console's process was not found"
    kill -"${sig%%:*}" "$pid"
    t_wait_exit
    [ "$T_EXIT" = "${sig##*:}" ] || fail "SIG${sig%%:*} of the console exited $T_EXIT, not ${sig##*:}"
    t_stop
done

# transient faults: 503s (and 429s with Retry-After) among the lists are retried, not fatal
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""; rm -f "$kc"
t_sim_start --faults "error=503@0.3,error=429@0.1:retry-after=1,only=GET" --request-log "$T_DIR/requests.log"
for i in 1 2 3; do
    once >"$T_DIR/faulty.txt" 2>"$T_DIR/err" || { cat "$T_DIR/err"; fail "--once did not survive transient faults (run $i)"; }
    [ "$(grep -c . "$T_DIR/faulty.txt")" -eq 9 ] || { cat "$T_DIR/faulty.txt"; fail "--once under faults: not 8 clusters"; }
done
once --check >"$T_DIR/check.txt"
[ $? -eq 2 ] || { cat "$T_DIR/check.txt"; fail "--check under transient faults did not judge the fleet"; }
grep -q " 503 " "$T_DIR/requests.log" || fail "no 503 was injected: the test proved nothing"

# a lasting failure fails within --timeout, in words: 1, and UNKNOWN (3) for --check
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""; rm -f "$kc"
t_sim_start --faults "error=503@1"
start=$(date +%s)
once --timeout 3 >"$T_DIR/out" 2>"$T_DIR/err"
rc=$?
[ $rc -eq 1 ] || { cat "$T_DIR/err"; fail "a lasting 503 exited $rc, not 1"; }
[ $(( $(date +%s) - start )) -le 10 ] || fail "--timeout 3 took longer than 10 s"
has "$T_DIR/err" "still failing after"
has "$T_DIR/err" "server error 503"
once --check --timeout 2 >"$T_DIR/out" 2>&1
[ $? -eq 3 ] || { cat "$T_DIR/out"; fail "--check with a lasting 503 must exit 3"; }
has "$T_DIR/out" "UNKNOWN: cannot read from"
echo "tui_once_scripts: ok"
