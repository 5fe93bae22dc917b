#!/bin/bash
# Real podman, rootful and rootless, with the `podman create` options of
# `toolbox create` (reference 3.3) that matter to the handler: in a Debian 11
# container (glibc 2.31) the marked probe fails without the global binfmt_misc
# entry, and with it runs on the host's libc, found through /run/host.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
host_glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)
image_root=$(tbx_toolbox_image bullseye 11) || skip "cannot make the Debian 11 image"
image_user=$(tbx_toolbox_image bullseye 11 "$user") || skip "cannot make the Debian 11 image for $user"
# From here on no other test may touch the global instance, and nothing may
# have an entry there for marked files.
tbx_global_binfmt_ready

# The rootless user bind-mounts the binaries: copy them if it cannot read the build tree.
bin=$TOOLBOX_BIN probe=$TOOLBOX_PROBE
if ! tbx_as_user test -r "$bin" -a -r "$probe"; then
  copies=$(mktemp -d)
  tbx_on_exit rm -rf "$copies"
  chmod 755 "$copies"
  cp "$bin" "$probe" "$copies/"
  bin=$copies/${bin##*/} probe=$copies/${probe##*/}
  say "$user cannot read the build tree: using copies in $copies"
fi

pm() {
  local mode=$1
  shift
  if [ "$mode" = rootless ]; then tbx_as_user podman "$@"; else podman "$@"; fi
}
remove_container() { pm "$1" rm --force --time 0 --ignore "$2" >/dev/null 2>&1; }

# The options of `toolbox create`, less those for sockets that do not exist here
# (D-Bus system bus, Avahi, KCM, pcscd) and toolbox.sh; sleep stands in for
# init-container.
create_container() {
  local mode=$1 name=$2 image=$3
  local -a o=(--cgroupns host --dns none --hostname toolbx --ipc host
    --label com.github.containers.toolbox=true --mount type=devpts,destination=/dev/pts
    --name "$name" --network host --no-hosts --pid host --privileged
    --security-opt label=disable --ulimit host --user root:root
    --volume /:/run/host:rslave --volume /dev:/dev:rslave
    --volume "$bin:/usr/bin/toolbox:ro" --volume "$probe:/usr/bin/toolbox-probe:ro")
  if [ "$mode" = rootless ]; then
    o+=(--env "XDG_RUNTIME_DIR=/run/user/$uid" --userns keep-id
      --volume "$home:$home:rslave" --volume "/run/user/$uid:/run/user/$uid")
  else
    o+=(--userns host --volume /root:/root:rslave)
  fi
  tbx_on_exit remove_container "$mode" "$name"
  run_capture r pm "$mode" create "${o[@]}" "$image" sleep infinity
  [ "$r_rc" = 0 ] || fail "$mode: podman create: $r_err"
  run_capture r pm "$mode" start "$name"
  [ "$r_rc" = 0 ] || fail "$mode: podman start: $r_err"
  ok "$mode: a container with toolbox's options (--ulimit host, --privileged, ...) starts"
}

# Who runs commands in each: the user itself, as `toolbox enter` does; with
# --userns keep-id the rootless user keeps its UID inside.
declare -A name=([rootful]=toolbox-smoke-$$-rootful [rootless]=toolbox-smoke-$$-rootless)
declare -A as=([rootful]=0 [rootless]=$uid)
create_container rootful "${name[rootful]}" "$image_root"
create_container rootless "${name[rootless]}" "$image_user"
in_container() { local mode=$1; shift; pm "$mode" exec --user "${as[$mode]}" "${name[$mode]}" "$@"; }

for mode in rootful rootless; do
  run_capture r in_container "$mode" cat /etc/debian_version
  expect_match "$mode: the container is Debian 11" "$r_out" '^11\.'
  run_capture r in_container "$mode" awk '$5 == "/run/host" { print $7 }' /proc/self/mountinfo
  expect_match "$mode: /run/host receives the host's mounts (rslave)" "$r_out" '^master:[0-9]+$'
  run_capture r in_container "$mode" sh -c 'id -u; stat -c %u "$1"' sh "/run/host$home"
  expect_eq "$mode: runs as ${as[$mode]}; $user's home is $uid's inside too" "$r_out" "${as[$mode]}
$uid"
  run_capture r in_container "$mode" /usr/bin/toolbox-probe libc
  [ "$r_rc" != 0 ] || fail "$mode: the probe ran in Debian 11 without the entry; the test proves nothing"
  expect_match "$mode: without the entry the container's glibc is too old" "$r_err" "GLIBC_2\.3[2-9]' not found"
done

tbx_global_binfmt_register "toolbox-smoke-$$"
for mode in rootful rootless; do
  run_capture r in_container "$mode" /usr/bin/toolbox-probe libc
  expect_eq "$mode: with the entry the probe runs" "$r_rc" 0
  expect_match "$mode: on the host's libc" "$r_out" "^libc-path=/run/host/usr/lib/x86_64-linux-gnu/libc\.so\.6$"
  expect_match "$mode: glibc is the host's ($host_glibc)" "$r_out" "^libc-version=$host_glibc$"
  run_capture r in_container "$mode" toolbox --version
  expect_match "$mode: toolbox runs from /usr/bin/toolbox" "$r_out" '^toolbox version '
done

tbx_unregister "toolbox-smoke-$$"
for mode in rootful rootless; do
  run_capture r in_container "$mode" /usr/bin/toolbox-probe libc
  [ "$r_rc" != 0 ] || fail "$mode: the probe still runs after the entry was removed"
  ok "$mode: after removing the entry it fails again"
done
done_ok
