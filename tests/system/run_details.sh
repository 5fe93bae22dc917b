#!/bin/bash
# The details of run and enter, rootless, through the handler in a Debian 11
# container: --preserve-fds, the login shell, the working directory fallback,
# the environment allowlist, /etc redirects, the test hooks of the entry point
# (failing and slow), interactive enter in a real terminal (tmux), and
# interoperability with upstream Toolbx (Debian's podman-toolbox) both ways.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
. "$(dirname "$0")/../lib/tmux.sh"
need_root
need_cmd tmux
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
home=$(getent passwd "$user" | cut -d: -f6)
tbx_toolbox_image bullseye 11 "$user" >/dev/null || skip "cannot make the Debian 11 image"
tbx_global_binfmt_ready
# The binary every container bind-mounts: a copy the rootless user can read.
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
c=tbx-$$-details
tbx_on_exit tbx_as_user podman rm --force --time 0 --ignore "$c" "$c-fail" "$c-slow" "$c-up" "$c-ours" "$c-dep"
tbx_global_binfmt_register toolbox-test-$$
u() { tbx_as_user "$@"; }

u "$tb" create --distro debian --release 11 "$c" >/dev/null || fail "create failed"
run_capture r u "$tb" run -c "$c" true
expect_eq "first run starts and initialises the container" "$r_rc" 0

# The warm path: at most 2 podman launches (1 once the container is cached).
tbx_podman_shim
shim=$TBX_PODMAN_SHIM
u env PATH="$shim:/usr/bin:/bin" "$tb" run -c "$c" true
expect_eq "warm run: podman launches" "$(grep -c . "$shim/log")" "1"
expect_match "warm run: the one launch is the exec" "$(cat "$shim/log")" "^--log-level error exec "
u podman stop --time 0 "$c" >/dev/null
: >"$shim/log"
run_capture r u env PATH="$shim:/usr/bin:/bin" "$tb" run -c "$c" true
expect_eq "after a stop the cache is not trusted: it starts the container again" "$r_rc" 0
expect_match "after a stop: inspect and start" "$(cat "$shim/log")" "start $c"

# A container with a mount that Toolbx deprecated: the warning (made from the
# first container's own create command line). Rootless runc cannot make that
# mount point in the host's / here, so the start fails after the warning.
mapfile -t cc < <(u podman inspect --format '{{range .Config.CreateCommand}}{{println .}}{{end}}' "$c")
at=
for i in "${!cc[@]}"; do
  [ "${cc[i]}" != "$c" ] || cc[i]=$c-dep
  [ -n "$at" ] || [ "${cc[i]}" != create ] || at=$((i + 1))
done
[ -n "$at" ] || fail "no create in the create command of $c: ${cc[*]}"
u "${cc[@]:0:at}" --volume /tmp:/run/host/monitor "${cc[@]:at}" >/dev/null || fail "cannot create $c-dep"
run_capture r u "$tb" run -c "$c-dep" true
expect_match "a deprecated mount: the warning" "$r_err" "^Warning: container $c-dep uses deprecated features$"
expect_match "a deprecated mount: the advice" "$r_err" "^Consider recreating it with Toolbx version 0.0.97 or newer.$"
u podman rm --force --time 0 "$c-dep" >/dev/null
# The run cache keeps that fact, so the warning survives the fast path.
cache=$(tbx_as_user sh -c 'echo "$XDG_RUNTIME_DIR"')/toolbox/run-cache-$c
run_capture r u "$tb" run -c "$c" true
expect_no_match "no deprecated mount: no warning" "$r_err" "Warning"
expect_match "the run cache records no deprecated mount" "$(cat "$cache")" "^[0-9]+ [0-9]+ [0-9a-f]+ 0$"
sed -i 's/ 0$/ 1/' "$cache"
run_capture r u "$tb" run -c "$c" true
expect_match "a deprecated mount recorded in the cache: the warning" "$r_err" "^Warning: container $c uses deprecated features$"
sed -i 's/ 1$/ 0/' "$cache"

# --preserve-fds: descriptor 3 reaches the command.
run_capture r u bash -c "exec 3</etc/hostname; '$tb' run -c '$c' --preserve-fds 1 sh -c 'cat <&3'"
expect_eq "--preserve-fds 1 passes descriptor 3" "$r_out" "$(cat /etc/hostname)"
run_capture r u "$tb" run -c "$c" --preserve-fds 1000000 true
expect_eq "an invalid --preserve-fds: podman's error, 125" "$r_rc" 125
expect_match "an invalid --preserve-fds: message" "$r_err" "^Error: failed to invoke 'podman exec' in container $c$"

# A login shell: ~/.bash_profile is read before the command.
u sh -c 'echo "echo bash_profile read" > ~/.bash_profile'
run_capture r u "$tb" run -c "$c" true
expect_eq "run uses a login shell" "$r_out" "bash_profile read"
u rm -f "$home/.bash_profile"

# Working directory: the same as on the host, else $HOME with a message.
run_capture r u sh -c "cd /usr/share && '$tb' run -c '$c' pwd"
expect_eq "the host's working directory" "$r_out" "/usr/share"
hostonly=/usr/local/share/tbx-only-on-the-host-$$
mkdir -p "$hostonly"
tbx_on_exit rmdir "$hostonly"
run_capture r u sh -c "cd '$hostonly' && '$tb' run -c '$c' pwd"
expect_eq "a directory missing in the container: \$HOME instead" "$r_out" "$home"
expect_match "a directory missing in the container: message" "$r_err" "^Error: directory $hostonly not found in container $c$"
expect_match "a directory missing in the container: fallback named" "$r_err" "^Using $home instead.$"

# Environment: the allowlist passes, others do not; HOSTNAME is not forwarded.
run_capture r u env LANG=C.UTF-8 TOOLBX_TEST_SECRET=1 "$tb" run -c "$c" sh -c 'echo "$LANG ${TOOLBX_TEST_SECRET:-unset} $(hostname)"'
expect_eq "environment allowlist" "$r_out" "C.UTF-8 unset toolbx"

# /etc redirects to the host.
run_capture r u "$tb" run -c "$c" readlink /etc/localtime
if [ -e /etc/localtime ]; then
  expect_eq "/etc/localtime redirected" "$r_out" "/run/host/etc/localtime"
else
  skip_part "the host has no /etc/localtime: its redirect is not checked"
fi
run_capture r u "$tb" run -c "$c" grep -c "^$user:" /etc/passwd
expect_eq "the user line in /etc/passwd" "$r_out" "1"

# The entry point's test hooks.
TOOLBX_FAIL_ENTRY_POINT=2 u env TOOLBX_FAIL_ENTRY_POINT=2 "$tb" create --distro debian --release 11 "$c-fail" >/dev/null
run_capture r u "$tb" run -c "$c-fail" true
expect_eq "failing entry point: exit 1" "$r_rc" 1
expect_match "failing entry point: its error is relayed" "$r_err" "^Error: TOOLBX_FAIL_ENTRY_POINT is set$"
expect_match "failing entry point: both lines" "$r_err" "^This environment variable should only be set when testing.$"
u env TOOLBX_DELAY_ENTRY_POINT=3 "$tb" create --distro debian --release 11 "$c-slow" >/dev/null
start=$(date +%s)
run_capture r u "$tb" run -c "$c-slow" true
expect_eq "slow entry point: run waits for it" "$r_rc" 0
[ $(($(date +%s) - start)) -ge 3 ] || fail "the slow entry point was not waited for"
ok "slow entry point: waited at least 3 s"
u podman stop --time 0 "$c-slow" >/dev/null
run_capture r u env TOOLBX_RUN_USE_POLLING=1 "$tb" -v run -c "$c-slow" true
expect_eq "polling for the stamp: exit 0" "$r_rc" 0
expect_match "polling for the stamp: ticker" "$r_err" "Setting up polling ticker for container $c-slow"
expect_no_match "polling for the stamp: no watches" "$r_err" "Setting up watches for file system events"

# create: validation, the download prompt without a terminal, --assumeyes.
run_capture r u "$tb" create 'bad name'
expect_eq "invalid container name: exit 1" "$r_rc" 1
expect_eq "invalid container name: message" "$r_err" $'Error: invalid argument for \'CONTAINER\'\nContainer names must match \'[a-zA-Z0-9][a-zA-Z0-9_.-]*\'.\nRun \'toolbox --help\' for usage.'
run_capture r u "$tb" create --distro debian --release foo
expect_match "invalid release: the rule" "$r_err" "^The release must be a positive integer, 'testing' or 'unstable'.$"
run_capture r u "$tb" create --distro debian --release 99 </dev/null
expect_eq "an image to download, no terminal: exit 1" "$r_rc" 1
expect_eq "an image to download, no terminal: message" "$r_err" $'Error: image required to create Toolbx container.\nUse option \'--assumeyes\' to download the image.\nRun \'toolbox --help\' for usage.'
run_capture r u "$tb" -y create --distro debian --release 99 </dev/null
expect_eq "--assumeyes: the pull is tried (no registry here): exit 1" "$r_rc" 1
expect_match "--assumeyes: the pull failed" "$r_err" "^Error: failed to pull image quay.io/toolbx-images/debian-toolbox:99$"

# Configuration defaults: ~/.config/containers/toolbox.conf.
u mkdir -p "$home/.config/containers"
printf '[general]\ndistro = "debian"\nrelease = "11"\n' | u tee "$home/.config/containers/toolbox.conf" >/dev/null
tbx_on_exit rm -f "$home/.config/containers/toolbox.conf"
tbx_on_exit tbx_as_user podman rm --force --time 0 --ignore debian-toolbox-11
run_capture r u "$tb" create
expect_eq "configuration defaults: the container's name" "$r_out" $'Created container: debian-toolbox-11\nEnter with: toolbox enter'
run_capture r u "$tb" run cat /etc/debian_version
expect_match "configuration defaults: run without --container" "$r_out" "^11\."
printf '[general\n' | u tee "$home/.config/containers/toolbox.conf" >/dev/null
run_capture r u "$tb" run true
expect_match "a broken configuration names file and line" "$r_err" "^Error: failed to parse file $home/.config/containers/toolbox.conf: line [0-9]+: "
u rm -f "$home/.config/containers/toolbox.conf"

# Interactive enter in a real terminal.
tbx_tmux_user_shell "$(mktemp -u)"
tbx_tmux_send "PS1='host\$ '; $tb enter $c"
tbx_tmux_wait "@toolbx"
ok "enter: the container's prompt appears"
tbx_tmux_send 'echo "in $(cat /etc/debian_version)"'
tbx_tmux_wait '^in 11\.'
ok "enter: commands run in the container"
tbx_tmux_send 'exit 5'
tbx_tmux_wait '^host\$ *$'
tbx_tmux_send 'echo "status $?"'
tbx_tmux_wait '^status 5$'
ok "enter: exit returns to the host shell with its status"

# Interoperability with upstream Toolbx (its binary is pinned to /run/host).
upstream=/usr/bin/toolbox
if [ -x "$upstream" ] && "$upstream" --version 2>/dev/null | grep -q '^toolbox version 0\.0\.99'; then
  # Upstream cannot create without a D-Bus system bus socket to bind-mount
  # (we skip a missing one): give it a socket file.
  bus=/tmp/tbx-fake-system-bus-$$
  tbx_fake_system_bus "$bus"
  u env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$bus" "$upstream" -y create --image localhost/debian-toolbox:11 "$c-up" >/dev/null ||
    fail "upstream's create failed"
  run_capture r u "$tb" run -c "$c-up" cat /etc/debian_version
  expect_match "a container of upstream Toolbx, started and run by ours" "$r_out" "^11\."
  u "$tb" create --distro debian --release 11 "$c-ours" >/dev/null
  run_capture r u "$upstream" run -c "$c-ours" cat /etc/debian_version
  expect_match "a container of ours, run by upstream Toolbx" "$r_out" "^11\."
else
  skip "upstream Toolbx (podman-toolbox) is not installed"
fi
done_ok
