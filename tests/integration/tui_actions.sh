#!/bin/sh
# The operations end to end, driven through the terminal and read back with kubectl: pause and
# resume (with a duration), scale to zero and back, a forced minor upgrade, a channel, an etcd member
# recovery; a 409 between dialog and confirm, a 500, a 403 (the read-only identity) and --read-only,
# each ending in words with nothing half-sent unsaid; and the audit log's lines.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start --readonly-kubeconfig "$T_DIR/ro" --request-log "$T_DIR/requests"
K="kubectl --kubeconfig $T_DIR/kubeconfig"
export HOME="$T_DIR/home" # kubectl's cache stays here
mkdir -p "$HOME"
STATE="$T_DIR/state"
t_start 160 48 "XDG_STATE_HOME=$STATE" --
t_wait "etcd-degraded"
t_wait "live"

# select ROW: filter the pane to one row (by its name) so the action acts on it
select_row() {
    t_keys Escape; sleep 0.2
    t_keys "/$1" Enter
    t_wait "filter: $1"
    t_keys g # the first row (the selection keeps its place across a filter)
}

# the admin may do everything: `?` says nothing is refused
sleep 1
t_keys "?"
t_wait "cluster.pause"
t_expect_not "not permitted"
t_keys x

# ---- pause until removed, read back -----------------------------------------------------------
select_row prod-east
t_keys p
t_wait "Pause reconciliation of prod/prod-east until resumed"
t_wait "Server: accepted by the server (dry run)"
t_expect "PATCH /apis/hypershift.openshift.io/v1beta1/namespaces/prod/hostedclusters/prod-east"
t_expect "Content-Type: application/merge-patch+json"
t_expect "oc patch hostedcluster/prod-east -n prod --type=merge -p '{\"spec\":{\"pausedUntil\":\"true\"}}'"
[ -z "$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')" ] || fail "the dry run changed the cluster"
t_keys y
t_wait "sent (1 call): Pause reconciliation of prod/prod-east"
[ "$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')" = "true" ] || fail "prod-east is not paused"
t_wait "sent (1 call): Pause reconciliation of prod/prod-east until resumed; seen in the watch"
t_wait "until removed" # the pane follows: the pause badge

# ---- resume, then pause for 2h (an absolute time in the body) ------------------------------------
t_keys P
t_wait "Resume reconciliation of prod/prod-east"
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (1 call): Resume"
[ -z "$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')" ] || fail "prod-east is still paused"
t_keys : "pause 2h" Enter
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (1 call)"
until=$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')
echo "$until" | grep -qE '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$' ||
    fail "pause 2h sent \"$until\", not an RFC 3339 time"
t_keys : "resume" Enter
t_wait "accepted by the server (dry run)"
t_keys Enter
t_wait "sent (1 call): Resume"

# ---- a time in the past is refused in words, nothing opens --------------------------------------
t_keys : "pause 2001-01-01T00:00:00Z" Enter
t_wait "is not in the future"

# ---- a 409: the object changes between the dialog and the confirm -------------------------------
t_keys p
t_wait "accepted by the server (dry run)"
$K annotate hc prod-east -n prod hcptui-test/changed=yes >/dev/null || fail "kubectl annotate"
t_keys y
t_wait "The object changed since the dialog opened" 10
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (1 call)"
[ "$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')" = "true" ] || fail "the pause after the 409"
[ "$($K get hc prod-east -n prod -o jsonpath='{.metadata.annotations.hcptui-test/changed}')" = "yes" ] ||
    fail "the other change was lost"
t_keys P; t_wait "accepted by the server (dry run)"; t_keys y; t_wait "sent (1 call): Resume"

# ---- a 500 on the send: said in words, nothing else happens -------------------------------------
sim_ctl() {
    url=$(sed -n 's/^    server: //p' "$T_DIR/kubeconfig" | head -n 1)
    sed -n 's/^    certificate-authority-data: //p' "$T_DIR/kubeconfig" | head -n 1 | base64 -d >"$T_DIR/ca.pem"
    sed -n 's/^    client-certificate-data: //p' "$T_DIR/kubeconfig" | head -n 1 | base64 -d >"$T_DIR/cert.pem"
    sed -n 's/^    client-key-data: //p' "$T_DIR/kubeconfig" | head -n 1 | base64 -d >"$T_DIR/key.pem"
    curl -sS --cacert "$T_DIR/ca.pem" --cert "$T_DIR/cert.pem" --key "$T_DIR/key.pem" -X PUT --data-binary "$1" \
        "$url/hcpsim/v1/faults" >/dev/null || fail "faults: $1"
}
t_keys p
t_wait "accepted by the server (dry run)"
sim_ctl "error=500@1,only=PATCH"
t_keys y
t_wait "Server: server error 500" 10
sim_ctl ""
[ -z "$($K get hc prod-east -n prod -o jsonpath='{.spec.pausedUntil}')" ] || fail "the 500 changed the cluster"
t_keys Escape
t_wait "cancelled: nothing was sent"

# ---- scale a pool to zero (type its name) and back ----------------------------------------------
t_keys 2
select_row prod-east-us-east-1a
t_keys z
t_wait "Scale prod/prod-east-us-east-1a to 0 replicas"
t_wait "Type prod-east-us-east-1a and press Enter"
t_expect "PUT /apis/hypershift.openshift.io/v1beta1/namespaces/prod/nodepools/prod-east-us-east-1a/scale"
t_keys y Enter # a letter is typed, not a yes: the name does not match
t_wait "type prod-east-us-east-1a exactly"
t_keys prod-east-us-east-1a Enter
t_wait "sent (2 calls): Scale prod/prod-east-us-east-1a to 0 replicas"
[ "$($K get np prod-east-us-east-1a -n prod -o jsonpath='{.spec.replicas}')" = "0" ] || fail "not scaled to 0"
[ "$($K get np prod-east-us-east-1a -n prod -o jsonpath='{.metadata.annotations.hcptui\.io/replicas-before-scale-to-zero}')" = "3" ] ||
    fail "the count was not remembered on the pool"
t_keys Z
t_wait "Scale prod/prod-east-us-east-1a back to the remembered count"
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (2 calls)"
[ "$($K get np prod-east-us-east-1a -n prod -o jsonpath='{.spec.replicas}')" = "3" ] || fail "not scaled back to 3"
[ -z "$($K get np prod-east-us-east-1a -n prod -o jsonpath='{.metadata.annotations.hcptui\.io/replicas-before-scale-to-zero}')" ] ||
    fail "the remembered count is still there"

# ---- marks: two pools scaled to zero in one dialog (one word to type for both) ----------------
select_row prod-west-us-west-2
t_keys m m # marks the row and moves on: both prod-west pools
t_wait "2 marked"
t_keys z
t_wait "Scale 2 node pools to 0 replicas"
t_wait "Type scale-to-zero and press Enter"
t_keys scale-to-zero Enter
t_wait "sent (4 calls): Scale 2 node pools to 0 replicas"
for np in prod-west-us-west-2a prod-west-us-west-2b; do
    [ "$($K get np $np -n prod -o jsonpath='{.spec.replicas}')" = "0" ] || fail "$np not scaled to 0"
done
t_keys Z
t_wait "Scale 2 node pools back to the remembered count"
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (4 calls)"
[ "$($K get np prod-west-us-west-2b -n prod -o jsonpath='{.spec.replicas}')" = "4" ] || fail "prod-west-us-west-2b not back to 4"
t_keys M
t_wait "marks cleared"

# ---- a node pool upgrade: to its control plane's release, with a drain timeout; never ahead of it
select_row upgrade-demo-us-east-1b
t_keys : "upgrade 4.16.8 5m" Enter
t_wait "Upgrade node pool clusters/upgrade-demo-us-east-1b to 4.16.8"
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (1 call)"
img=$($K get np upgrade-demo-us-east-1b -n clusters -o jsonpath='{.spec.release.image}')
[ "$img" = "$($K get hc upgrade-demo -n clusters -o jsonpath='{.spec.release.image}')" ] || fail "pool image $img"
[ "$($K get np upgrade-demo-us-east-1b -n clusters -o jsonpath='{.spec.nodeDrainTimeout}')" = "5m" ] || fail "drain"
select_row upgrade-demo-us-east-1a
t_keys : "upgrade quay.io/openshift-release-dev/ocp-release:4.17.9-multi" Enter
t_wait "is newer than the control plane's 4.16"

# ---- a minor upgrade behind ClusterVersionUpgradeable=False, forced ----------------------------
t_keys 1
select_row prod-west
t_keys u # a picker of its updates, the conditional ones with their risks
t_wait "Upgrade the control plane of prod/prod-west (now 4.16.8) to"
t_expect "4.17.5  NOT RECOMMENDED (2 risks)"
t_expect "risk IngressCertificateRotation"
t_keys Escape
t_wait "cancelled: nothing was sent"
t_keys : "upgrade 4.17.12" Enter
t_wait "Upgrade the control plane of prod/prod-west to 4.17.12"
t_wait "accepted by the server (dry run)"
t_keys f
t_wait "(forced)"
t_wait "accepted by the server (dry run)"
t_expect "oc annotate hostedcluster/prod-west -n prod hypershift.openshift.io/force-upgrade-to="
t_keys y
t_wait "sent (2 calls)"
sleep 0.5
img=$($K get hc prod-west -n prod -o jsonpath='{.spec.release.image}')
ann=$($K get hc prod-west -n prod -o jsonpath='{.metadata.annotations.hypershift\.openshift\.io/force-upgrade-to}')
[ -n "$img" ] && [ "$img" = "$ann" ] || fail "force-upgrade-to \"$ann\" is not the image \"$img\""
want=$($K get hc prod-west -n prod -o jsonpath='{.status.version.availableUpdates[?(@.version=="4.17.12")].image}')
[ -n "$want" ] && [ "$img" = "$want" ] || fail "the image $img is not 4.17.12's ($want)"
t_keys w # cluster.why says the annotation is there, and that it matches
t_wait "prod/prod-west: healthy (OK); force-upgrade-to matches the desired image (quay.io/"

# ---- the channel --------------------------------------------------------------------------------
select_row prod-east
t_keys C # a picker of its minor's channels (4.17: no EUS)
t_wait "The update channel of prod/prod-east (now fast-4.17)"
t_expect "fast-4.17  (now)"
t_expect_not "eus-4.17"
t_keys Down Down
t_keys Enter
t_wait "Set the update channel of prod/prod-east to candidate-4.17"
t_wait "accepted by the server (dry run)"
t_keys y
t_wait "sent (1 call)"
[ "$($K get hc prod-east -n prod -o jsonpath='{.spec.channel}')" = "candidate-4.17" ] || fail "channel"
t_keys : "channel eus-4.17" Enter
t_wait "EUS channels exist only for even minors"

# ---- recover the crash-looping etcd member (type its name) ------------------------------------
t_keys 3
select_row CrashLoopBackOff # team-a-etcd-degraded's etcd-1, the only one
t_keys j # past the control plane's heading row
t_keys x
t_wait "Recover etcd member team-a-etcd-degraded/etcd-1"
t_wait "Type etcd-1 and press Enter"
t_keys etcd-1 Enter
t_wait "sent (2 calls)"
t_wait "Recover etcd member team-a-etcd-degraded/etcd-1 (delete its data and pod); seen in the watch"
pvc=$($K get pvc data-etcd-1 -n team-a-etcd-degraded -o jsonpath='{.metadata.deletionTimestamp}' 2>/dev/null)
[ -n "$pvc" ] || ! $K get pvc data-etcd-1 -n team-a-etcd-degraded >/dev/null 2>&1 ||
    fail "the PVC is neither terminating nor gone"
select_row etcd-0 # the first: team-a-etcd-degraded's, healthy
t_keys j
t_keys x
t_wait "is healthy: there is nothing to recover"

# ---- the audit log: every call, dry runs marked --------------------------------------------------
log="$STATE/hcptui/audit.log"
[ -f "$log" ] || fail "no audit log"
[ "$(stat -c %a "$log")" = "600" ] || fail "the audit log is $(stat -c %a "$log")"
grep -q '"dryRun":true,"method":"PATCH","path":"/apis/hypershift.openshift.io/v1beta1/namespaces/prod/hostedclusters/prod-east?dryRun=All"' "$log" ||
    fail "no dry-run line"
grep -q '"dryRun":false,"method":"DELETE","path":"/api/v1/namespaces/team-a-etcd-degraded/pods/etcd-1"' "$log" ||
    fail "no line for the pod's delete"
grep -q '"status":409' "$log" || fail "the 409 is not in the audit log"
grep -q '"status":500' "$log" || fail "the 500 is not in the audit log"
grep -qiE 'token|password|BEGIN .*PRIVATE' "$log" && fail "credentials in the audit log"
t_keys q
t_wait_exit

# ---- the read-only identity: permissions asked first (SelfSubjectAccessReview), refused before any
# dialog with the reason, and `?` says so; the server's own 403 (a dry run) in words too -------------
t_stop
tmux -L "$T_SOCK" -f /dev/null new-session -d -x 160 -y 48 \
    "env XDG_STATE_HOME='$STATE' LANG=C.UTF-8 '$HCPTUI' --kubeconfig '$T_DIR/ro' 2>'$T_DIR/stderr'; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
tmux -L "$T_SOCK" set-option -g status off >/dev/null
t_wait "etcd-degraded"
t_wait "live"
sleep 1 # the answers to the access reviews
t_wait "READ-ONLY (this identity may only read)"
select_row prod-east
t_keys p
t_wait "cluster.pause: not permitted: cannot patch hostedclusters in every namespace"
t_expect_not "Sends 1 call"
t_keys "?"
t_wait "[not permitted: cannot patch hostedclusters"
t_keys x
t_keys 3; t_keys x
t_wait "etcd.recover: not permitted: cannot delete pods"
t_keys q
t_wait_exit

# ---- --read-only: every action key and command refused before a dialog; only GETs leave ------
t_stop
cp "$T_DIR/requests" "$T_DIR/requests.before"
t_start 160 48 "XDG_STATE_HOME=$STATE" -- --read-only
t_wait "etcd-degraded"
t_wait "live"
ro_key() { # KEY COMMAND: the key is refused before any dialog, by the command's name
    t_keys "$1"; t_wait "$2 changes the cluster: refused in read-only mode"; t_keys "?"; sleep 0.2; t_keys x
}
ro_key p cluster.pause; ro_key P cluster.resume; ro_key u cluster.upgrade; ro_key C cluster.channel
t_keys 2; ro_key z nodepool.scale; ro_key Z nodepool.scale; ro_key u nodepool.upgrade
t_keys 3; ro_key x etcd.recover
t_keys 1
for c in "pause" "pause 2h" "resume" "scale 0" "scale back" "upgrade 4.17.9" "upgrade 4.17.9 --force" \
    "channel fast-4.17" "recover"; do
    t_keys "?"; sleep 0.2; t_keys x # (a fresh message line for each)
    t_keys : "$c" Enter
    t_wait "changes the cluster: refused in read-only mode"
done
t_keys q
t_wait_exit
new=$(tail -n +"$(($(wc -l <"$T_DIR/requests.before") + 1))" "$T_DIR/requests")
echo "$new" | grep -vE ' GET | POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews ' | grep -E ' (PATCH|PUT|POST|DELETE) ' &&
    fail "--read-only sent a mutating request"
echo "ok: the operations end to end"
