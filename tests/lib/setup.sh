# Installs what the build and the tests need (Debian 12 packages) and builds.
# Sourced by tests/run.sh and tests/demo.sh; both run as root.
# shellcheck shell=bash

TBX_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config
  libelf-dev libzstd-dev zlib1g-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev catch2 libsubid-dev
  go-md2man
  # fuzzing and sanitizers
  clang libclang-rt-14-dev libfuzzer-14-dev
  # tests: roots, namespaces, registration tools, podman
  debootstrap util-linux binutils python3 systemd binfmt-support libcap2-bin
  podman runc conmon catatonit uidmap
  # forwarding from containers: a session bus and the Flatpak session helper
  dbus-daemon flatpak
  # the host's CA certificates in containers: p11-kit server, a throwaway CA
  p11-kit p11-kit-modules ca-certificates openssl
  # create's download prompt asks skopeo for the image's size (it fails here: no registry)
  skopeo
  # completion and man page tests
  bash-completion fish zsh man-db groff-base tmux
  # the parity oracle: upstream Toolbx 0.0.99.3
  podman-toolbox
)

tbx_install_deps() {
  if [ "${TOOLBOX_SKIP_APT:-0}" = 1 ]; then
    # The tests then find missing tools themselves; under TOOLBOX_TESTS_MUST_WORK=1 each is a failure.
    echo "TOOLBOX_SKIP_APT=1: packages not checked; a missing one is a skip (a failure with TOOLBOX_TESTS_MUST_WORK=1)"
    return 0
  fi
  local missing=()
  local p
  for p in "${TBX_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# tbx_build DIR [CMAKE_ARGS...] [-- TARGETS...]: configure (prefix /usr, as
# packaged) and build everything, or only TARGETS.
tbx_build() {
  local dir=$1
  shift
  local args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift && targets=("$@")
  cmake -S "$TOOLBOX_SOURCE_DIR" -B "$dir" -G Ninja -DCMAKE_INSTALL_PREFIX=/usr -DTOOLBOX_WERROR=ON "${args[@]}" >/dev/null
  ninja -C "$dir" "${targets[@]}" >"$dir/build.log" 2>&1 || { tail -50 "$dir/build.log"; return 1; }
}
