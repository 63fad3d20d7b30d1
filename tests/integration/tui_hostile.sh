#!/bin/sh
# Hostile cluster text end to end: a condition whose reason and message carry a clear-screen CSI,
# an OSC 52 clipboard write, a right-to-left override and a UTF-8 C1 CSI is patched into a hosted
# cluster's status; the console shows the harmless rest and never sends those bytes to the terminal
# (checked on the byte stream the terminal receives, via tmux pipe-pane).
set -u
. "$(dirname "$0")/tui/lib.sh"
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is not installed"; exit 1; }

t_sim_start
kubectl --kubeconfig "$T_DIR/kubeconfig" -n prod patch hostedcluster prod-east --subresource=status \
    --type=merge -p '{"status":{"conditions":[{"type":"Available","status":"True",
    "reason":"Evil\u001b[2JReason","lastTransitionTime":"2026-11-25T14:00:00Z",
    "message":"pwn\u001b]52;c;SGFja2Vk\u0007ed \u202eelif\u202c done\u00c2\u009b31m tail"}]}}' \
    >"$T_DIR/patch.log" 2>&1 || { cat "$T_DIR/patch.log"; fail "kubectl patch failed"; }

t_start 160 40
tmux -L "$T_SOCK" pipe-pane -o "cat >> '$T_DIR/bytes'"
t_wait "prod-east"
t_keys / p r o d - e a s t Enter
t_wait "filter: prod-east"
t_keys Enter
t_wait "[Conditions]"
t_wait "EvilReason"
t_expect "pwned"
t_expect_not "SGFja2Vk"
t_expect_not "[2J"
t_expect "elif"
t_keys Tab
t_wait "[YAML]"
t_wait "kind: HostedCluster"
t_keys q                        # q leaves a detail view
t_wait "[1 Hosted clusters]"
t_wait_gone "[YAML]"
t_keys C-c                      # Control-C quits cleanly (SIGINT restores the terminal)
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
sleep 0.3
LC_ALL=C grep -q "EvilReason" "$T_DIR/bytes" || fail "the byte stream was not captured (the checks would prove nothing)"
esc=$(printf '\033')
LC_ALL=C grep -q "${esc}]52" "$T_DIR/bytes" && fail "an OSC 52 sequence reached the terminal"
LC_ALL=C grep -q "SGFja2Vk" "$T_DIR/bytes" && fail "the clipboard payload reached the terminal"
LC_ALL=C grep -q "$(printf '\342\200\256')" "$T_DIR/bytes" && fail "a right-to-left override reached the terminal"
LC_ALL=C grep -q "$(printf '\302\233')" "$T_DIR/bytes" && fail "a C1 CSI reached the terminal"
echo "tui_hostile: ok"
