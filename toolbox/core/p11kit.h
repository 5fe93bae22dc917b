// The host's CA certificates inside the container (reference §5.1 step 7): enter
// and run start a `p11-kit server` on the host that exports its trust module
// over a socket in the runtime directory, which every container bind-mounts;
// init-container (step 17) and the exec environment point p11-kit-client.so
// at it.
#pragma once

#include <optional>
#include <string>

#include "core/process.h"

namespace tbx::core {

// <toolbox runtime dir>/pkcs11, the socket, and pkcs11.lock, which serialises
// the check for it and the start of its server among concurrent toolboxes.

// Pure: `p11-kit server` serving the host's trust anchors, read-only, at socket.
Argv p11kit_server_argv(const std::string& socket);

// Pure: P11_KIT_SERVER_ADDRESS=unix:path=<socket>, for the exec environment.
std::string p11kit_server_address_env(const std::string& socket);

// Makes sure a server listens at the socket: under the lock, starts one if the
// socket does not exist (it daemonises). The socket's path, or nothing when
// there is none to offer (no p11-kit on the host, or it failed): Toolbx then
// goes on without it, so this only logs at debug level. The warm path, the
// socket being there, costs an open, a lock and a stat: no process.
std::optional<std::string> ensure_p11kit_server(const std::string& toolbox_runtime_dir);

}  // namespace tbx::core
