# Real podman for the system tests: a test-only configuration and storage, a
# rootless test user, Toolbx images built from debootstrapped Debian roots, and
# the project's entry in the GLOBAL binfmt_misc instance (podman's containers
# live in user namespaces below it). Nothing here is used by the product.
# Needs common.sh and binfmt.sh. Facts are for podman 4.3 / runc 1.1 (Debian 12).
# shellcheck shell=bash

TBX_TEST_USER=toolbox-test
# Packages that Toolbx images carry and minbase lacks, for init-container:
# sudo, useradd/usermod (passwd) and capsh (libcap2-bin); bash is the shell;
# p11-kit-client.so (p11-kit-modules) and trust(1) (p11-kit) for the host's CA
# certificates.
TBX_TOOLBOX_PACKAGES=sudo,passwd,libcap2-bin,bash,p11-kit,p11-kit-modules
# What tbx_toolbox_root does after debootstrap; change it with those steps.
TBX_TOOLBOX_ROOT_STEPS=pkcs11-modules-dir
TBX_IMAGE_KEY_LABEL=com.github.containers.toolbox.test-root
: "${TOOLBOX_TEST_STORAGE_DRIVER:=overlay}"
# Root's podman run-time state (runroot, tmp_dir), apart from the machine's.
TBX_PODMAN_RUN=/run/toolbox-tests/podman

# --- Clean-up: one EXIT trap that runs every registered command, last first.
tbx_exit_cmds=()
tbx_run_exit_cmds() {
  local rc=$? i
  set +e
  for ((i = ${#tbx_exit_cmds[@]} - 1; i >= 0; i--)); do eval "${tbx_exit_cmds[i]}"; done
  exit "$rc"
}
# tbx_on_exit CMD...: runs CMD when the test exits, also after fail, skip,
# SIGINT and SIGTERM (not after SIGKILL, e.g. a CTest timeout).
tbx_on_exit() {
  tbx_exit_cmds+=("$(printf '%q ' "$@")")
  trap tbx_run_exit_cmds EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# --- Configuration.
# tbx_podman_conf DIR TMP_DIR GRAPHROOT RUNROOT: writes DIR/containers.conf
# (tests/data/containers.conf plus tmp_dir) and DIR/storage.conf, readable by
# the rootless user. Written each time (it is cheap), atomically (tests may
# run in parallel).
tbx_podman_conf() {
  local dir=$1 tmp_dir=$2 graphroot=$3 runroot=$4
  mkdir -p "$dir"
  chmod 755 "$dir"
  sed "/^\[engine\]\$/a tmp_dir = \"$tmp_dir\"" "$TOOLBOX_SOURCE_DIR/tests/data/containers.conf" >"$dir/containers.conf.$$"
  grep -q '^tmp_dir = ' "$dir/containers.conf.$$" || fail "tests/data/containers.conf has no [engine] table"
  cat >"$dir/storage.conf.$$" <<EOF
# containers-storage.conf(5) for the system tests, written by tests/lib/podman.sh.
[storage]
driver = "$TOOLBOX_TEST_STORAGE_DRIVER"
graphroot = "$graphroot"
# Rootless podman 4.3 ignores graphroot here (and used ~/.local/share/containers).
rootless_storage_path = "$graphroot"
runroot = "$runroot"
EOF
  chmod 644 "$dir/containers.conf.$$" "$dir/storage.conf.$$"
  mv "$dir/containers.conf.$$" "$dir/containers.conf"
  mv "$dir/storage.conf.$$" "$dir/storage.conf"
}

# tbx_private_podman NAME: a podman configuration and storage of the test's
# own, for tests that compare with upstream Toolbx (whose first run may
# `podman system migrate`) or that remove everything: a directory
# /var/tmp/NAME.XXXXXX, set as TBX_PRIVATE_TOP, with conf/, graph/, run/,
# tmp/ and home/ (HOME and the XDG directories point there, so both
# toolboxes keep their state in it); emptied and removed when the test exits.
# Skips when podman does not work there.
tbx_private_podman() {
  TBX_PRIVATE_TOP=$(mktemp -d "/var/tmp/$1.XXXXXX")
  chmod 755 "$TBX_PRIVATE_TOP"
  tbx_on_exit rm -rf "$TBX_PRIVATE_TOP"
  tbx_podman_conf "$TBX_PRIVATE_TOP/conf" "$TBX_PRIVATE_TOP/tmp" "$TBX_PRIVATE_TOP/graph" "$TBX_PRIVATE_TOP/run"
  export CONTAINERS_CONF="$TBX_PRIVATE_TOP/conf/containers.conf" CONTAINERS_STORAGE_CONF="$TBX_PRIVATE_TOP/conf/storage.conf"
  tbx_on_exit tbx_private_podman_reset
  export HOME="$TBX_PRIVATE_TOP/home" XDG_CONFIG_HOME="$TBX_PRIVATE_TOP/home/.config" XDG_CACHE_HOME="$TBX_PRIVATE_TOP/home/.cache"
  mkdir -p "$XDG_CONFIG_HOME"
  local r_out r_err r_rc
  run_capture r podman info --format '{{.Store.GraphRoot}}'
  [ "$r_rc" = 0 ] || skip "podman does not work here: $(printf '%s\n' "$r_err" | tail -n1)"
  [ "$r_out" = "$TBX_PRIVATE_TOP/graph" ] || fail "podman uses $r_out, not this test's storage"
}
# Everything goes, but only ever in the test's own storage.
tbx_private_podman_reset() {
  [ "$CONTAINERS_STORAGE_CONF" = "$TBX_PRIVATE_TOP/conf/storage.conf" ] || return 0
  podman rm --all --force --time 0 >/dev/null 2>&1
  podman rmi --all --force >/dev/null 2>&1
  podman system reset --force >/dev/null 2>&1
}

# tbx_fake_system_bus PATH: a Unix socket file at PATH that nobody listens on,
# open to the rootless user, removed when the test exits. Upstream Toolbx
# 0.0.99.3 refuses to create a container without a D-Bus system bus socket to
# bind-mount (we skip a missing one); point DBUS_SYSTEM_BUS_ADDRESS at it.
tbx_fake_system_bus() {
  python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1" ||
    fail "cannot make a socket file at $1"
  chmod 666 "$1"
  tbx_on_exit rm -f "$1"
}

# tbx_upstream: prints the path of Debian's podman-toolbox (upstream Toolbx
# 0.0.99.3, the parity oracle), $TOOLBOX_UPSTREAM or /usr/bin/toolbox, when it
# is installed and is not this build; prints nothing otherwise. Says which on
# stderr.
tbx_upstream() {
  local u=${TOOLBOX_UPSTREAM:-/usr/bin/toolbox}
  if [ -x "$u" ] && [ "$(readlink -f "$u")" != "$(readlink -f "$TOOLBOX_BIN")" ] &&
    "$u" --version 2>/dev/null | grep -q '^toolbox version '; then
    say "comparing with $u ($("$u" --version))" >&2
    printf '%s\n' "$u"
  else
    say "no upstream toolbox at $u (apt-get install podman-toolbox): comparisons skipped" >&2
    # Not skip_part here: this runs in $(...); tbx_need_upstream in the test does it.
  fi
}

# Storage per driver (TOOLBOX_TEST_STORAGE_DRIVER): podman keeps the driver it
# first used in its database and refuses another one over the same graphroot.
tbx_storage_dir() { printf '%s\n' "$TOOLBOX_TEST_CACHE/podman/storage/$TOOLBOX_TEST_STORAGE_DRIVER"; }

# tbx_podman_setup "$@": call first. Re-executes the test, once, in a mount
# namespace of its own whose mounts are shared: `--volume /:/run/host:rslave`
# only follows mounts if / is a shared (or slave) mount (on a private / the
# bind silently gets no master), and rootless podman warns that "/" is not a
# shared mount. Private first, then shared: new peer groups, so that nothing
# mounted here (binfmt_misc, containers, debootstrap's /proc) reaches the
# machine even where its / is shared. Then points podman at the test-only
# configuration and storage and checks that root's podman works.
tbx_podman_setup() {
  need_root
  need_cmd podman runc unshare findmnt
  if [ -z "${TBX_IN_PODMAN_NS:-}" ]; then
    unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
    exec env TBX_IN_PODMAN_NS=1 unshare -m --propagation private bash "$0" "$@"
  fi
  mount --make-rshared /
  [ "$(findmnt -no PROPAGATION /)" = shared ] || fail "/ is not a shared mount after mount --make-rshared /"
  local conf="$TOOLBOX_TEST_CACHE/podman/conf/root"
  mkdir -p "$TBX_PODMAN_RUN"
  # Podman would make it 0700, closing the rootless user's storage below it.
  install -d -m 0755 "$TOOLBOX_TEST_CACHE/podman" "$TOOLBOX_TEST_CACHE/podman/storage" "$(tbx_storage_dir)"
  tbx_podman_conf "$conf" "$TBX_PODMAN_RUN/libpod" "$(tbx_storage_dir)/root" "$TBX_PODMAN_RUN/storage"
  export CONTAINERS_CONF="$conf/containers.conf" CONTAINERS_STORAGE_CONF="$conf/storage.conf"
  run_capture r podman info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}}'
  [ "$r_rc" = 0 ] || skip "podman does not work here: $(printf '%s\n' "$r_err" | tail -n1)"
  say "podman $(podman version --format '{{.Client.Version}}'): runtime and storage driver: $r_out"
}

# --- The rootless user.
# tbx_rootless_user: creates (once) the user $TBX_TEST_USER with a home, /bin/bash
# and 65536 subordinate UIDs and GIDs, and prints its name.
tbx_rootless_user() {
  local u=$TBX_TEST_USER
  mkdir -p "$TOOLBOX_TEST_CACHE"
  (
    flock 9
    if ! getent passwd "$u" >/dev/null; then
      useradd --create-home --user-group --shell /bin/bash --comment "Toolbx tests" "$u" >&2 || exit 3
    fi
    [ "$(getent passwd "$u" | cut -d: -f7)" = /bin/bash ] || usermod --shell /bin/bash "$u" >&2 || exit 3
    # useradd allocates ranges only if login.defs says so and /etc/sub?id exist.
    touch /etc/subuid /etc/subgid
    if ! grep -q "^$u:" /etc/subuid || ! grep -q "^$u:" /etc/subgid; then
      local start
      start=$(awk -F: 'BEGIN { m = 100000 } $2 + $3 > m { m = $2 + $3 } END { print m }' /etc/subuid /etc/subgid)
      grep -q "^$u:" /etc/subuid || usermod --add-subuids "$start-$((start + 65535))" "$u" >&2 || exit 4
      grep -q "^$u:" /etc/subgid || usermod --add-subgids "$start-$((start + 65535))" "$u" >&2 || exit 4
    fi
  ) 9>"$TOOLBOX_TEST_CACHE/.user.lock" || fail "cannot create the test user $u"
  printf '%s\n' "$u"
}

# tbx_as_user CMD...: runs CMD as the test user, in its home, as after a login
# without a session manager: a clean environment, XDG_RUNTIME_DIR=/run/user/UID
# (made here with the owner and mode logind gives it), the user's own test
# configuration (see tbx_rootless_setup) and no D-Bus. setpriv, not sudo or
# runuser: no PAM, so no pam_systemd looking for a system bus.
tbx_as_user() {
  local u=$TBX_TEST_USER uid gid home
  uid=$(id -u "$u") gid=$(id -g "$u") home=$(getent passwd "$u" | cut -d: -f6)
  local run=/run/user/$uid conf="$TOOLBOX_TEST_CACHE/podman/conf/$u"
  [ -d "$run" ] || install -d -o "$uid" -g "$gid" -m 0700 "$run"
  (
    cd "$home" || exit
    exec setpriv --reuid="$uid" --regid="$gid" --init-groups \
      env -i HOME="$home" USER="$u" LOGNAME="$u" SHELL=/bin/bash \
      PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 XDG_RUNTIME_DIR="$run" \
      CONTAINERS_CONF="$conf/containers.conf" CONTAINERS_STORAGE_CONF="$conf/storage.conf" \
      "$@"
  )
}

# The pause process keeps rootless podman's user and mount namespace alive
# between commands; later podman commands join it.
tbx_rootless_pause_pid() {
  local uid pid
  uid=$(id -u "$TBX_TEST_USER")
  pid=$(cat "/run/user/$uid/libpod/tmp/pause.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(stat -c %u "/proc/$pid")" = "$uid" ] || return 1
  printf '%s\n' "$pid"
}

tbx_rootless_stop_pause() {
  local pid
  pid=$(tbx_rootless_pause_pid) || return 0
  kill "$pid" 2>/dev/null || true
}

# tbx_rootless_setup (after tbx_podman_setup): makes the user, writes its
# configuration (storage under the cache, owned by it) and checks that
# rootless podman works. The pause process is stopped when the test exits:
# left behind, it would keep this test's mount namespace for the next run.
tbx_rootless_setup() {
  local u uid
  need_cmd newuidmap newgidmap setpriv
  u=$(tbx_rootless_user)
  uid=$(id -u "$u")
  local storage
  storage="$(tbx_storage_dir)/$u"
  [ -d "$storage" ] || install -d -o "$uid" -g "$(id -g "$u")" -m 0700 "$storage"
  tbx_podman_conf "$TOOLBOX_TEST_CACHE/podman/conf/$u" "/run/user/$uid/libpod/tmp" "$storage" "/run/user/$uid/containers"
  # A pause process from another mount namespace (an earlier run, or podman
  # run by hand) would not see this namespace's shared /: replace it, unless
  # containers of another test are running in it.
  if tbx_rootless_pause_pid >/dev/null && [ -z "$(tbx_as_user podman ps -q 2>/dev/null)" ]; then
    tbx_rootless_stop_pause
  fi
  tbx_on_exit tbx_rootless_stop_pause
  run_capture r tbx_as_user podman info --format '{{.Host.Security.Rootless}} {{.Store.GraphDriverName}} {{.Store.GraphRoot}}'
  [ "$r_rc" = 0 ] || skip "rootless podman does not work for $u: $(printf '%s\n' "$r_err" | tail -n1)"
  [ "$r_out" = "true $TOOLBOX_TEST_STORAGE_DRIVER $storage" ] || fail "rootless podman info: '$r_out'"
  say "rootless podman works for $u (uid $uid)"
}

# --- Images.
# tbx_toolbox_recipe [EXTRA]: a short name of the package list (plus the
# comma-separated EXTRA packages) and the steps, part of the root's and the
# image archive's file names: trees of this project with other lists share one
# cache, and each keeps its own root instead of rebuilding the other's (a
# debootstrap of minutes) at every run.
tbx_toolbox_recipe() {
  printf '%s %s' "$TBX_TOOLBOX_PACKAGES${1:+,$1}" "$TBX_TOOLBOX_ROOT_STEPS" | sha256sum | cut -c1-8
}

# tbx_toolbox_root SUITE [EXTRA]: prints the path of a minbase root of SUITE
# plus $TBX_TOOLBOX_PACKAGES and the comma-separated EXTRA packages, built once
# with debootstrap in the test cache (apart from tests/lib/roots.sh's, which
# stay minbase). ROOT.key names the build.
tbx_toolbox_root() {
  local suite=$1 extra=${2:-} top="$TOOLBOX_TEST_CACHE/podman/roots"
  local packages="$TBX_TOOLBOX_PACKAGES${extra:+,$extra}" dir
  dir="$top/$suite-toolbox-$(tbx_toolbox_recipe "$extra")"
  mkdir -p "$top"
  (
    flock 9
    if [ ! -x "$dir/bin/sh" ] || [ "$(cut -d' ' -f2-3 "$dir.key" 2>/dev/null)" != "$packages $TBX_TOOLBOX_ROOT_STEPS" ]; then
      command -v debootstrap >/dev/null || exit 3
      rm -rf "$dir.tmp" "$dir" "$dir.key"
      mkdir -p "$top/debs/$suite"
      # In two stages, to let the second one's dpkg skip fsync: that halves a
      # cold build on ext4 (about 90 s to 55 s for bullseye).
      debootstrap --foreign --variant=minbase --include="$packages" --cache-dir="$top/debs/$suite" \
        "$suite" "$dir.tmp" "${TOOLBOX_TEST_MIRROR:-http://deb.debian.org/debian}" \
        >"$dir.log" 2>&1 || exit 4
      mkdir -p "$dir.tmp/etc/dpkg/dpkg.cfg.d"
      echo force-unsafe-io >"$dir.tmp/etc/dpkg/dpkg.cfg.d/toolbox-tests"
      chroot "$dir.tmp" /debootstrap/debootstrap --second-stage >>"$dir.log" 2>&1 || exit 4
      rm "$dir.tmp/etc/dpkg/dpkg.cfg.d/toolbox-tests"
      # debootstrap leaves the .debs in the root too; the image needs none of them.
      rm -rf "$dir.tmp/var/cache/apt/archives/"*.deb "$dir.tmp/var/cache/apt/"*.bin "$dir.tmp/var/lib/apt/lists/"*
      # pkcs11-modules-dir: init-container configures the host's CA certificates
      # only where /etc/pkcs11/modules exists, as Fedora's p11-kit ships it;
      # Debian's packages do not.
      mkdir -p "$dir.tmp/etc/pkcs11/modules"
      mv "$dir.tmp" "$dir"
      printf '%s %s %s %s\n' "$suite" "$packages" "$TBX_TOOLBOX_ROOT_STEPS" "$(date -u +%Y%m%dT%H%M%S)" >"$dir.key"
    fi
  ) 9>"$top/.${dir##*/}.lock" || return 1
  printf '%s\n' "$dir"
}

# tbx_toolbox_image SUITE TAG [USER [EXTRA]]: makes sure root's storage (or,
# with USER, the rootless user's) holds localhost/debian-toolbox:TAG, a Toolbx
# image of tbx_toolbox_root SUITE EXTRA, and prints that name. The image is made with
# `podman import` (no registry needed) and kept as a `podman save` archive in
# the cache, so other storages load it in seconds. Its label
# $TBX_IMAGE_KEY_LABEL names the root it was made from: a rebuilt root
# rebuilds the image.
tbx_toolbox_image() {
  local suite=$1 tag=$2 user=${3:-} extra=${4:-} name="localhost/debian-toolbox:$2" root key
  local dir="$TOOLBOX_TEST_CACHE/podman/images"
  local tar
  tar="$dir/debian-toolbox-$tag-$(tbx_toolbox_recipe "$extra").tar"
  local -a pm=(podman)
  if [ -n "$user" ]; then
    [ "$user" = "$TBX_TEST_USER" ] || fail "tbx_toolbox_image: only $TBX_TEST_USER is set up, not '$user'"
    pm=(tbx_as_user podman)
  fi
  root=$(tbx_toolbox_root "$suite" "$extra") || { say "cannot build a $suite root with $TBX_TOOLBOX_PACKAGES${extra:+,$extra} (see $TOOLBOX_TEST_CACHE/podman/roots/$suite-toolbox-$(tbx_toolbox_recipe "$extra").log)"; return 1; }
  key=$(cat "$root.key")
  mkdir -p "$dir"
  (
    flock 9
    have=$("${pm[@]}" image inspect --format "{{.Id}} {{index .Labels \"$TBX_IMAGE_KEY_LABEL\"}}" "$name" 2>/dev/null) || true
    [ "${have#* }" != "$key" ] || exit 0
    if [ -f "$tar" ] && [ "$(cat "$tar.key" 2>/dev/null)" = "$key" ]; then
      "${pm[@]}" load --quiet <"$tar" >/dev/null || exit 5
    else
      tar -C "$root" -c . |
        "${pm[@]}" import --quiet \
          --change "LABEL com.github.containers.toolbox=true" \
          --change "LABEL $TBX_IMAGE_KEY_LABEL=\"$key\"" \
          --change 'CMD ["/bin/bash"]' - "$name" >/dev/null || exit 6
      rm -f "$tar.key"
      "${pm[@]}" save --format docker-archive "$name" >"$tar.tmp" || exit 7
      mv "$tar.tmp" "$tar"
      printf '%s\n' "$key" >"$tar.key"
    fi
    # The image of an older root lost its name: remove it unless a container uses it.
    [ -z "$have" ] || "${pm[@]}" rmi "${have%% *}" >/dev/null 2>&1 || true
  ) 9>"$dir/.debian-toolbox-$tag.lock" || { say "cannot make the image $name${user:+ for $user}"; return 1; }
  printf '%s\n' "$name"
}

# --- The global binfmt_misc instance.
TBX_BINFMT_DIR=/proc/sys/fs/binfmt_misc

# tbx_global_binfmt_ready: makes the global instance usable by this test
# alone. Tests that use it hold an exclusive lock for the rest of their run,
# because an entry there applies to every process on the machine: another
# test's entry would make this one's "fails without the entry" meaningless.
# binfmt_misc is mounted here if needed, in the test's own mount namespace.
tbx_global_binfmt_ready() {
  [ -n "${TBX_GLOBAL_BINFMT_LOCK:-}" ] && return 0
  [ -n "${TBX_IN_PODMAN_NS:-}" ] || fail "tbx_global_binfmt_ready needs tbx_podman_setup first"
  # From Linux 6.7 a binfmt_misc mount in another user namespace is a private instance.
  [ "$(tr -s ' ' </proc/self/uid_map)" = " 0 0 4294967295" ] ||
    skip "not in the initial user namespace: the global binfmt_misc instance is out of reach"
  if [ ! -e "$TBX_BINFMT_DIR/register" ]; then
    mount -t binfmt_misc binfmt_misc "$TBX_BINFMT_DIR" 2>/dev/null || skip "cannot mount binfmt_misc"
  fi
  [ "$(cat "$TBX_BINFMT_DIR/status")" = enabled ] || skip "binfmt_misc is disabled on this machine"
  exec {TBX_GLOBAL_BINFMT_LOCK}>"$TOOLBOX_TEST_CACHE/.global-binfmt.lock"
  flock "$TBX_GLOBAL_BINFMT_LOCK"
  local foreign
  foreign=$(tbx_global_binfmt_foreign)
  [ -z "$foreign" ] || skip "the global binfmt_misc instance already has an enabled entry for marked ELF files ($foreign): without-the-entry checks would prove nothing"
  # From here on the test may run enter and run, which leave a p11-kit server
  # behind (ours and upstream Toolbx's alike): stop the ones this test starts.
  tbx_p11kit_stop_on_exit /run/toolbox/pkcs11
  if getent passwd "$TBX_TEST_USER" >/dev/null; then
    tbx_p11kit_stop_on_exit "/run/user/$(id -u "$TBX_TEST_USER")/toolbox/pkcs11"
  fi
}

# --- The p11-kit server that enter and run start (reference §5.1 step 7).
# tbx_p11kit_server_pids SOCKET: prints the PIDs of the p11-kit servers at
# SOCKET. p11-kit 0.24 execs its helper p11-kit-server with argv
# "server --name SOCKET ...".
tbx_p11kit_server_pids() {
  local socket=$1 p
  local -a argv
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = p11-kit-server ] || continue
    mapfile -d '' argv 2>/dev/null <"$p/cmdline" || continue
    [ "${argv[1]:-}" = --name ] && [ "${argv[2]:-}" = "$socket" ] && printf '%s\n' "${p#/proc/}"
  done
  return 0
}

# tbx_p11kit_stop_on_exit SOCKET: when the test exits, stops (by PID) the
# p11-kit servers at SOCKET that are not running now, and waits for them to
# remove their socket. One that was there before is not the test's to stop.
tbx_p11kit_stop_on_exit() {
  tbx_on_exit tbx_p11kit_stop_new "$1" "$(tbx_p11kit_server_pids "$1" | tr '\n' ' ')"
}

tbx_p11kit_stop_new() {
  local socket=$1 before=" $2 " pid i
  local -a stopped=()
  for pid in $(tbx_p11kit_server_pids "$socket"); do
    case $before in *" $pid "*) continue ;; esac
    kill "$pid" 2>/dev/null && stopped+=("$pid")
  done
  # SIGTERM: it leaves its accept loop and removes the socket.
  for ((i = 0; i < 50 && ${#stopped[@]} > 0; i++)); do
    local -a alive=()
    for pid in "${stopped[@]}"; do [ ! -d "/proc/$pid" ] || [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] || alive+=("$pid"); done
    stopped=("${alive[@]}")
    [ ${#stopped[@]} = 0 ] || sleep 0.1
  done
  return 0
}

# tbx_global_binfmt_foreign: prints the enabled global entries that match the
# same files as binfmt.d/toolbox.conf (same offset and magic), e.g. an
# installed toolbox's.
tbx_global_binfmt_foreign() {
  local offset magic e
  local -a found=()
  offset=$(grep '^:toolbox:' "$TOOLBOX_BINFMT_CONF" | cut -d: -f4)
  magic=$(grep '^:toolbox:' "$TOOLBOX_BINFMT_CONF" | cut -d: -f5 | sed 's/\\x//g' | tr 'A-F' 'a-f')
  for e in "$TBX_BINFMT_DIR"/*; do
    case ${e##*/} in register | status) continue ;; esac
    [ "$(head -n1 "$e" 2>/dev/null)" = enabled ] || continue
    if grep -qx "offset $offset" "$e" && grep -qx "magic $magic" "$e"; then found+=("${e##*/}"); fi
  done
  [ ${#found[@]} = 0 ] || printf '%s\n' "${found[*]}"
}

# tbx_global_binfmt_register NAME: registers the build's handler in the global
# instance as NAME (make it unique: the instance is shared by the machine),
# with systemd-binfmt, and removes it when the test exits, whatever happens.
tbx_global_binfmt_register() {
  local name=$1 conf
  tbx_global_binfmt_ready
  [ -x "$TBX_SYSTEMD_BINFMT" ] || skip "needs systemd-binfmt"
  # systemd-binfmt would silently replace an entry of the same name.
  [ ! -e "$TBX_BINFMT_DIR/$name" ] || fail "a global binfmt_misc entry '$name' exists already"
  conf=$(mktemp --suffix=.conf)
  tbx_test_conf "$name" "$conf"
  tbx_on_exit tbx_unregister "$name"
  "$TBX_SYSTEMD_BINFMT" "$conf" || { rm -f "$conf"; fail "systemd-binfmt could not register $name"; }
  rm -f "$conf"
  [ "$(head -n1 "$TBX_BINFMT_DIR/$name" 2>/dev/null)" = enabled ] || fail "global entry $name not registered"
}

# tbx_podman_shim: sets TBX_PODMAN_SHIM to a directory (removed when the test
# exits) with a podman that appends its arguments, one line per launch, to
# $TBX_PODMAN_SHIM/log and execs the real one; put it first in PATH. The
# rootless test user can use it too. Not in $(...), as tbx_toolbox_for_user.
tbx_podman_shim() {
  local dir
  dir=$(mktemp -d)
  tbx_on_exit rm -rf "$dir"
  chmod 755 "$dir"
  printf '#!/bin/sh\necho "$*" >>%s/log\nexec %s "$@"\n' "$dir" "$(command -v podman)" >"$dir/podman"
  chmod 755 "$dir/podman"
  touch "$dir/log"
  chmod 666 "$dir/log"
  TBX_PODMAN_SHIM=$dir
}

# tbx_toolbox_for_user: sets TBX_USER_TOOLBOX to a copy of the build's toolbox
# that the rootless test user can read and podman can bind-mount (the build
# tree may be closed to it); removed when the test exits. Not in $(...): the
# clean-up must be registered in the test's own shell.
tbx_toolbox_for_user() {
  local dir
  dir=$(mktemp -d)
  tbx_on_exit rm -rf "$dir"
  chmod 755 "$dir"
  cp "$TOOLBOX_BIN" "$dir/toolbox"
  TBX_USER_TOOLBOX=$dir/toolbox
}
