// The `podman exec` vector of enter and run (reference §5.4), pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/process.h"

namespace tbx::core {

// Variables passed from the host into the container (and when forwarding to the
// host), in this order; unset ones are skipped, set-but-empty ones kept.
extern const std::vector<std::string> kPreservedVariables;

std::vector<std::string> preserved_environment(const char* const* envp);

struct ExecSpec {
  std::string podman_log_level = "error";
  std::vector<std::string> env;  // VAR=VALUE
  // The p11-kit server's socket, when one runs: P11_KIT_SERVER_ADDRESS comes
  // after env (in the reference also after the NVIDIA CDI variables).
  std::optional<std::string> p11kit_socket;
  unsigned preserve_fds = 0;
  bool tty = false;
  std::string user;
  std::string workdir;
  std::string container;
  bool login = false;  // run: a login bash that execs the command
  Argv command;
};

Argv podman_exec_argv(const ExecSpec& s);

// Probes used after exit status 127: is the directory there, is the command?
Argv podman_probe_dir_argv(const std::string& log_level, const std::string& user, const std::string& container,
                           const std::string& dir);
Argv podman_probe_command_argv(const std::string& log_level, const std::string& user, const std::string& container,
                               const std::string& command);

}  // namespace tbx::core
