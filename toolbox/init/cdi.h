// The NVIDIA Container Device Interface (CDI) spec that enter/run hand to
// init-container in <runtime dir>/toolbox/cdi-nvidia.json (reference §4 row 15),
// parsed into typed structs and turned into a plan: bind mounts, symbolic
// links, ld.so directories. Everything here is pure; the recipe applies the plan.
//
// Toolbx containers are not started by a CDI-aware runtime (the spec changes
// with the host's driver, the container lives for months), so the entry point
// does at every start what a runtime would do at creation: the mounts and the
// two createContainer hooks that nvidia-ctk writes (create-symlinks,
// update-ldcache). Device nodes need nothing: the container has the host's
// /dev (create's --volume /dev:/dev:rslave).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/process.h"
#include "toolbox/result.h"

namespace tbx::init::cdi {

// The fixed first words of each failure, as upstream Toolbx words them; the
// detail follows after ": ".
inline constexpr std::string_view kLoadFailed = "failed to load Container Device Interface for NVIDIA";
inline constexpr std::string_view kInvalidMount = "invalid mount in Container Device Interface for NVIDIA";
inline constexpr std::string_view kInvalidHook = "invalid hook in Container Device Interface for NVIDIA";
inline constexpr std::string_view kMountFailed = "failed to apply mount from Container Device Interface for NVIDIA";
inline constexpr std::string_view kSymlinksFailed = "failed to create symlinks for Container Device Interface for NVIDIA";
inline constexpr std::string_view kLdcacheFailed = "failed to update ldcache for Container Device Interface for NVIDIA";

// The CDI JSON format (CDI spec 0.3 to 1.x, field names of
// tags.cncf.io/container-device-interface/specs-go); fields we do not use
// (annotations, intelRdt, additionalGids, netDevices) are skipped.
struct Mount {
  std::string host_path;       // hostPath, a path on the host
  std::string container_path;  // containerPath
  std::string type;            // type, "" means bind
  std::vector<std::string> options;
};

struct Hook {
  std::string hook_name;  // hookName: prestart, createRuntime, createContainer, ...
  std::string path;
  std::vector<std::string> args;  // args[0] is the program's name
  std::vector<std::string> env;
};

struct DeviceNode {
  std::string path;
  std::string host_path;
};

struct ContainerEdits {
  std::vector<std::string> env;  // NAME=VALUE
  std::vector<DeviceNode> device_nodes;
  std::vector<Hook> hooks;
  std::vector<Mount> mounts;
};

struct Device {
  std::string name;
  ContainerEdits edits;
};

struct Spec {
  std::string cdi_version;
  std::string kind;
  std::vector<Device> devices;
  ContainerEdits edits;  // for every device of the spec
};

// EINVAL for bad JSON, wrong field types and an empty or null document (the
// caller says kLoadFailed).
tbx::Result<Spec> parse_spec(const std::string& text);

// The spec's top-level edits followed by every device's: a Toolbx container
// gets all of the host's NVIDIA devices. Used for the environment only.
ContainerEdits all_edits(const Spec& spec);

// What init-container applies: the top-level edits only, as upstream Toolbx.
// nvidia-ctk puts the per-device ones (links under /dev/dri/by-path) in the
// devices, and the container's /dev is the host's: a rootful init-container
// would make them in the host's devtmpfs.
inline const ContainerEdits& applied_edits(const Spec& spec) { return spec.edits; }

// mount(2) flags of a CDI mount's options, as mount(8) reads "-o" with --rbind.
struct BindFlags {
  unsigned long set = 0;          // MS_RDONLY, MS_NOSUID, ... applied by a remount
  unsigned long clear = 0;        // rw, suid, dev, exec: flags the remount must not keep
  unsigned long propagation = 0;  // MS_PRIVATE, MS_SLAVE, ... with MS_REC for the r- forms
  std::vector<std::string> ignored;  // unknown options (mount(8) hands them to the file system, which a bind ignores)
};
BindFlags bind_flags(const std::vector<std::string>& options);

struct PlannedMount {
  std::string source;  // /run/host + hostPath
  std::string target;  // containerPath
  std::vector<std::string> options;
  BindFlags flags;
};

struct Symlink {
  std::string target;  // what the link points to, as written in the spec
  std::string link;    // absolute path of the link
};

struct Plan {
  std::vector<PlannedMount> mounts;
  std::vector<Symlink> symlinks;
  bool update_ldcache = false;          // an update-ldcache hook was there
  std::vector<std::string> ld_folders;  // de-duplicated, in spec order
  std::vector<std::string> notes;       // what was skipped and why, for the debug log
};

// Validates and translates. Errors start with kInvalidMount, kInvalidHook or
// kSymlinksFailed (a malformed --link argument), then ": " and the detail.
tbx::Result<Plan> make_plan(const ContainerEdits& edits);

// /etc/ld.so.conf.d/toolbx-nvidia.conf: a header, then one directory a line.
std::string ld_so_conf_text(const std::vector<std::string>& folders);

// ldconfig, with -N (links only, no cache) when the image has no
// /etc/ld.so.cache, as upstream does, and the folders on its command line when
// there is no /etc/ld.so.conf.d to put them in.
core::Argv ldconfig_argv(bool have_cache, bool have_conf_d, const std::vector<std::string>& folders);

}  // namespace tbx::init::cdi
