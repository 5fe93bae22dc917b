# init-container against a scratch root, without podman: a writable overlay
# of the Debian 11 Toolbx root in the test's private user and mount namespace
# (tbx_enter_wide_namespace), made a container root by tbx_container_root,
# with the build's toolbox at /usr/bin/toolbox. Needs common.sh, binfmt.sh and
# podman.sh (tbx_on_exit).
# shellcheck shell=bash

# tbx_init_test "$@": what each init-container test does first. The Debian 11
# Toolbx root is built outside the user namespace (debootstrap needs real
# root); the namespace maps UIDs 0-65535 (useradd and the stamp's chown need
# UID 1000); a private binfmt_misc instance holds our entry; then the overlay
# (sets R, M and X).
tbx_init_test() {
  need_root
  need_cmd chroot
  R=$(tbx_toolbox_root bullseye) || skip "cannot build the Debian 11 Toolbx root"
  tbx_enter_wide_namespace "$@"
  tbx_private_binfmt
  tbx_register toolbox-test-$$
  tbx_init_overlay "$R"
}

# tbx_init_overlay ROOT: sets M (a scratch tmpfs) and X (the overlay of ROOT
# on it, with /run/.containerenv and the host at /run/host).
tbx_init_overlay() {
  M=$(mktemp -d)
  mount -t tmpfs tmpfs "$M"
  mkdir "$M/upper" "$M/work" "$M/root"
  mount -t overlay overlay -o "lowerdir=$1,upperdir=$M/upper,workdir=$M/work" "$M/root" ||
    skip "cannot mount an overlay in a user namespace"
  X=$M/root
  tbx_container_root "$X" /
  touch "$X/run/.containerenv" "$X/usr/bin/toolbox"
  mount --bind "$TOOLBOX_BIN" "$X/usr/bin/toolbox"
  # A failed check exits with the entry point still waiting for events: it
  # would keep the test's output open, and CTest waiting, until the timeout.
  tbx_on_exit tbx_init_kill
}

tbx_init_kill() { [ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true; }

# tbx_init_start [VAR=VALUE...]: starts init-container in X in the background
# for the user tester (UID 1000) as podman would; sets pid and log.
tbx_init_start() {
  log=$M/init.log
  chroot "$X" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR=/run/user/1000 TOOLBOX_PATH=/usr/bin/toolbox \
    "$@" /usr/bin/toolbox --log-level debug init-container \
    --gid 1000 --home /home/tester --shell /bin/bash --uid 1000 --user tester 2>"$log" &
  pid=$!
}

# tbx_init_wait_stamp: waits for the readiness stamp of $pid, 20 s at most.
tbx_init_wait_stamp() {
  local i
  for i in $(seq 1 100); do
    [ -e "$X/run/user/1000/toolbox/container-initialized-$pid" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "init-container died"; }
    sleep 0.2
  done
  cat "$log"
  fail "no readiness stamp after 20 s"
}

# tbx_init_stop: ends the entry point started last.
tbx_init_stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
