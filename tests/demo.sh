#!/bin/bash
# The main job, end to end, from a fresh Debian 12 machine, as root:
#  1. install the dependencies and build;
#  2. register the handler with the kernel (systemd-binfmt, binfmt.d/toolbox.conf);
#  3. as an ordinary user, `toolbox create` a Debian 11 container (glibc 2.31,
#     older than the host's) and `toolbox enter` it in a real terminal (tmux),
#     where the host's toolbox runs as the container's entry point;
#  4. remove the container and the entry again.
# Podman settings this machine needs (runc, cgroupfs, ulimits, a shared /) come
# from the test-only configuration in tests/lib/podman.sh, never the product.
set -euo pipefail
TOOLBOX_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd)
export TOOLBOX_SOURCE_DIR
export TOOLBOX_BUILD_DIR=${TOOLBOX_BUILD_DIR:-$TOOLBOX_SOURCE_DIR/build}
if [ -z "${TBX_IN_PODMAN_NS:-}" ]; then
  . "$TOOLBOX_SOURCE_DIR/tests/lib/setup.sh"
  [ "$(id -u)" = 0 ] || { echo "tests/demo.sh: run as root" >&2; exit 1; }
  echo "== 1. dependencies and build"
  tbx_install_deps
  tbx_build "$TOOLBOX_BUILD_DIR"
fi
export TOOLBOX_BIN=$TOOLBOX_BUILD_DIR/toolbox/toolbox
export TOOLBOX_HANDLER=$TOOLBOX_BUILD_DIR/handler/toolbox-binfmt-handler
export TOOLBOX_BINFMT_CONF=$TOOLBOX_BUILD_DIR/binfmt.d/toolbox.conf
. "$TOOLBOX_SOURCE_DIR/tests/lib/common.sh"
. "$TOOLBOX_SOURCE_DIR/tests/lib/binfmt.sh"
. "$TOOLBOX_SOURCE_DIR/tests/lib/podman.sh"
TBX_TEST_NAME=demo
need_cmd tmux
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
say "== preparing the Debian 11 image (debootstrap, cached)"
tbx_toolbox_image bullseye 11 "$user" >/dev/null || fail "cannot make the Debian 11 image"
tbx_global_binfmt_ready

bindir=$(mktemp -d)
tbx_on_exit rm -rf "$bindir"
chmod 755 "$bindir"
cp "$TOOLBOX_BIN" "$bindir/toolbox"
tb=$bindir/toolbox
name=demo-debian-11-$$
tbx_on_exit tbx_quiet tbx_as_user podman rm --force --time 0 --ignore "$name"
tbx_quiet() { "$@" >/dev/null 2>&1 || true; }

say "== 2. register the handler: systemd-binfmt binfmt.d/toolbox.conf (as entry toolbox-demo-$$)"
tbx_global_binfmt_register toolbox-demo-$$
"$tb" binfmt status --name toolbox-demo-$$ --handler "$TOOLBOX_HANDLER" | sed 's/^/    /'

say "== 3. as $user: toolbox create --distro debian --release 11 $name"
tbx_as_user "$tb" create --distro debian --release 11 "$name" | sed 's/^/    /'

say "== toolbox enter $name, in tmux"
sock=$bindir/tmux.sock
tbx_on_exit tmux -S "$sock" kill-server
tmux -S "$sock" new-session -d -x 160 -y 40 \
  "bash -c '. $TOOLBOX_SOURCE_DIR/tests/lib/common.sh; . $TOOLBOX_SOURCE_DIR/tests/lib/podman.sh; tbx_as_user env TERM=xterm bash --norc -i'"
chmod 711 "$bindir"
send() { tmux -S "$sock" send-keys -t 0 "$1" Enter; }
wait_for() {
  local i
  for i in $(seq 1 150); do
    tmux -S "$sock" capture-pane -p -t 0 | grep -q -- "$1" && return 0
    sleep 0.2
  done
  tmux -S "$sock" capture-pane -p -t 0
  fail "timed out waiting for '$1' in the terminal"
}
send "PS1='host\$ '; cd; $tb enter $name"
wait_for '⬢\|@toolbx'
send 'echo "inside: Debian $(cat /etc/debian_version), $(ldd --version | head -n1)"'
wait_for 'inside: Debian 11'
pid=$(tbx_as_user podman inspect --format '{{.State.Pid}}' "$name")
say "== the container's entry point, seen from the host: pid $pid"
say "    comm:    $(cat "/proc/$pid/comm")"
say "    command: $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-70)..."
say "    libc:    $(grep -m1 -o '/[^ ]*libc\.so\.6' "/proc/$pid/maps")"
send 'exit 7'
wait_for '^host\$ *$'
send 'echo "back on the host, status $?"'
wait_for 'back on the host, status 7'
say "== the terminal:"
tmux -S "$sock" capture-pane -p -t 0 | sed -e '/^$/d' -e 's/^/    /'
say "== 4. cleaning up: the container, the entry"
say "demo finished: handler registered, Debian 11 container created and entered with toolbox"
