# Installs what the build and the tests need (Debian 12 packages) and builds.
# Sourced by tests/run.sh and tests/demo.sh; both run as root.
# shellcheck shell=bash

# The main job (tests/demo.sh): build, register, create and enter a container.
TBX_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config
  libelf-dev libzstd-dev zlib1g-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev catch2 libsubid-dev
  go-md2man
  # registration (systemd-binfmt), Toolbx images from debootstrapped roots, podman, a terminal
  systemd debootstrap util-linux python3 podman runc conmon catatonit uidmap tmux
)
# Everything else the whole suite (tests/run.sh) needs.
TBX_TEST_PACKAGES=(
  # fuzzing and sanitizers
  clang libclang-rt-14-dev libfuzzer-14-dev
  # tests: namespaces, the other registration tool, ELF tools, system-call traces (handler_execfd)
  binutils binfmt-support libcap2-bin strace
  # forwarding from containers: a session bus and the Flatpak session helper
  dbus-daemon flatpak
  # the host's CA certificates in containers: p11-kit server, a throwaway CA
  p11-kit p11-kit-modules ca-certificates openssl
  # create's download prompt asks skopeo for the image's size (it fails here: no registry)
  skopeo
  # completion and man page tests
  bash-completion fish zsh man-db groff-base
  # the Debian package: CPack's DEB generator runs dpkg-shlibdeps; lintian checks it
  dpkg-dev lintian
  # the parity oracle: upstream Toolbx 0.0.99.3
  podman-toolbox
)

# tbx_install_deps [PACKAGES...]: installs what is missing of the main job's
# packages and PACKAGES.
tbx_install_deps() {
  if [ "${TOOLBOX_SKIP_APT:-0}" = 1 ]; then
    # The tests then find missing tools themselves; under TOOLBOX_TESTS_MUST_WORK=1 each is a failure.
    echo "TOOLBOX_SKIP_APT=1: packages not checked; a missing one is a skip (a failure with TOOLBOX_TESTS_MUST_WORK=1)"
    return 0
  fi
  local missing=()
  local p
  for p in "${TBX_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# tbx_build DIR [CMAKE_ARGS...] [-- TARGETS...]: configure (prefix /usr, as
# packaged) and build everything, or only TARGETS.
tbx_build() {
  local dir=$1
  shift
  local args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift && targets=("$@")
  cmake -S "$TOOLBOX_SOURCE_DIR" -B "$dir" -G Ninja -DCMAKE_INSTALL_PREFIX=/usr -DTOOLBOX_WERROR=ON "${args[@]}" >/dev/null &&
    ninja -C "$dir" "${targets[@]}" >"$dir/build.log" 2>&1 || { tail -50 "$dir/build.log"; return 1; }
}

# Debian 13's build generation (gcc 14, Catch2 3, CLI11 2.4, fmt 10, spdlog 1.15,
# toml++ 3.4, elfutils 0.192): the tree builds and its unit and privileged
# handler tests run in a cached trixie root (tbx_dev_root, tests/lib/roots.sh).
TBX_TRIXIE_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  # trixie's elfutils 0.192 has an incomplete libelf.a (handler/compat/ works around it);
  # backports' is complete, and preferred
  libelf-dev/trixie-backports libzstd-dev zlib1g-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev catch2 libsubid-dev
  go-md2man
  # the privileged handler tests: systemd-binfmt registers the entry; handler_execfd
  # traces the loader's exec with strace; handler_hostile measures peak RSS with python3
  systemd strace python3
)

# tbx_in_dev_root ROOT CMD...: runs CMD in ROOT as its whole file system, in a
# private mount namespace: the source tree read-only at /src, the tests' root
# cache at the same path, /proc, /sys and /dev bound in. pivot_root, not chroot:
# the tests create user namespaces, which the kernel refuses to a chrooted
# process (create_user_ns(): current_chrooted()).
tbx_in_dev_root() {
  local root=$1
  shift
  mkdir -p "$root/src" "$root/.oldroot" "$root$TOOLBOX_TEST_CACHE/roots"
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare -m --propagation private bash -c '
    set -e
    root=$1 src=$2 cache=$3; shift 3
    mount --bind "$root" "$root"
    mount --bind "$src" "$root/src"
    mount -o remount,bind,ro "$root/src"
    mount --bind "$cache/roots" "$root$cache/roots"
    for d in proc sys dev; do mount --rbind "/$d" "$root/$d"; done
    cd "$root"
    pivot_root . .oldroot
    exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
      TOOLBOX_TEST_CACHE="$cache" TOOLBOX_TESTS_MUST_WORK="${TOOLBOX_TESTS_MUST_WORK:-0}" \
      /bin/sh -c "umount -l /.oldroot && exec \"\$@\"" sh "$@"
  ' bash "$root" "$TOOLBOX_SOURCE_DIR" "$TOOLBOX_TEST_CACHE" "$@"
}

# Phases of tests/run.sh, each timed; tbx_phase_summary prints the durations.
TBX_PHASE_TIMES=()
tbx_phase() {
  local name=$1 start=$SECONDS rc=0
  shift
  echo "== $name"
  "$@" || rc=$?
  TBX_PHASE_TIMES+=("$(printf '%-16s %5d s%s' "$name" $((SECONDS - start)) "$([ $rc = 0 ] || echo "  (failed: $rc)")")")
  return $rc
}

# tbx_background NAME CMD...: starts CMD (its output to a log) beside the
# phases that follow; tbx_wait_background NAME waits for it, times the wait
# and the whole, and prints the log on failure.
declare -A TBX_BG_PID TBX_BG_START
tbx_background() {
  local name=$1
  shift
  TBX_BG_START[$name]=$SECONDS
  mkdir -p "$TOOLBOX_TEST_CACHE"
  "$@" >"$TOOLBOX_TEST_CACHE/$name.log" 2>&1 &
  TBX_BG_PID[$name]=$!
  echo "== $name (in the background, log: $TOOLBOX_TEST_CACHE/$name.log)"
}
tbx_wait_background() {
  local name=$1 start=$SECONDS rc=0
  wait "${TBX_BG_PID[$name]}" || rc=$?
  TBX_PHASE_TIMES+=("$(printf '%-16s %5d s (background, of which %d s waited for)%s' "$name" \
    $((SECONDS - TBX_BG_START[$name])) $((SECONDS - start)) "$([ $rc = 0 ] || echo "  (failed: $rc)")")")
  [ $rc = 0 ] || { echo "== $name failed:"; tail -30 "$TOOLBOX_TEST_CACHE/$name.log"; }
  return $rc
}

tbx_phase_summary() {
  echo "== phase durations"
  printf '   %s\n' "${TBX_PHASE_TIMES[@]}"
}

# The Debian 13 build root, the roots its privileged handler tests use (made
# outside: debootstrap and apt need the real root), and the Debian 12 root with
# podman that privileged/deb_package installs the package into.
tbx_prepare_roots() {
  . "$TOOLBOX_SOURCE_DIR/tests/lib/roots.sh"
  tbx_dev_root trixie "${TBX_TRIXIE_PACKAGES[@]}" && tbx_root bullseye && tbx_root trixie &&
    tbx_dev_root bookworm podman uidmap
}

# Builds the tree in the Debian 13 root (build directory /build there, kept
# with the cached root) with -Werror, fails on any compiler warning, and runs
# the unit tests and the privileged handler tests.
tbx_trixie_build_and_test() {
  . "$TOOLBOX_SOURCE_DIR/tests/lib/roots.sh"
  local root
  root=$(tbx_dev_root trixie "${TBX_TRIXIE_PACKAGES[@]}") || return 1
  # shellcheck disable=SC2016 # expanded in the root
  tbx_in_dev_root "$root" bash -c '
    set -eu
    # toolbox_core uses a precompiled header, which ccache caches only with this sloppiness.
    export CCACHE_DIR=/var/cache/ccache CCACHE_SLOPPINESS=pch_defines,time_macros
    echo "gcc $(gcc -dumpfullversion), cmake $(cmake --version | sed -n "s/cmake version //p"), elfutils" \
      "$(dpkg-query -W -f="\${Version}" libelf-dev)"
    cmake -S /src -B /build -G Ninja -DCMAKE_INSTALL_PREFIX=/usr -DTOOLBOX_WERROR=ON -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/build.configure.log
    grep -E "^-- (libelf|Catch2|Dependencies)" /build.configure.log || true
    # Clean first: the compiler output (from ccache when warm) must be in the log.
    [ ! -e /build/build.ninja ] || ninja -C /build clean >/dev/null
    ninja -C /build >/build.log 2>&1 || { tail -50 /build.log; exit 1; }
    # Every warning counts, not only the ones -Werror lists.
    if grep -E "warning:" /build.log; then echo "compiler warnings on Debian 13 (above)"; exit 1; fi
    ctest --test-dir /build -L unit --output-on-failure
    # Not handler_trixie_host: it needs a host with another glibc than Debian 13 has.
    ctest --test-dir /build -L privileged -R "handler_" -E "handler_trixie_host" --output-on-failure
  '
}
