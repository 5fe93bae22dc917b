#include "core/p11kit.h"

#include <spdlog/spdlog.h>

#include "paths/runtime.h"
#include "sys/file_lock.h"
#include "sys/fs.h"

namespace tbx::core {



Argv p11kit_server_argv(const std::string& socket) {
  // The trust module only (the host's anchors and blocklists, no smart cards),
  // write-protected so that nothing in a container can change the host's trust.
  return {"p11-kit", "server", "--name", socket, "--provider", "p11-kit-trust.so",
          "pkcs11:model=p11-kit-trust?write-protected=yes"};
}

std::string p11kit_server_address_env(const std::string& socket) {
  return "P11_KIT_SERVER_ADDRESS=unix:path=" + socket;
}

std::optional<std::string> ensure_p11kit_server(const std::string& toolbox_runtime_dir) {
  const std::string socket = paths::p11kit_socket_path(toolbox_runtime_dir);
  auto lock = sys::FileLock::exclusive(paths::p11kit_lock_path(toolbox_runtime_dir));
  if (!lock && lock.error().code == ENOENT) {
    // The first toolbox command as this user since boot (the runtime directory
    // is a tmpfs): make the directory, as create does.
    if (auto d = sys::make_dirs(toolbox_runtime_dir, 0700); !d) {
      spdlog::debug("Not starting a p11-kit server: {}", d.error().message);
      return std::nullopt;
    }
    lock = sys::FileLock::exclusive(paths::p11kit_lock_path(toolbox_runtime_dir));
  }
  if (!lock) {
    spdlog::debug("Not starting a p11-kit server: {}", lock.error().message);
    return std::nullopt;
  }
  if (sys::path_exists(socket)) return socket;

  RunOptions o;
  o.detach = true;  // it daemonises: it must hold none of our descriptors
  auto r = run(p11kit_server_argv(socket), o);
  if (!r) {
    spdlog::debug("Not using a p11-kit server: {}", r.error().message);
    return std::nullopt;
  }
  if (!r->status.success()) {
    spdlog::debug("Not using a p11-kit server: p11-kit server exited with status {}", r->status.code);
    return std::nullopt;
  }
  // p11-kit 0.24 binds the socket, forks, and the parent exits (the child then
  // listens). Exit status 0 without a socket would be a p11-kit we do not know:
  // pointing the container at nothing only makes every PKCS #11 call fail.
  if (!sys::path_exists(socket)) {
    spdlog::debug("Not using a p11-kit server: it did not create {}", socket);
    return std::nullopt;
  }
  spdlog::debug("Started a p11-kit server at {}", socket);
  return socket;
}

}  // namespace tbx::core
