# Debian root file systems for the tests, built once with debootstrap and kept
# in $TOOLBOX_TEST_CACHE/roots (never modified by a test: tests mount over them).
# shellcheck shell=bash

# tbx_root SUITE: prints the path of a minbase root of SUITE (bullseye, trixie...).
tbx_root() {
  local suite=$1 dir="$TOOLBOX_TEST_CACHE/roots/$1"
  mkdir -p "$TOOLBOX_TEST_CACHE/roots"
  (
    flock 9
    if [ ! -x "$dir/bin/sh" ]; then
      command -v debootstrap >/dev/null || exit 3
      rm -rf "$dir.tmp"
      debootstrap --variant=minbase "$suite" "$dir.tmp" "${TOOLBOX_TEST_MIRROR:-http://deb.debian.org/debian}" \
        >"$TOOLBOX_TEST_CACHE/roots/$suite.log" 2>&1 || exit 4
      mv "$dir.tmp" "$dir"
    fi
  ) 9>"$TOOLBOX_TEST_CACHE/roots/.$suite.lock" || return 1
  printf '%s\n' "$dir"
}

# tbx_musl_root: a root with no glibc at all, from Debian's musl and busybox-static.
tbx_musl_root() {
  local dir="$TOOLBOX_TEST_CACHE/roots/musl"
  mkdir -p "$TOOLBOX_TEST_CACHE/roots"
  (
    flock 9
    if [ ! -x "$dir/bin/sh" ]; then
      local tmp
      tmp=$(mktemp -d)
      (cd "$tmp" && apt-get download musl busybox-static >/dev/null 2>&1) || exit 4
      rm -rf "$dir.tmp"
      mkdir -p "$dir.tmp"
      for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir.tmp"; done
      rm -rf "$tmp"
      mkdir -p "$dir.tmp/bin" "$dir.tmp/run" "$dir.tmp/tmp" "$dir.tmp/proc" "$dir.tmp/dev"
      [ -x "$dir.tmp/bin/busybox" ] || exit 5
      for c in sh cat ls echo env; do ln -sf busybox "$dir.tmp/bin/$c"; done
      mv "$dir.tmp" "$dir"
    fi
  ) 9>"$TOOLBOX_TEST_CACHE/roots/.musl.lock" || return 1
  printf '%s\n' "$dir"
}

# tbx_dev_root SUITE PACKAGES...: prints the path of a root of SUITE with
# PACKAGES installed by its own apt (the Debian 13 build: tests/lib/setup.sh).
# Built once, like tbx_root; a changed package list is installed into it. apt
# runs in a private mount namespace with /proc and /dev bound in, so nothing
# stays mounted. SUITE's backports are in its sources (not installed from).
tbx_dev_root() {
  local suite=$1 dir="$TOOLBOX_TEST_CACHE/roots/$1-dev"
  shift
  mkdir -p "$TOOLBOX_TEST_CACHE/roots"
  (
    flock 9
    local mirror=${TOOLBOX_TEST_MIRROR:-http://deb.debian.org/debian}
    if [ ! -e "$dir/.tbx-packages" ]; then
      command -v debootstrap >/dev/null || exit 3
      rm -rf "$dir.tmp"
      debootstrap --variant=minbase "$suite" "$dir.tmp" "$mirror" >"$dir.log" 2>&1 || exit 4
      printf 'deb %s %s-backports main\n' "$mirror" "$suite" >"$dir.tmp/etc/apt/sources.list.d/backports.list"
      tbx_apt_in_root "$dir.tmp" "$@" >>"$dir.log" 2>&1 || exit 5
      printf '%s\n' "$*" >"$dir.tmp/.tbx-packages"
      mv "$dir.tmp" "$dir"
    elif [ "$(cat "$dir/.tbx-packages")" != "$*" ]; then
      tbx_apt_in_root "$dir" "$@" >>"$dir.log" 2>&1 || exit 5
      printf '%s\n' "$*" >"$dir/.tbx-packages"
    fi
  ) 9>"$TOOLBOX_TEST_CACHE/roots/.$suite-dev.lock" || return 1
  printf '%s\n' "$dir"
}

# tbx_apt_in_root ROOT PACKAGES...: apt-get install in ROOT (chroot is enough:
# apt creates no user namespace).
tbx_apt_in_root() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare -m --propagation private sh -c '
    root=$1; shift
    mount --rbind /proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 1
    export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
    chroot "$root" apt-get update -q && chroot "$root" apt-get install -y -q --no-install-recommends "$@" &&
      chroot "$root" apt-get clean
  ' sh "$@"
}
