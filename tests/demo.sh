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
  tbx_build "$TOOLBOX_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
fi
export TOOLBOX_BIN=$TOOLBOX_BUILD_DIR/toolbox/toolbox
export TOOLBOX_HANDLER=$TOOLBOX_BUILD_DIR/handler/toolbox-binfmt-handler
export TOOLBOX_BINFMT_CONF=$TOOLBOX_BUILD_DIR/binfmt.d/toolbox.conf
. "$TOOLBOX_SOURCE_DIR/tests/lib/common.sh"
. "$TOOLBOX_SOURCE_DIR/tests/lib/binfmt.sh"
. "$TOOLBOX_SOURCE_DIR/tests/lib/podman.sh"
. "$TOOLBOX_SOURCE_DIR/tests/lib/tmux.sh"
TBX_TEST_NAME=demo
need_cmd tmux
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
say "== preparing the Debian 11 image (debootstrap, cached)"
tbx_toolbox_image bullseye 11 "$user" >/dev/null || fail "cannot make the Debian 11 image"
tbx_global_binfmt_ready

# The binary every container bind-mounts: a copy the rootless user can read.
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
name=demo-debian-11-$$
tbx_on_exit tbx_quiet tbx_as_user podman rm --force --time 0 --ignore "$name"
tbx_quiet() { "$@" >/dev/null 2>&1 || true; }

say "== 2. register the handler: systemd-binfmt binfmt.d/toolbox.conf (as entry toolbox-demo-$$)"
tbx_global_binfmt_register toolbox-demo-$$
"$tb" binfmt status --name toolbox-demo-$$ --handler "$TOOLBOX_HANDLER" | sed 's/^/    /'

say "== 3. as $user: toolbox create --distro debian --release 11 $name"
tbx_as_user "$tb" create --distro debian --release 11 "$name" | sed 's/^/    /'

say "== toolbox enter $name, in tmux"
tbx_tmux_user_shell "$(mktemp -u)"
tbx_tmux_send "PS1='host\$ '; cd; $tb enter $name"
tbx_tmux_wait '@toolbx'
tbx_tmux_send 'echo "inside: Debian $(cat /etc/debian_version), $(ldd --version | head -n1)"'
tbx_tmux_wait 'inside: Debian 11'
pid=$(tbx_as_user podman inspect --format '{{.State.Pid}}' "$name")
say "== the container's entry point, seen from the host: pid $pid"
say "    comm:    $(cat "/proc/$pid/comm")"
say "    command: $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-70)..."
say "    libc:    $(grep -m1 -o '/[^ ]*libc\.so\.6' "/proc/$pid/maps")"
tbx_tmux_send 'exit 7'
tbx_tmux_wait '^host\$ *$'
tbx_tmux_send 'echo "back on the host, status $?"'
tbx_tmux_wait 'back on the host, status 7'
say "== the terminal:"
tbx_tmux_screen | sed -e '/^$/d' -e 's/^/    /'
say "== 4. cleaning up: the container, the entry"
say "demo finished: handler registered, Debian 11 container created and entered with toolbox"
