// Resolving paths inside another root, as if it were "/": absolute symlinks
// restart at that root and ".." never climbs out of it. Inside a container the
// host's file system is at /run/host, and the host's /usr/lib64/ld-linux-x86-64.so.2
// is an absolute symlink that would otherwise lead to the container's own loader.
//
// open_in_root() asks the kernel (openat2(2) with RESOLVE_IN_ROOT, Linux >= 5.6)
// and falls back to walk_in_root(), a userspace walk with the same rules, when
// openat2 answers ENOSYS (old kernel) or EPERM (seccomp filters of container
// engines that predate it) or E2BIG.
#pragma once

#include <string>
#include <string_view>

#include "toolbox/result.h"
#include "toolbox/unique_fd.h"

namespace handler {

inline constexpr int kMaxSymlinks = 40;  // as the kernel's MAXSYMLINKS

struct InRootPath {
  tbx::UniqueFd fd;  // opened with the caller's flags (always O_CLOEXEC)
  std::string path;  // canonical, absolute, relative to the root ("/usr/lib/...")
};

// `flags` are open(2) flags for the final component (O_RDONLY, O_PATH,
// O_DIRECTORY...); O_CLOEXEC is always added.
// `merged_usr`: a top-level bin, sbin, lib, lib32, lib64 or libx32 that the root
// lacks is taken as usr/<name>, as on a merged-/usr host whose /usr alone is
// mounted in the root (Toolbx before 0.0.97 mounted /usr, /etc... one by one
// under /run/host, without the root-level links).
tbx::Result<InRootPath> walk_in_root(int root_fd, std::string_view path, int flags, bool merged_usr = false);
tbx::Result<tbx::UniqueFd> open_in_root(int root_fd, std::string_view path, int flags);

// An object opened in the root with its canonical path: openat2 plus the
// kernel's own name for the descriptor (/proc/self/fd), else the walk.
tbx::Result<InRootPath> resolve_in_root(int root_fd, std::string_view path, int flags);

// The canonical in-root path of a directory. The common case, a path without
// symbolic links, costs one openat2(RESOLVE_NO_SYMLINKS); the walk does the rest.
tbx::Result<std::string> canonical_dir_in_root(int root_fd, std::string_view path);

// Test hook: make open_in_root() behave as if openat2 were filtered.
void force_userspace_walk(bool on);
// The errno with which openat2 was refused, once open_in_root() fell back (for --explain).
int openat2_fallback_errno();

}  // namespace handler
