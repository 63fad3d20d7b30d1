#!/bin/sh
# --watch: the fleet in one line, then its problems worst first (critical, warning, paused); read-only
# whatever is typed; it follows a change live.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
K="kubectl --kubeconfig $T_DIR/kubeconfig"
export HOME="$T_DIR/home"
mkdir -p "$HOME"
t_start 140 30 -- --watch
t_wait "Fleet: 8 hosted clusters (1 critical, 1 warning, 2 paused), 12 node pools (0 with a problem)"
t_expect "READ-ONLY"
t_expect "[1 Fleet problems]"
t_screen >"$T_DIR/s"
order=$(grep -oE '(CRITICAL|WARNING|PAUSED) +HostedCluster +[a-z-]+ +[a-z-]+' "$T_DIR/s" | awk '{print $1 ":" $4}' | tr '\n' ' ')
[ "$order" = "CRITICAL:etcd-degraded WARNING:blocked-minor PAUSED:paused-until PAUSED:legacy-paused " ] ||
    fail "order: $order"
t_expect_not "prod-east" # healthy: not listed
t_keys : pause Enter
t_wait "refused in read-only mode"

# a change shows up by itself
$K patch hc prod-east -n prod --type=merge -p '{"spec":{"pausedUntil":"true"}}' >/dev/null || fail "kubectl patch"
t_wait "3 paused"
t_wait "prod-east"
t_keys q
t_wait_exit
echo "ok: watch"
