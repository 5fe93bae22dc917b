#!/bin/bash
# toolbox init-container applying an NVIDIA CDI spec (reference §4 row 15), run
# as init_container.sh runs it (tests/lib/init.sh): an overlay of a Debian 11 Toolbx root in a private
# user and mount namespace, the host at /run/host, no podman. The spec is hand
# made in the shape of nvidia-ctk's, over a fake driver: a real tiny shared
# library (so that ldconfig indexes it) and a firmware directory, on the host.
# Checks the bind mounts and their flags, both hook forms, the ld.so.conf.d
# file, ldconfig's cache, a second start over the same spec, and the broken
# specs' messages.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/binfmt.sh"
. "$(dirname "$0")/../lib/podman.sh"
. "$(dirname "$0")/../lib/init.sh"
need_cmd cc
tbx_init_test "$@"

# The fake driver, on the host's own file system (not in the tmpfs at $M,
# which /run/host does not see): the container finds it at /run/host$H.
H=$(mktemp -d /var/tmp/tbx-cdi-XXXXXX)
tbx_on_exit rm -rf "$H"
# First (clean-up runs last-registered first): the second start stacks its
# binds on the first's, whose roots are $H's files, so those are mount points.
tbx_on_exit umount -l "$M"
printf 'int nvmlInit_v2(void) { return 0; }\n' >"$H/nvml.c"
cc -shared -fPIC -Wl,-soname,libnvidia-ml.so.1 -o "$H/libnvidia-ml.so.550.1" "$H/nvml.c" ||
  fail "cannot build the fake libnvidia-ml"
mkdir "$H/firmware"
echo gsp >"$H/firmware/gsp_ga10x.bin"

lib=/usr/lib/x86_64-linux-gnu/nvidia-test
rt=$X/run/user/1000/toolbox
spec() { mkdir -p "$rt" && cat >"$rt/cdi-nvidia.json"; }
spec <<EOF
{
  "cdiVersion": "0.5.0",
  "kind": "nvidia.com/gpu",
  "devices": [
    {
      "name": "all",
      "containerEdits": {
        "deviceNodes": [{ "path": "/dev/null" }],
        "hooks": [
          {
            "hookName": "createContainer",
            "path": "/usr/bin/nvidia-cdi-hook",
            "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "card1::$lib/from-a-device"]
          }
        ]
      }
    }
  ],
  "containerEdits": {
    "env": ["NVIDIA_VISIBLE_DEVICES=void"],
    "deviceNodes": [{ "path": "/dev/null" }],
    "mounts": [
      { "hostPath": "$H/libnvidia-ml.so.550.1", "containerPath": "$lib/libnvidia-ml.so.550.1",
        "options": ["ro", "nosuid", "nodev", "bind"] },
      { "hostPath": "$H/firmware", "containerPath": "/lib/firmware/nvidia-test",
        "options": ["ro", "nosuid", "nodev", "rbind", "rprivate"] },
      { "hostPath": "$H/not-there", "containerPath": "/usr/bin/nvidia-not-there", "options": ["ro", "bind"] },
      { "hostPath": "tmpfs", "containerPath": "/var/nvidia-tmpfs", "type": "tmpfs" }
    ],
    "hooks": [
      {
        "hookName": "createContainer",
        "path": "/usr/bin/nvidia-cdi-hook",
        "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "libnvidia-ml.so.1::$lib/libnvidia-ml.so"]
      },
      {
        "hookName": "createContainer",
        "path": "/usr/bin/nvidia-cdi-hook",
        "args": ["nvidia-cdi-hook", "update-ldcache", "--folder", "$lib", "--folder", "$lib"]
      },
      {
        "hookName": "createContainer",
        "path": "/usr/bin/nvidia-ctk",
        "args": ["nvidia-ctk", "hook", "create-symlinks", "--link", "../libnvidia-ml.so.550.1::$lib/old/libnvidia-ml.so"]
      },
      { "hookName": "poststop", "path": "/bin/true" }
    ]
  }
}
EOF

# The options of the topmost mount at PATH (this namespace sees the chroot's).
mount_options() { findmnt -n -o VFS-OPTIONS --target "$1" | tail -n1; }

tbx_init_start
tbx_init_wait_stamp
ok "the readiness stamp appears with a CDI spec"
expect_match "the spec is applied" "$(cat "$log")" '^level=debug msg="Applying Container Device Interface for NVIDIA \(nvidia.com/gpu 0.5.0\)"$'
cmp -s "$H/libnvidia-ml.so.550.1" "$X$lib/libnvidia-ml.so.550.1" || fail "the library is not bound into the container"
ok "the host's library is bound at its containerPath"
expect_match "the library's mount is ro,nosuid,nodev" "$(mount_options "$X$lib/libnvidia-ml.so.550.1")" '^ro,nosuid,nodev'
expect_eq "a directory is bound too" "$(cat "$X/lib/firmware/nvidia-test/gsp_ga10x.bin")" gsp
expect_match "the directory's mount is read-only" "$(mount_options "$X/lib/firmware/nvidia-test")" '^ro,'
[ ! -e "$X/usr/bin/nvidia-not-there" ] || fail "a mount of a missing host path made its target"
ok "a missing host path is skipped"
[ ! -e "$X/var/nvidia-tmpfs" ] || fail "a tmpfs mount was applied"
ok "non-bind mounts are ignored"
expect_eq "create-symlinks (nvidia-cdi-hook)" "$(readlink "$X$lib/libnvidia-ml.so")" libnvidia-ml.so.1
[ ! -e "$X$lib/from-a-device" ] && [ ! -L "$X$lib/from-a-device" ] || fail "a device's own edits were applied"
ok "only the spec's top-level edits are applied, as upstream (a device's are not)"
expect_eq "create-symlinks (nvidia-ctk hook), parent made" "$(readlink "$X$lib/old/libnvidia-ml.so")" ../libnvidia-ml.so.550.1
expect_eq "toolbx-nvidia.conf: header and the folder once" "$(cat "$X/etc/ld.so.conf.d/toolbx-nvidia.conf")" \
  "$(printf '# Written by Toolbx\n# https://containertoolbx.org/\n\n%s' "$lib")"
expect_eq "toolbx-nvidia.conf is 0644" "$(stat -c %a "$X/etc/ld.so.conf.d/toolbx-nvidia.conf")" 644
expect_match "ldconfig indexed the library" "$(chroot "$X" /sbin/ldconfig -p)" \
  "^[[:space:]]+libnvidia-ml\.so\.1 \(libc6,x86-64\) => $lib/libnvidia-ml\.so\.1$"
expect_eq "ldconfig made the soname link" "$(readlink "$X$lib/libnvidia-ml.so.1")" libnvidia-ml.so.550.1
expect_match "other hooks are only logged" "$(cat "$log")" 'skipping unknown hook name poststop'
expect_match "device nodes are only logged" "$(cat "$log")" "skipping device node /dev/null: the container has the host's /dev"
tbx_init_stop

# A restart applies the same spec over the links and files of the first.
tbx_init_start
tbx_init_wait_stamp
ok "a second start over the same spec is fine"
expect_match "existing links are tolerated" "$(cat "$log")" "Creating symbolic link: file $lib/libnvidia-ml.so already exists"
tbx_init_stop

# Broken specs end the entry point with the message enter and run relay.
fails_with() {
  local what=$1 want=$2
  run_capture r timeout 60 chroot "$X" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR=/run/user/1000 \
    TOOLBOX_PATH=/usr/bin/toolbox /usr/bin/toolbox --log-level debug init-container \
    --gid 1000 --home /home/tester --shell /bin/bash --uid 1000 --user tester
  expect_eq "$what: exit 1" "$r_rc" 1
  expect_match "$what: message" "$(printf '%s\n' "$r_err" | grep -v '^level=')" "$want"
}
: | spec
fails_with "empty spec" '^Error: failed to load Container Device Interface for NVIDIA: /run/user/1000/toolbox/cdi-nvidia.json: missing data$'
echo '{"containerEdits": {' | spec
fails_with "bad JSON" '^Error: failed to load Container Device Interface for NVIDIA: .*not valid JSON$'
spec <<EOF
{"containerEdits": {"mounts": [{"hostPath": "$H/firmware"}]}}
EOF
fails_with "mount without containerPath" "^Error: invalid mount in Container Device Interface for NVIDIA: empty containerPath"
spec <<EOF
{"containerEdits": {"hooks": [{"hookName": "createContainer", "path": "/h",
  "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "a::relative"]}]}}
EOF
fails_with "relative link" '^Error: failed to create symlinks for Container Device Interface for NVIDIA: invalid --link argument: link relative is not an absolute path$'
spec <<EOF
{"containerEdits": {"hooks": [{"hookName": "createContainer"}]}}
EOF
fails_with "hook without path" '^Error: invalid hook in Container Device Interface for NVIDIA: createContainer hook with an empty path$'
# A link whose parent is a file: the kernel says ENOTDIR.
spec <<EOF
{"containerEdits": {"hooks": [{"hookName": "createContainer", "path": "/h",
  "args": ["nvidia-cdi-hook", "create-symlinks", "--link", "x::/etc/passwd/x"]}]}}
EOF
fails_with "link under a file" '^Error: failed to create symlinks for Container Device Interface for NVIDIA: '
rm -f "$rt/cdi-nvidia.json"
done_ok
