#include "core/exec_argv.h"

#include <string_view>

#include "core/p11kit.h"

namespace tbx::core {

const std::vector<std::string> kPreservedVariables = {
    "COLORTERM", "CONTAINERS_STORAGE_CONF", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS", "DESKTOP_SESSION",
    "DISPLAY", "HISTCONTROL", "HISTFILE", "HISTFILESIZE", "HISTIGNORE", "HISTSIZE", "HISTTIMEFORMAT", "HOME",
    "KDE_FULL_SESSION", "KDE_SESSION_VERSION", "KONSOLE_DBUS_SESSION", "KONSOLE_DBUS_WINDOW", "KONSOLE_PROFILE_NAME",
    "KONSOLE_VERSION", "LANG", "SHELL", "SSH_AUTH_SOCK", "TERM", "TOOLBOX_PATH", "USER", "VTE_VERSION",
    "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_CURRENT_DESKTOP", "XDG_DATA_DIRS",
    "XDG_DATA_HOME", "XDG_MENU_PREFIX", "XDG_RUNTIME_DIR", "XDG_SEAT", "XDG_SESSION_CLASS", "XDG_SESSION_DESKTOP",
    "XDG_SESSION_ID", "XDG_SESSION_TYPE", "XDG_STATE_HOME", "XDG_VTNR", "XTERM_VERSION"};

std::vector<std::string> preserved_environment(const char* const* envp) {
  std::vector<std::string> out;
  if (envp == nullptr) return out;
  for (const std::string& name : kPreservedVariables) {
    for (const char* const* e = envp; *e != nullptr; ++e) {
      const std::string_view var(*e);
      if (var.size() > name.size() && var.substr(0, name.size()) == name && var[name.size()] == '=') {
        out.emplace_back(var);
        break;
      }
    }
  }
  return out;
}

Argv podman_exec_argv(const ExecSpec& s) {
  Argv a{"podman", "--log-level", s.podman_log_level, "exec", "--detach-keys", ""};
  for (const std::string& e : s.env) a.push_back("--env=" + e);
  if (s.p11kit_socket) a.push_back("--env=" + p11kit_server_address_env(*s.p11kit_socket));
  a.push_back("--interactive");
  a.insert(a.end(), {"--preserve-fds", std::to_string(s.preserve_fds)});
  if (s.tty) a.push_back("--tty");
  a.insert(a.end(), {"--user", s.user, "--workdir", s.workdir, s.container, "capsh", "--caps=", "--"});
  if (s.login) a.push_back("--login");
  a.insert(a.end(), {"-c", "exec \"$@\"", "bash"});
  a.insert(a.end(), s.command.begin(), s.command.end());
  return a;
}

Argv podman_probe_dir_argv(const std::string& log_level, const std::string& user, const std::string& container,
                           const std::string& dir) {
  return {"podman", "--log-level", log_level, "exec", "--user", user, container, "sh", "-c", "test -d \"$1\"", "sh", dir};
}

Argv podman_probe_command_argv(const std::string& log_level, const std::string& user, const std::string& container,
                               const std::string& command) {
  return {"podman", "--log-level", log_level, "exec", "--user", user, container, "sh", "-c", "command -v \"$1\"",
          "sh", command};
}

}  // namespace tbx::core
