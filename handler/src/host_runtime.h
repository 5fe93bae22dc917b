// Deciding how to run a verified binary: where we are (host or container), which
// loader to exec, which library directories to give it, and a check that every
// library it needs, transitively, comes from the host root and not from the
// container.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "elf_probe.h"
#include "in_root.h"
#include "toolbox/result.h"
#include "toolbox/unique_fd.h"

namespace handler {

inline constexpr char kDefaultHostRoot[] = "/run/host";

enum class Where { host, container };

struct Environment {
  Where where = Where::host;
  std::string root_path;  // "/run/host" in a container, "" on the host
  tbx::UniqueFd root_fd;  // O_PATH directory fd of root_path, in a container
};

// A host root is a directory at `root_path` that is not "/" itself (upstream
// Toolbx hosts have a /run/host -> / symlink: that is still the host) and that
// holds the binary's loader (`interp`, see resolve_host_loader). systemd's
// container interface gives guests (nspawn) a /run/host with os-release and
// little else: that is no host root, and the binary runs natively, as the kernel
// would have run it. Without a host root, Podman's /run/.containerenv makes it
// an error (exit 127) rather than a silent run on the container's run-time.
// `explicit_root`: the caller named the root (--explain --root): always a container.
tbx::Result<Environment> detect_environment(const std::string& root_path, bool explicit_root,
                                            const std::optional<std::string>& interp);

// The host's loader inside the root: `interp` itself, or, when the root lacks the
// top-level link (/lib64, /lib...), its merged-/usr form (/usr/lib64/...).
tbx::Result<InRootPath> resolve_host_loader(int root_fd, const std::string& interp, int flags);

struct ResolvedLibrary {
  std::string name;       // as in DT_NEEDED
  std::string needed_by;  // basename of the object that needs it
  std::string path;       // where the loader will open it, in our mount namespace
};

struct Plan {
  Where where = Where::host;
  std::string loader;                     // executable path of the loader, in our namespace
  bool loader_has_argv0 = false;          // glibc >= 2.33
  std::vector<std::string> library_path;  // container only, in our namespace
  std::vector<ResolvedLibrary> libraries; // container only
  std::vector<std::string> notes;         // things skipped on the way (for --explain)
  // Container only: what the container's /etc/ld.so.preload makes ld.so load
  // into the process, said on stderr at every start (ld.so has no switch to skip it).
  std::vector<std::string> preload;
};

inline constexpr char kPreloadFile[] = "/etc/ld.so.preload";

// On the host: the binary's own PT_INTERP, as the kernel would have used it.
tbx::Result<Plan> plan_native(const ElfInfo& binary);
// In a container: the host's loader and libraries under env.root_path.
tbx::Result<Plan> plan_container(const ElfInfo& binary, const Environment& env);

// The architecture's default directories, as ld.so searches them without a cache
// (Debian multiarch and the lib64 of Fedora and Arch alike).
std::vector<std::string> default_library_dirs();

inline constexpr int kGlibcMinorWithArgv0 = 33;

// Whether a glibc loader accepts --argv0 (added in glibc 2.33): its usage text
// names the option. Reads the loader through `fd`.
bool loader_supports_argv0(int fd);

}  // namespace handler
