#!/bin/bash
# NVIDIA CDI end to end, rootless, with real podman and a Debian 11 container:
# run generates the spec with nvidia-ctk before it starts a stopped container,
# saves it in the runtime directory, init-container applies it inside, and
# its environment reaches the command. The test machines have no NVIDIA GPU:
# a tmpfs over /proc/driver (in the test's own mount namespace) holds a fake
# nvidia/version, and a stand-in nvidia-ctk in $PATH prints a hand-made spec
# in nvidia-ctk's shape over a fake driver: a real tiny shared library, so
# that the container's ldconfig indexes it.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
need_root
need_cmd cc
tbx_podman_setup "$@"
tbx_rootless_setup
user=$(tbx_rootless_user)
uid=$(id -u "$user")
tbx_toolbox_image bullseye 11 "$user" >/dev/null || skip "cannot make the Debian 11 image"
tbx_global_binfmt_ready
tbx_toolbox_for_user
tb=$TBX_USER_TOOLBOX
c=tbx-$$-nvidia
tbx_on_exit tbx_as_user podman rm --force --time 0 --ignore "$c"
tbx_global_binfmt_register toolbox-test-$$
u() { tbx_as_user "$@"; }

# The fake driver, readable by the user and, through /run/host, the container.
H=$(mktemp -d /var/tmp/tbx-nvidia-XXXXXX)
tbx_on_exit rm -rf "$H"
chmod 755 "$H"
printf 'int nvmlInit_v2(void) { return 0; }\n' >"$H/nvml.c"
cc -shared -fPIC -Wl,-soname,libnvidia-ml.so.1 -o "$H/libnvidia-ml.so.550.1" "$H/nvml.c" ||
  fail "cannot build the fake libnvidia-ml"
lib=/usr/lib/x86_64-linux-gnu/nvidia-test
cat >"$H/spec.json" <<EOF
{
  "cdiVersion": "0.5.0",
  "kind": "nvidia.com/gpu",
  "devices": [{ "name": "all", "containerEdits": { "deviceNodes": [{ "path": "/dev/null" }] } }],
  "containerEdits": {
    "env": ["NVIDIA_VISIBLE_DEVICES=void"],
    "mounts": [
      { "hostPath": "$H/libnvidia-ml.so.550.1", "containerPath": "$lib/libnvidia-ml.so.550.1",
        "options": ["ro", "nosuid", "nodev", "bind"] }
    ],
    "hooks": [
      { "hookName": "createContainer", "path": "/usr/bin/nvidia-cdi-hook",
        "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "libnvidia-ml.so.1::$lib/libnvidia-ml.so"] },
      { "hookName": "createContainer", "path": "/usr/bin/nvidia-cdi-hook",
        "args": ["nvidia-cdi-hook", "update-ldcache", "--folder", "$lib"] }
    ]
  }
}
EOF
mkdir "$H/bin"
: >"$H/calls"
chmod 666 "$H/calls"
fake_ctk() {
  printf '#!/bin/sh\necho "$*" >>%s/calls\n%s\n' "$H" "$1" >"$H/bin/nvidia-ctk"
  chmod 755 "$H/bin/nvidia-ctk"
}
fake_ctk "[ \"\$*\" = 'cdi generate --format=json' ] || exit 3; echo 'level=info msg=\"Auto-detected mode as nvml\"' >&2; exec cat $H/spec.json"
calls() { grep -c . "$H/calls"; }
ur() { u env PATH="$H/bin:/usr/bin:/bin" "$tb" "$@"; }

mount -t tmpfs tmpfs /proc/driver || skip "cannot mount a tmpfs over /proc/driver"
mkdir /proc/driver/nvidia
echo 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.120  (fake, tests/system/nvidia_cdi.sh)' >/proc/driver/nvidia/version

u "$tb" create --distro debian --release 11 "$c" >/dev/null || fail "create failed"
probe='echo "${NVIDIA_VISIBLE_DEVICES:-unset}"; /sbin/ldconfig -p | grep -c "libnvidia-ml\.so\.1 "; readlink '"$lib"'/libnvidia-ml.so'
run_capture r ur run -c "$c" sh -c "$probe"
[ "$r_rc" = 0 ] || fail "first run: exit $r_rc: $r_err"
expect_eq "the spec is generated, applied inside, and its env reaches the command" "$r_out" \
  "$(printf 'void\n1\nlibnvidia-ml.so.1')"
expect_eq "nvidia-ctk ran once, as 'cdi generate --format=json'" "$(cat "$H/calls")" "cdi generate --format=json"
saved=/run/user/$uid/toolbox/cdi-nvidia.json
cmp -s "$H/spec.json" "$saved" || fail "the saved spec is not nvidia-ctk's output"
ok "the spec is saved in the runtime directory"
expect_eq "the saved spec is 0644" "$(stat -c %a "$saved")" 644

run_capture r ur run -c "$c" sh -c 'echo "${NVIDIA_VISIBLE_DEVICES:-unset}"'
expect_eq "a running container: the saved spec's env" "$r_out" void
expect_eq "a running container: no new generation" "$(calls)" 1

u podman stop --time 0 "$c" >/dev/null
fake_ctk "echo 'failed to initialize NVML: Driver/library version mismatch' >&2; exit 1"
run_capture r ur run -c "$c" true
expect_eq "a driver mismatch: exit 1" "$r_rc" 1
expect_match "a driver mismatch: message" "$r_err" "^Error: the proprietary NVIDIA driver's kernel and user space don't match$"
expect_match "a driver mismatch: hint" "$r_err" "^Check the host operating system and systemd journal.$"
fake_ctk "echo 'level=info msg=\"Auto-detected mode\"' >&2; echo 'failed to create device CDI specs: no NVIDIA device nodes' >&2; exit 1"
run_capture r ur run -c "$c" true
expect_eq "nvidia-ctk fails: its last line says why" "$r_err" "Error: failed to generate Container Device Interface for NVIDIA: failed to create device CDI specs: no NVIDIA device nodes"

# Without the driver nothing is generated and no variable is added.
umount /proc/driver
: >"$H/calls"
run_capture r ur run -c "$c" sh -c 'echo "${NVIDIA_VISIBLE_DEVICES:-unset}"'
expect_eq "no driver: exit 0" "$r_rc" 0
expect_eq "no driver: no NVIDIA environment" "$r_out" unset
expect_eq "no driver: nvidia-ctk not run" "$(calls)" 0
[ ! -e "$saved" ] || fail "the spec of a driver that is gone stayed for the entry point"
ok "no driver: the old spec is removed before the start"
done_ok
