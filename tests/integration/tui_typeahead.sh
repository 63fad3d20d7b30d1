#!/bin/sh
# Typed-ahead keys behave as if typed slowly: each key sees the state the previous key left, also
# when they arrive in one read (a pane opened for the first time has its rows before the next key).
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
t_start 120 30
t_wait "etcd-degraded"
t_wait "live"
detail_object() { t_screen | grep -oE "NodePool [^ ]+" | head -n 1; }

# One write: open the node pools pane (never shown yet), two rows down, open the details.
t_keys 2jj Enter
t_wait "[Conditions]" 5
t_expect_not "no object selected"
typed=$(detail_object)
[ -n "$typed" ] || fail "the typed-ahead Enter opened no node pool"
t_keys Escape
t_wait "[2 Node pools]"

# The same walk, slowly: the same node pool.
t_keys g; sleep 0.3; t_keys j; sleep 0.3; t_keys j; sleep 0.3; t_keys Enter
t_wait "[Conditions]" 5
slow=$(detail_object)
[ "$typed" = "$slow" ] || fail "typed ahead: '$typed', typed slowly: '$slow'"
t_keys Escape
t_wait "[2 Node pools]"

# A pane and a filter in one write: the filter lands on the new pane.
t_keys 3/etcd-0 Enter
t_wait "filter: etcd-0"
t_expect "[3 etcd]"
t_keys Escape
t_wait_gone "filter:"
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
t_stop
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
rm -f "$T_DIR/kubeconfig"

# Keys typed while the pane they go to is still loading wait for its rows (as a typist would):
# the node pools answer 2 s late; the same keys open the same node pool.
t_sim_start --faults 'latency=2s,path=/apis/hypershift.openshift.io/v1beta1/nodepools*'
t_start 120 30
t_wait "etcd-degraded"
t_expect "NP loading"
# what does not act on rows (a pane switch, help) does not wait
t_keys 2 ?
t_wait "Keys of Node pools" 1
t_expect "NP loading"
t_keys Escape
sleep 0.2
t_keys jj Enter
t_wait "[Conditions]" 8
loaded=$(detail_object)
[ "$loaded" = "$typed" ] || fail "typed while loading: '$loaded', typed when loaded: '$typed'"
t_keys Escape
t_wait "[2 Node pools]"
# quitting never waits
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
echo "tui_typeahead: ok"
