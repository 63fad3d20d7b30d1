#!/bin/sh
# Screen test: resizing (160x48 -> 80x24 -> back, and below 80x24), NO_COLOR, TERM=vt100 with
# --ascii (no UTF-8 byte on the screen), and a narrow terminal dropping columns instead of wrapping.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start

# t_expect_clean LABEL: what a resize left on the screen equals a full repaint (C-l) of the same
# size, so no stale cell of the earlier size survived (tmux clips lines, so width checks alone
# cannot see leftovers).
t_expect_clean() {
    sleep 0.5
    t_screen >"$T_DIR/before-redraw"
    t_keys C-l
    sleep 0.5
    t_screen >"$T_DIR/after-redraw"
    cmp -s "$T_DIR/before-redraw" "$T_DIR/after-redraw" ||
        { diff "$T_DIR/before-redraw" "$T_DIR/after-redraw" | head -20; fail "leftovers after the resize ($1)"; }
}

# ---- resize -------------------------------------------------------------------------------------
t_start 160 48
t_wait "etcd-degraded"
t_wait "POLICY"                   # wide: the columns a narrow screen drops (once every kind has loaded)
t_wait "Node pools of"            # wide: clusters above the node pools of the selected cluster
t_expect_fits 160 48
t_resize 80 24
t_wait_gone "Node pools of"
t_wait "[1 Hosted clusters]"
t_expect_fits 80 24
t_expect "hcptui"
t_expect "etcd-degraded"
t_expect_not "POLICY"             # dropped on a narrow terminal, not wrapped
t_expect_clean "160x48 to 80x24"
t_screen | head -n 1 | grep -q "hcptui" || fail "the header is not on the first line"
t_screen | tail -n 2 | grep -q "help" || fail "the hint bar is not at the bottom"
t_resize 70 20
t_wait "terminal too small"
t_expect "80x24"
t_resize 160 48
t_wait "Node pools of"
t_wait_gone "terminal too small"
t_expect "POLICY"
t_expect_fits 160 48
t_expect_clean "back to 160x48"
# quickly through several sizes: the last one wins, with nothing left over
t_resize 100 30; t_resize 120 40; t_resize 90 26
t_wait "[1 Hosted clusters]"
sleep 0.5
t_expect_fits 90 26
t_expect "etcd-degraded"
t_expect_clean "several sizes"
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
t_stop

# ---- NO_COLOR: no colour attribute, but the meaning stays (symbols and words) ---------------------
t_start 120 30 NO_COLOR=1
t_wait "etcd-degraded"
tmux -L "$T_SOCK" capture-pane -p -e >"$T_DIR/sgr"
# SGR colour parameters: 30-37, 38;5;N, 40-47, 48;5;N, 90-97, 100-107
if LC_ALL=C grep -aE "$(printf '\033')\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$T_DIR/sgr" >/dev/null; then
    fail "NO_COLOR: colour sequences on the screen"
fi
t_expect "✖"                      # the failing cluster keeps its symbol
t_expect "⏸"
t_expect_not "READ-ONLY"        # no badge without --read-only
t_keys q
t_wait_exit
t_stop

# the same screen with colours does use them (the check above can fail)
t_start 120 30
t_wait "etcd-degraded"
tmux -L "$T_SOCK" capture-pane -p -e >"$T_DIR/sgr"
LC_ALL=C grep -aE "$(printf '\033')\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7])(;[0-9;]*)?m" "$T_DIR/sgr" >/dev/null ||
    fail "colours expected on xterm-256color"
t_keys q
t_wait_exit
t_stop

# ---- TERM=vt100 --ascii: not one UTF-8 byte ------------------------------------------------------
t_start 80 24 TERM=vt100 -- --ascii
t_wait "etcd-degraded"
t_keys 3
t_wait "[3 etcd]"
t_wait "quorum held"
for screen in 1 3 4; do
    t_keys "$screen"
    sleep 0.3
    t_screen >"$T_DIR/ascii"
    if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T_DIR/ascii"; then
        LC_ALL=C grep -n "$(printf '[\200-\377]')" "$T_DIR/ascii" | head -5
        fail "non-ASCII bytes on the --ascii screen (pane $screen)"
    fi
done
t_keys 1
t_wait "||"                         # paused, in ASCII
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
echo "tui_terminal: ok"
