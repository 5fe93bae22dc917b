#!/bin/bash
# Inside a Toolbx container, toolbox forwards its command line to the host
# with `flatpak-spawn --host`: rootless, through the handler, in a Debian 11
# container that has flatpak-spawn (flatpak-xdg-utils), with a real D-Bus
# session bus for the test user that activates the real Flatpak session helper
# on the host. Also: enter's OSC 777 container tracking sequences on stdout,
# and none from run.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
need_cmd dbus-daemon
helper=/usr/libexec/flatpak-session-helper
[ -x "$helper" ] || skip "no $helper (Debian's flatpak)"
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
uid=$(id -u "$user")
image=$(tbx_toolbox_image bullseye 11-flatpak "$user" flatpak-xdg-utils) || skip "cannot make the Debian 11 image with flatpak-spawn"
tbx_global_binfmt_ready
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
c=tbx-$$-forward
tbx_on_exit tbx_as_user podman rm --force --time 0 --ignore "$c"
tbx_global_binfmt_register toolbox-test-$$
u() { tbx_as_user "$@"; }

# The user's session bus, as a desktop session would have it; it starts the
# Flatpak session helper on demand (org.freedesktop.Flatpak.service).
bus=/run/user/$uid/tbx-test-bus-$$
pid=$(u dbus-daemon --session --address="unix:path=$bus" --fork --print-pid) || fail "cannot start a D-Bus session bus"
# The session helper is the bus's child: it goes when the bus goes.
tbx_on_exit kill "$pid"
export_bus=(env DBUS_SESSION_BUS_ADDRESS="unix:path=$bus")

u "$tb" create --image "$image" "$c" >/dev/null || fail "create failed"
# Debian's flatpak-xdg-utils keeps flatpak-spawn off $PATH: toolbox finds it.
run_capture r u "$tb" run -c "$c" sh -c 'command -v flatpak-spawn || echo "not on PATH"; test -x /usr/libexec/flatpak-xdg-utils/flatpak-spawn && test -e /run/.toolbxenv && echo marked'
expect_eq "the container has flatpak-spawn (off PATH) and the Toolbx mark" "$r_out" $'not on PATH\nmarked'

# list inside: only the host's podman knows the containers (there is none inside).
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox list --containers
expect_eq "list inside the container: exit 0" "$r_rc" 0
expect_match "list inside the container is the host's list" "$r_out" "^[0-9a-f]{12} +$c +"
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" sh -c 'command -v podman || echo "no podman"'
expect_eq "and the container has no podman of its own" "$r_out" "no podman"

# Errors and exit codes come back unchanged from the host's toolbox.
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox rm tbx-no-such-container-$$
expect_eq "a host error: its exit code" "$r_rc" 1
expect_match "a host error: its message" "$r_err" "^Error: failed to inspect container tbx-no-such-container-$$$"
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox create 'bad name'
expect_match "a usage error from the host" "$r_err" "^Container names must match"

# It is the host's toolbox, the file at $TOOLBOX_PATH, that runs (the one in
# the container forwards before it logs anything).
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox --log-level debug list --containers
expect_match "forwarding runs the host's toolbox" "$r_err" "Resolved absolute path to the executable as $tb\"$"
# Forwarding follows the parsed command, not words of COMMAND (issue #9: a
# `binfmt` among run's arguments kept the command inside).
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox run -c "$c" echo binfmt
expect_eq "run with a word 'binfmt' in COMMAND is forwarded" "$r_rc|$r_out" "0|binfmt"

# Without the session helper (no bus), or without flatpak-spawn, it fails visibly.
run_capture r u env DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/tbx-no-bus-$$" "$tb" run -c "$c" toolbox list
[ "$r_rc" != 0 ] || fail "forwarding without a session bus succeeded"
ok "without a session bus forwarding fails (exit $r_rc)"
expect_match "without a session bus: flatpak-spawn says why" "$r_err" "Could not connect"
spawn=/usr/libexec/flatpak-xdg-utils/flatpak-spawn
# (sudo warns that it cannot resolve the hostname toolbx: /etc/hosts is the host's.)
u "$tb" run -c "$c" sudo mv "$spawn" "$spawn.off" 2>/dev/null || fail "cannot hide flatpak-spawn"
run_capture r u "${export_bus[@]}" "$tb" run -c "$c" toolbox list
u "$tb" run -c "$c" sudo mv "$spawn.off" "$spawn" 2>/dev/null
expect_eq "without flatpak-spawn: exit 1" "$r_rc" 1
expect_eq "without flatpak-spawn: what to install" "$r_err" $'Error: flatpak-spawn(1) not found\nInstall flatpak-xdg-utils in the container to run toolbox from it.'

# enter prints OSC 777 push before and pop after the shell; run prints none.
run_capture r u "$tb" enter -c "$c" </dev/null
expect_eq "enter without a terminal: the shell ends with its input" "$r_rc" 0
printf -v push '\e]777;container;push;%s;toolbox;%s\e\\' "$c" "$uid"
printf -v pop '\e]777;container;pop;;;%s\e\\' "$uid"
expect_eq "enter: OSC 777 push and pop around the shell" "$r_out" "$push$pop"
run_capture r u "$tb" run -c "$c" true
expect_eq "run: no escape sequences" "$r_out" ""
done_ok
