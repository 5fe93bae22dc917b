#include "core/create_argv.h"

namespace tbx::core {

Argv entry_point_argv(const CreateSpec& s) {
  Argv a{"toolbox", "--log-level", "debug", "init-container",
         "--gid", std::to_string(s.gid), "--home", s.home, "--shell", s.shell,
         "--uid", std::to_string(s.uid), "--user", s.user};
  if (s.home_link) a.push_back("--home-link");
  if (s.media_link) a.push_back("--media-link");
  if (s.mnt_link) a.push_back("--mnt-link");
  return a;
}

Argv podman_create_argv(const CreateSpec& s) {
  Argv a{"podman", "--log-level", s.podman_log_level, "create", "--cgroupns", "host", "--dns", "none"};
  if (s.delay_entry_point) a.insert(a.end(), {"--env", "TOOLBX_DELAY_ENTRY_POINT=" + *s.delay_entry_point});
  if (s.fail_entry_point) a.insert(a.end(), {"--env", "TOOLBX_FAIL_ENTRY_POINT=" + *s.fail_entry_point});
  a.insert(a.end(), {"--env", "TOOLBOX_PATH=" + s.toolbox_path});
  if (s.set_xdg_runtime_dir) a.insert(a.end(), {"--env", "XDG_RUNTIME_DIR=" + s.runtime_dir});
  a.insert(a.end(), {"--hostname", "toolbx", "--ipc", "host", "--label", "com.github.containers.toolbox=true"});
  if (s.mount_devpts) a.insert(a.end(), {"--mount", "type=devpts,destination=/dev/pts"});
  a.insert(a.end(), {"--name", s.container, "--network", "host", "--no-hosts", "--pid", "host", "--privileged",
                     "--security-opt", "label=disable", "--ulimit", "host", "--userns",
                     s.uid == 0 ? "host" : "keep-id", "--user", "root:root", "--volume", "/:/run/host:rslave",
                     "--volume", "/dev:/dev:rslave"});
  if (s.dbus_system_socket) a.insert(a.end(), {"--volume", *s.dbus_system_socket + ":" + *s.dbus_system_socket});
  a.insert(a.end(), {"--volume", s.home_canonical + ":" + s.home_canonical + ":rslave", "--volume",
                     s.toolbox_path + ":/usr/bin/toolbox:ro", "--volume", s.runtime_dir + ":" + s.runtime_dir});
  if (s.avahi_socket) a.insert(a.end(), {"--volume", *s.avahi_socket + ":" + *s.avahi_socket});
  if (s.kcm_socket) a.insert(a.end(), {"--volume", *s.kcm_socket + ":" + *s.kcm_socket});
  if (s.media_volume) a.insert(a.end(), {"--volume", "/media:/media:rslave"});
  if (s.mnt_volume) a.insert(a.end(), {"--volume", "/mnt:/mnt:rslave"});
  if (s.pcscd_socket) a.insert(a.end(), {"--volume", *s.pcscd_socket + ":" + *s.pcscd_socket});
  if (s.run_media_volume) a.insert(a.end(), {"--volume", "/run/media:/run/media:rslave"});
  if (s.profile_script) a.insert(a.end(), {"--volume", *s.profile_script + ":/etc/profile.d/toolbox.sh:ro"});
  a.push_back(s.image);
  const Argv ep = entry_point_argv(s);
  a.insert(a.end(), ep.begin(), ep.end());
  return a;
}

}  // namespace tbx::core
