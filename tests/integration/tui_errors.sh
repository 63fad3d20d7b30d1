#!/bin/sh
# Errors in words: a kind the server refuses shows its error in the pane it affects (the others
# stay live); when the cluster goes away, the last good data stays on screen, marked stale.
set -u
. "$(dirname "$0")/tui/lib.sh"

# Startup shows the screen before the first list completes: each pane says it is loading.
t_sim_start --faults 'latency=2s,path=/apis/hypershift.openshift.io/v1beta1/hostedclusters*'
t_start 120 30
t_wait "loading"
t_expect "[1 Hosted clusters]"
t_expect "HC loading"
t_wait "etcd-degraded"
t_wait_gone "loading"
t_keys q
t_wait_exit
t_stop
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
rm -f "$T_DIR/kubeconfig"

t_sim_start --faults 'error=503@1,path=/apis/hypershift.openshift.io/v1beta1/nodepools*'
t_start 120 30
t_wait "etcd-degraded"          # hosted clusters load fine
t_keys 2
t_wait "[2 Node pools]"
t_wait "503"                    # the node pools pane says why it is empty
t_expect_not "prod-east-gpu"
t_screen | head -n 1 | grep -q "NP " || fail "the header does not name the failing kind"
t_keys 1
t_wait "[1 Hosted clusters]"
t_expect "etcd-degraded"
t_keys q
t_wait_exit
t_stop
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
rm -f "$T_DIR/kubeconfig"

# The cluster disappears: rows stay, marked stale, with the reason in words.
t_sim_start
t_start 120 30
t_wait "etcd-degraded"
dimmed() {
    tmux -L "$T_SOCK" capture-pane -p -e | grep "etcd-degraded" >"$T_DIR/stale-row"
    LC_ALL=C grep -aqE "$(printf '\033')\[([0-9;]*;)?2(;[0-9;]*)?m" "$T_DIR/stale-row"
}
t_wait "live"
dimmed && fail "rows are dimmed while the data is live"
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
t_wait "stale" 20
t_expect "etcd-degraded"        # the last good data is still there
i=0
until dimmed; do
    i=$((i + 1)); [ $i -gt 50 ] && fail "stale rows are not dimmed"
    sleep 0.1
done
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
echo "tui_errors: ok"
