#!/bin/sh
# A console left running picks up a rewritten kubeconfig by itself: the server restarts with a new CA
# on a new port and writes its kubeconfig anew; the console, stale meanwhile, reconnects to it with
# no key pressed.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
t_start 120 30
t_wait "etcd-degraded"
t_wait "live"
old=$(sed -n 's/^    server: //p' "$T_DIR/kubeconfig" | head -n 1)
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
t_wait "stale" 40
rm -f "$T_DIR/kubeconfig"
t_sim_start # a new CA, a new port, the kubeconfig rewritten
new=$(sed -n 's/^    server: //p' "$T_DIR/kubeconfig" | head -n 1)
[ "$old" != "$new" ] || fail "the simulator came back on the same address"
t_wait "the kubeconfig changed on disk: reconnected to hcpsim" 20
t_wait "live" 20
t_expect "$new"
t_keys q
t_wait_exit
echo "ok: reload"
