#!/bin/sh
# --once: each pane as plain text from `hcpsim --fleet demo` (no escape sequences, laid out for
# --width), and the exit status when the kubeconfig is wrong (2) or the cluster is gone (1).
# tui_once_scripts.sh covers piped output, -o, --check, faults and signals.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
kc="$T_DIR/kubeconfig"
once() { LANG=C.UTF-8 LC_ALL=C.UTF-8 "$HCPTUI" --kubeconfig "$kc" --once "$@"; }
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "--once: \"$2\" missing"; }; }

ESC=$(printf '\033')
for pane in clusters nodepools etcd updates; do
    once --width 200 --pane "$pane" >"$T_DIR/$pane.txt" 2>"$T_DIR/$pane.err" || fail "--once --pane $pane failed"
    [ -s "$T_DIR/$pane.err" ] && { cat "$T_DIR/$pane.err"; fail "--once --pane $pane wrote to stderr"; }
    LC_ALL=C grep -q "$ESC" "$T_DIR/$pane.txt" && fail "--once --pane $pane printed an escape sequence"
    widest=$(LC_ALL=C.UTF-8 wc -L <"$T_DIR/$pane.txt")
    [ "$widest" -le 200 ] || fail "--once --pane $pane: a $widest-column line for --width 200"
done
has "$T_DIR/clusters.txt" "NAMESPACE"
has "$T_DIR/clusters.txt" "etcd-degraded"
has "$T_DIR/clusters.txt" "Partial"
has "$T_DIR/clusters.txt" "until removed"
[ "$(grep -c . "$T_DIR/clusters.txt")" -eq 9 ] || fail "--once: expected a header and 8 clusters"
has "$T_DIR/nodepools.txt" "prod-east-gpu"
has "$T_DIR/nodepools.txt" "CLUSTER"
has "$T_DIR/etcd.txt" "quorum held, one failure from loss"
has "$T_DIR/etcd.txt" "CrashLoopBackOff"
has "$T_DIR/updates.txt" "stable-4.17"
has "$T_DIR/updates.txt" "OVNInterConnectRouteLeak"

# the default pane is clusters; -n scopes to a namespace; --ascii prints only ASCII
once >"$T_DIR/default.txt" || fail "--once failed"
# ages and "time left" move between the two runs: compare the header and the identity columns only
same_pane() { awk '{print $1, $2, $3}' "$1" >"$1.ids"; awk '{print $1, $2, $3}' "$2" >"$2.ids"; cmp -s "$1.ids" "$2.ids"; }
same_pane "$T_DIR/default.txt" "$T_DIR/clusters.txt" || {
    diff "$T_DIR/clusters.txt" "$T_DIR/default.txt"; fail "--once without --pane is not the clusters pane"; }
once -n prod >"$T_DIR/prod.txt" || fail "--once -n prod failed"
has "$T_DIR/prod.txt" "prod-east"
grep -q "dev-single" "$T_DIR/prod.txt" && fail "-n prod shows another namespace"
once --ascii --pane clusters >"$T_DIR/ascii.txt" || fail "--once --ascii failed"
LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T_DIR/ascii.txt" && fail "--once --ascii printed non-ASCII bytes"
has "$T_DIR/ascii.txt" "|| until removed"

# a narrow --width drops columns instead of wrapping
once --width 80 >"$T_DIR/narrow.txt" || fail "--once --width 80 failed"
widest=$(LC_ALL=C.UTF-8 wc -L <"$T_DIR/narrow.txt")
[ "$widest" -le 80 ] || fail "--width 80: a $widest-column line"
has "$T_DIR/narrow.txt" "etcd-degraded"

# kubeconfig problems: one line, status 2
"$HCPTUI" --kubeconfig "$T_DIR/missing" --once >"$T_DIR/out" 2>"$T_DIR/err"
[ $? -eq 2 ] || fail "a missing kubeconfig must exit 2"
[ "$(wc -l <"$T_DIR/err")" -eq 1 ] || { cat "$T_DIR/err"; fail "expected one line on stderr"; }
"$HCPTUI" --kubeconfig "$kc" --context nope --once >"$T_DIR/out" 2>"$T_DIR/err"
[ $? -eq 2 ] || fail "an unknown context must exit 2"
grep -q 'context "nope" not found' "$T_DIR/err" || { cat "$T_DIR/err"; fail "unclear context error"; }
"$HCPTUI" --frobnicate >"$T_DIR/out" 2>"$T_DIR/err"
[ $? -eq 2 ] || fail "an unknown option must exit 2"
"$HCPTUI" --help | grep -q -- "--once" || fail "--help does not list --once"
"$HCPTUI" --version | grep -q "^hcptui " || fail "--version"

# insecure-skip-tls-verify: the table still prints, and stderr carries the console's warning
sed 's/^\( *\)certificate-authority-data:.*/\1insecure-skip-tls-verify: true/' "$kc" >"$T_DIR/insecure"
grep -q "insecure-skip-tls-verify: true" "$T_DIR/insecure" || fail "could not write the insecure kubeconfig"
LANG=C.UTF-8 LC_ALL=C.UTF-8 "$HCPTUI" --kubeconfig "$T_DIR/insecure" --once >"$T_DIR/insecure.txt" 2>"$T_DIR/insecure.err" ||
    { cat "$T_DIR/insecure.err"; fail "--once with insecure-skip-tls-verify failed"; }
has "$T_DIR/insecure.txt" "etcd-degraded"
has "$T_DIR/insecure.err" "warning: TLS verification disabled (insecure-skip-tls-verify)"
[ "$(wc -l <"$T_DIR/insecure.err")" -eq 1 ] || { cat "$T_DIR/insecure.err"; fail "expected one warning line"; }

# the cluster is gone: status 1 with a clear message
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
"$HCPTUI" --kubeconfig "$kc" --once >"$T_DIR/out" 2>"$T_DIR/err"
[ $? -eq 1 ] || fail "an unreachable cluster must exit 1"
grep -q "cannot" "$T_DIR/err" || { cat "$T_DIR/err"; fail "unclear unreachable error"; }
echo "tui_once: ok"
