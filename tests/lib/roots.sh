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
