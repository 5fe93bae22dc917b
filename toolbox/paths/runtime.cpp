#include "paths/runtime.h"

#include <unistd.h>

#include <cstdlib>

namespace tbx::paths {

std::string toolbox_runtime_dir(unsigned uid, const std::string& xdg_runtime_dir) {
  return (uid == 0 ? std::string("/run") : xdg_runtime_dir) + "/toolbox";
}

std::string caller_toolbox_runtime_dir() {
  const unsigned uid = ::getuid();
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  return toolbox_runtime_dir(uid, xdg != nullptr && *xdg != '\0' ? xdg : "/run/user/" + std::to_string(uid));
}

std::string stamp_path(const std::string& toolbox_runtime_dir, int pid) {
  return toolbox_runtime_dir + "/container-initialized-" + std::to_string(pid);
}

std::string run_cache_path(const std::string& toolbox_runtime_dir, const std::string& container) {
  return toolbox_runtime_dir + "/" + kRunCachePrefix + container;
}

std::string cdi_spec_path(const std::string& toolbox_runtime_dir) { return toolbox_runtime_dir + "/cdi-nvidia.json"; }

std::string p11kit_socket_path(const std::string& toolbox_runtime_dir) { return toolbox_runtime_dir + "/pkcs11"; }

std::string p11kit_lock_path(const std::string& toolbox_runtime_dir) { return toolbox_runtime_dir + "/pkcs11.lock"; }

}  // namespace tbx::paths
