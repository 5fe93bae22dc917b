// The `podman create` argument vector of a Toolbx container (reference §3.3),
// built by a pure function and unit-tested to the byte.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/process.h"

namespace tbx::core {

struct CreateSpec {
  std::string podman_log_level = "error";
  std::string container;
  std::string image;         // fully qualified
  std::string toolbox_path;  // host file bind-mounted at /usr/bin/toolbox
  std::string user;
  unsigned uid = 0;
  unsigned gid = 0;
  std::string home;            // as the user has it ($HOME), passed to init-container
  std::string home_canonical;  // symlinks resolved, the bind mount
  std::string shell;
  std::string runtime_dir;  // $XDG_RUNTIME_DIR, or /run/toolbox for root
  bool set_xdg_runtime_dir = false;  // non-root: --env XDG_RUNTIME_DIR=
  std::optional<std::string> delay_entry_point;  // TOOLBX_DELAY_ENTRY_POINT
  std::optional<std::string> fail_entry_point;   // TOOLBX_FAIL_ENTRY_POINT
  bool mount_devpts = true;                      // Podman >= 2.1.0
  std::optional<std::string> dbus_system_socket; // canonical path, if it exists
  std::optional<std::string> avahi_socket, kcm_socket, pcscd_socket;
  bool media_volume = false;      // /media exists and is not /run/media
  bool mnt_volume = false;        // /mnt exists and is not /var/mnt
  bool run_media_volume = false;  // /run/media exists
  std::optional<std::string> profile_script;  // toolbox.sh on the host
  bool home_link = false, media_link = false, mnt_link = false;
};

Argv podman_create_argv(const CreateSpec& s);

// The container's command, shared with upstream Toolbx so the two can start
// each other's containers.
Argv entry_point_argv(const CreateSpec& s);

}  // namespace tbx::core
