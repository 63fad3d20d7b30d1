#!/bin/sh
# Installs the Debian packages hcptui needs to build and test, when they are missing.
# As root it runs apt-get; otherwise it prints the one command to run.
set -u
pkgs="gcc make pkg-config libncurses-dev libcurl4-openssl-dev libcjson-dev libyaml-dev libssl-dev
libmicrohttpd-dev libgnutls28-dev libcmocka-dev tmux openssl python3 curl asciinema"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# kubectl comes with the base image; Debian's kubernetes-client is only a fallback.
command -v kubectl >/dev/null 2>&1 || missing="$missing kubernetes-client"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
else
    echo "deps: missing packages. Run as root:"
    echo "  apt-get install -y$missing"
    exit 1
fi
