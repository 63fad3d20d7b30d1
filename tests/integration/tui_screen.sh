#!/bin/sh
# Screen test: the console against `hcpsim --fleet demo` in tmux. Start (header, the four panes,
# demo clusters and their states in words), switch panes (Tab, Shift-Tab, 1-4), filter (/ text and
# ! negation), sort, the detail views (conditions, YAML with search, events, history), scope, help,
# the command line, and quit.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
t_start 160 48 -- --read-only

# Start: header, pane names, demo clusters with states as words, the read-only badge.
t_wait "etcd-degraded"
t_expect "hcptui"
t_expect "ctx hcpsim"
t_expect "https://127.0.0.1:"
t_expect "READ-ONLY"
for p in "Hosted clusters" "Node pools" "etcd" "Update channels"; do t_expect "$p"; done
for c in dev-single paused-until upgrade-demo prod-east prod-west blocked-minor legacy-paused; do t_expect "$c"; done
t_expect "Partial"           # the upgrade in flight, in words
t_expect "until removed"     # a paused cluster says so
t_wait "2/3 !"               # etcd quorum badge of the degraded cluster (once the etcd pods are listed)
t_wait "live"
t_expect "? help"            # the hint bar comes from the keymap

# Panes: number keys, Tab and Shift-Tab.
t_keys 2; t_wait "[2 Node pools]"; t_expect "prod-east-gpu"; t_expect "UPD-VERSION"
t_keys 3; t_wait "[3 etcd]"; t_expect "quorum held, one failure from loss"; t_expect "CrashLoopBackOff"
t_keys 4; t_wait "[4 Update channels]"; t_expect "stable-4.17"; t_expect "OVNInterConnectRouteLeak"
t_keys Tab; t_wait "[1 Hosted clusters]"
t_keys BTab; t_wait "[4 Update channels]"
t_keys 1; t_wait "[1 Hosted clusters]"

# Filter: substring, then negation, then Esc clears.
t_keys / p r o d Enter
t_wait "filter: prod"
t_wait_gone "dev-single  "
t_expect "prod-east"
t_expect "2/8"
t_keys / ! p r o d Enter # the filter there is selected: typing replaces it
t_wait "filter: !prod"
t_wait_gone "prod-east"
t_expect "dev-single"
t_keys Escape
t_wait "prod-east"
t_wait_gone "filter:"

# Sort: s cycles through the columns; the header shows the arrow and the message says it.
t_keys s
t_wait "sort: NAMESPACE ascending"
t_keys s
t_wait "sort: NAME ascending"
t_keys r
t_wait "sort: NAME descending"
# descending by name: legacy-paused comes before blocked-minor
t_screen | awk '/legacy-paused/ { l = NR } /blocked-minor/ { b = NR } END { exit !(l && b && l < b) }' ||
    fail "rows are not sorted by name, descending"

# Detail views of the selected cluster: g jumps to the first row (upgrade-demo when descending).
t_keys g
t_keys Enter
t_wait "[Conditions]"
t_expect "HostedCluster"
t_expect "Available"
t_keys Tab; t_wait "[YAML]"
t_wait "apiVersion: hypershift.openshift.io/v1beta1"
t_expect "kind: HostedCluster"
# search scrolls to a line far below the first page (status.version comes last)
t_keys / a v a i l a b l e U p d a t e s Enter
t_wait "availableUpdates:"
t_wait_gone "apiVersion: hypershift.openshift.io/v1beta1"
t_keys Tab; t_wait "[Events]"
t_keys Tab; t_wait "[Version history]"
t_wait "Completed"
t_keys Tab; t_wait "[Update risks]"
t_wait "OVNInterConnectRouteLeak"     # each risk: name, message and URL
t_expect "https://issues.redhat.com/"
t_keys Escape
t_wait "[1 Hosted clusters]"
t_wait_gone "[Version history]"

# Scope: c scopes the panes to the selected cluster, 0 clears it.
t_keys c
t_wait "cluster "
t_keys 2
t_wait "[2 Node pools]"
t_wait "upgrade-demo-us-east-1a"
t_wait_gone "prod-east-gpu"
t_expect "cluster clusters/upgrade-demo"
# a node pool's details, and an etcd member's (the first row of the etcd pane heads its block)
t_keys Enter
t_wait "NodePool clusters/upgrade-demo-us-east-1"
t_expect "UpdatingVersion"
t_keys Escape
t_wait "[2 Node pools]"
t_keys 3
t_wait "[3 etcd]"
t_wait "clusters/upgrade-demo — 3/3 healthy (clusters-upgrade-demo)"
t_keys j
t_keys Enter
t_wait "Pod clusters-upgrade-demo/etcd-"
t_keys y
t_wait "kind: Pod"
t_keys Escape
t_wait "[3 etcd]"
t_keys 2
t_wait "[2 Node pools]"
t_keys 0
t_wait "scope cleared"
t_wait "prod-east-gpu"

# Help from the active keymap, and the command line.
t_keys '?'
t_wait "Keys of"
t_expect "cursor.down"
t_expect "view.next"
t_keys Escape
t_wait_gone "Keys of"
t_keys : e t c d Enter
t_wait "[3 etcd]"
t_keys : n p Enter
t_wait "[2 Node pools]"
t_keys : f r o b Enter
t_wait "unknown command"
t_keys : e t c Tab
t_wait ":etcd"
t_keys Enter
t_wait "[3 etcd]"
t_keys 4
t_wait "[4 Update channels]"

# :ctx switches context (Tab completes the kubeconfig's contexts) and re-opens the connection.
t_keys : c t x Space h c p s i m - t Tab
t_wait ":ctx hcpsim-token"
t_keys Enter
t_wait "context: hcpsim-token"
t_wait "ctx hcpsim-token"
t_keys 1
t_wait "etcd-degraded"

# :ns scopes to a namespace, :ns all shows every one again.
t_keys : n s Space p r o d Enter
t_wait "ns prod"
t_wait_gone "dev-single"
t_expect "prod-west"
t_keys : n s Space a l l Enter
t_wait "ns all"
t_wait "dev-single"

# Quit: the process exits 0 and the terminal is restored.
t_keys : q Enter
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
echo "tui_screen: ok"
