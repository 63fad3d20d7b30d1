#!/bin/sh
# --keymap FILE: its bindings apply on top of the built-in keymap, a bad line is reported as
# FILE:LINE on the message line (and on stderr after exit) while the other lines still load, and
# `?` lists the keys from the active keymap.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
km="$T_DIR/my.keymap"
cat >"$km" <<'KEYS'
# my keys
bind generic x quit
bind generic F99 help
bind generic q none
bind clusters J cursor.down
KEYS

t_start 120 30 -- --keymap "$km"
t_wait "etcd-degraded"
t_wait "my.keymap:3: unknown key \"F99\""
t_keys '?'
t_wait "Keys of Hosted clusters"
t_expect "J, j, Down"            # the clusters keymap's J comes first, then the generic keys
t_keys Escape
t_wait_gone "Keys of"
t_keys q                          # unbound by the file
t_wait "q is not bound here"
t_keys x
T_ALLOW_STDERR=1
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
grep -q "my.keymap:3: unknown key \"F99\"" "$T_DIR/stderr" || { cat "$T_DIR/stderr"; fail "keymap errors not on stderr after exit"; }
[ "$(wc -l <"$T_DIR/stderr")" -eq 1 ] || { cat "$T_DIR/stderr"; fail "expected exactly the one keymap error on stderr"; }
echo "tui_keymap: ok"
