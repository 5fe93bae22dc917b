// The paths that the host's toolbox (core/) and the entry point (init/) share
// through the bind-mounted toolbox runtime directory. Below both layers, so
// that neither includes the other.
#pragma once

#include <string>

namespace tbx::paths {

// <runtime dir>/toolbox, which the host's toolbox and init-container share
// (create bind-mounts it): $XDG_RUNTIME_DIR/toolbox, or /run/toolbox for root.
std::string toolbox_runtime_dir(unsigned uid, const std::string& xdg_runtime_dir);

// The same for the calling process: its real UID and $XDG_RUNTIME_DIR, or
// /run/user/UID when that is unset or empty (as enter and run do).
std::string caller_toolbox_runtime_dir();

// The readiness stamp that init-container writes and enter and run wait for.
std::string stamp_path(const std::string& toolbox_runtime_dir, int pid);

// The run cache of one container name (core/run_cache.h), and the prefix of
// every run cache file in the directory.
inline constexpr char kRunCachePrefix[] = "run-cache-";
std::string run_cache_path(const std::string& toolbox_runtime_dir, const std::string& container);

// The NVIDIA CDI spec that enter and run write and init-container applies.
std::string cdi_spec_path(const std::string& toolbox_runtime_dir);

// p11-kit server's socket, which init-container links into the container, and
// the lock under which enter and run start the server.
std::string p11kit_socket_path(const std::string& toolbox_runtime_dir);
std::string p11kit_lock_path(const std::string& toolbox_runtime_dir);

}  // namespace tbx::paths
