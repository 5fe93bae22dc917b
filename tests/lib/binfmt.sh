# A private binfmt_misc instance (Linux >= 6.7: one per user namespace) holding
# the project's own binfmt.d/toolbox.conf, registered by the real systemd-binfmt
# with the interpreter pointed at the build tree.
# shellcheck shell=bash

TBX_SYSTEMD_BINFMT=${TBX_SYSTEMD_BINFMT:-/lib/systemd/systemd-binfmt}

# Re-executes the calling script in a new user and mount namespace, once.
tbx_enter_private_namespace() {
  if [ -z "${TBX_IN_PRIVATE_NS:-}" ]; then
    unshare -U -r -m true 2>/dev/null || skip "cannot create user and mount namespaces"
    exec env TBX_IN_PRIVATE_NS=1 unshare -U -r -m --propagation private bash "$0" "$@"
  fi
}

# Runs the calling script twice, as real root, each time in a mount namespace
# of its own: once with the machine's binfmt_misc instance mounted at
# /proc/sys/fs/binfmt_misc (users' machines: systemd's automount mounts it on
# first access) and once with nothing there (CI machines often), whatever the
# machine's own state. TBX_HOST_BINFMT says which. Call it before
# tbx_enter_private_namespace; it returns in the two runs.
tbx_in_each_binfmt_state() {
  [ -z "${TBX_HOST_BINFMT:-}" ] || return 0
  unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
  local state r failed=0 ran=0
  for state in mounted unmounted; do
    say "== run with the host's binfmt_misc $state"
    set +e
    # Read from mountinfo, not stat(2): a stat could trigger systemd's automount.
    TBX_HOST_BINFMT=$state unshare -m --propagation private bash -c '
      d=/proc/sys/fs/binfmt_misc
      here() { awk -v d="$d" '\''$5 == d { f = 1 } END { exit !f }'\'' /proc/self/mountinfo; }
      if [ "$TBX_HOST_BINFMT" = mounted ]; then
        here || mount -t binfmt_misc binfmt_misc "$d" || exit 1
      else
        while here; do umount "$d" || exit 1; done
      fi
      exec bash "$0" "$@"' "$0" "$@"
    r=$?
    set -e
    case $r in
      0) ran=$((ran + 1)) ;;
      77) say "the run with binfmt_misc $state skipped" ;;
      *) failed=1; say "FAIL: the run with the host's binfmt_misc $state failed (exit $r)" ;;
    esac
  done
  [ $failed = 0 ] || exit 1
  [ $ran -gt 0 ] || exit 77
  [ $ran = 2 ] || skip "one of the two binfmt_misc states was skipped"
  say "PASS in both states (the host's binfmt_misc mounted and not)"
  exit 0
}

# The same, with UIDs and GIDs 0-65535 mapped to themselves (for tests that
# create users and chown files), through toolbox-test-userns.
tbx_enter_wide_namespace() {
  if [ -z "${TBX_IN_PRIVATE_NS:-}" ]; then
    [ -x "${TOOLBOX_USERNS:-}" ] || skip "needs toolbox-test-userns (TOOLBOX_USERNS)"
    exec env TBX_IN_PRIVATE_NS=1 "$TOOLBOX_USERNS" bash "$0" "$@"
  fi
}

# The registration file for the build's handler under entry name $1.
tbx_test_conf() {
  local name=$1 out=$2
  sed -e "s|^:toolbox:|:$name:|" \
      -e "s|:[^:]*toolbox-binfmt-handler:POF\$|:$TOOLBOX_HANDLER:POF|" \
      "$TOOLBOX_BINFMT_CONF" >"$out"
  grep -q "^:$name:M:" "$out" || fail "could not make a test copy of $TOOLBOX_BINFMT_CONF"
}

# Mounts a private binfmt_misc instance (inside tbx_enter_private_namespace).
tbx_private_binfmt() {
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null ||
    skip "cannot mount a private binfmt_misc instance (needs Linux >= 6.7)"
  [ -e /proc/sys/fs/binfmt_misc/register ] || skip "no binfmt_misc register file"
}

# Registers the build's handler in the mounted instance as entry $1.
tbx_register() {
  local name=$1 conf
  [ -x "$TBX_SYSTEMD_BINFMT" ] || skip "needs systemd-binfmt"
  conf=$(mktemp --suffix=.conf)
  tbx_test_conf "$name" "$conf"
  "$TBX_SYSTEMD_BINFMT" "$conf" || fail "systemd-binfmt could not register $conf"
  rm -f "$conf"
  [ -e "/proc/sys/fs/binfmt_misc/$name" ] || fail "entry $name not registered"
}

tbx_unregister() { [ ! -e "/proc/sys/fs/binfmt_misc/$1" ] || echo -1 >"/proc/sys/fs/binfmt_misc/$1"; }

# tbx_container_root ROOT HOST: mounts, over ROOT (read-only cache), a tmpfs on
# /run and /tmp, HOST (default /) at ROOT/run/host, and /proc and /dev; copies
# the build's binaries to ROOT/tmp. Everything goes away with the namespace.
tbx_container_root() {
  local root=$1 host=${2:-/}
  mount -t tmpfs tmpfs "$root/run"
  mount -t tmpfs tmpfs "$root/tmp"
  mkdir -p "$root/proc" "$root/dev"
  mount --rbind /proc "$root/proc"
  mount --rbind /dev "$root/dev"
  if [ "$host" != none ]; then
    mkdir "$root/run/host"
    mount --rbind "$host" "$root/run/host"
  fi
  cp "$TOOLBOX_BIN" "$TOOLBOX_PROBE" "$TOOLBOX_PROBE_UNMARKED" "$TOOLBOX_PROBE_LIBELF" "$root/tmp/"
}
