// The podman create and exec vectors, to the byte (reference §3.3, §5.4).
#include "catch.h"

#include "core/create_argv.h"
#include "core/exec_argv.h"
#include "init/recipe.h"
#include "paths/runtime.h"

using namespace tbx::core;

namespace {

CreateSpec base_spec() {
  CreateSpec s;
  s.container = "debian-toolbox-11";
  s.image = "localhost/debian-toolbox:11";
  s.toolbox_path = "/usr/bin/toolbox";
  s.user = "u";
  s.uid = 1000;
  s.gid = 1000;
  s.home = "/home/u";
  s.home_canonical = "/home/u";
  s.shell = "/bin/bash";
  s.runtime_dir = "/run/user/1000";
  s.set_xdg_runtime_dir = true;
  return s;
}

}  // namespace

TEST_CASE("podman create: a rootless user on a plain host", "[create]") {
  const Argv a = podman_create_argv(base_spec());
  const Argv want{"podman", "--log-level", "error", "create", "--cgroupns", "host", "--dns", "none", "--env",
                  "TOOLBOX_PATH=/usr/bin/toolbox", "--env", "XDG_RUNTIME_DIR=/run/user/1000", "--hostname", "toolbx",
                  "--ipc", "host", "--label", "com.github.containers.toolbox=true", "--mount",
                  "type=devpts,destination=/dev/pts", "--name", "debian-toolbox-11", "--network", "host",
                  "--no-hosts", "--pid", "host", "--privileged", "--security-opt", "label=disable", "--ulimit",
                  "host", "--userns", "keep-id", "--user", "root:root", "--volume", "/:/run/host:rslave",
                  "--volume", "/dev:/dev:rslave", "--volume", "/home/u:/home/u:rslave", "--volume",
                  "/usr/bin/toolbox:/usr/bin/toolbox:ro", "--volume", "/run/user/1000:/run/user/1000",
                  "localhost/debian-toolbox:11", "toolbox", "--log-level", "debug", "init-container", "--gid",
                  "1000", "--home", "/home/u", "--shell", "/bin/bash", "--uid", "1000", "--user", "u"};
  CHECK(a == want);
}

TEST_CASE("podman create: root, every optional piece, links", "[create]") {
  CreateSpec s = base_spec();
  s.uid = 0;
  s.gid = 0;
  s.user = "root";
  s.home = "/root";
  s.home_canonical = "/root";
  s.runtime_dir = "/run/toolbox";
  s.set_xdg_runtime_dir = false;
  s.podman_log_level = "debug";
  s.delay_entry_point = "5";
  s.fail_entry_point = "1";
  s.mount_devpts = false;
  s.dbus_system_socket = "/run/dbus/system_bus_socket";
  s.avahi_socket = "/run/avahi-daemon/socket";
  s.kcm_socket = "/run/.heim_org.h5l.kcm-socket";
  s.pcscd_socket = "/run/pcscd/pcscd.comm";
  s.media_volume = true;
  s.mnt_volume = true;
  s.run_media_volume = true;
  s.profile_script = "/usr/share/profile.d/toolbox.sh";
  s.home_link = s.media_link = s.mnt_link = true;
  const Argv a = podman_create_argv(s);
  const Argv want{"podman", "--log-level", "debug", "create", "--cgroupns", "host", "--dns", "none", "--env",
                  "TOOLBX_DELAY_ENTRY_POINT=5", "--env", "TOOLBX_FAIL_ENTRY_POINT=1", "--env",
                  "TOOLBOX_PATH=/usr/bin/toolbox", "--hostname", "toolbx", "--ipc", "host", "--label",
                  "com.github.containers.toolbox=true", "--name", "debian-toolbox-11", "--network", "host",
                  "--no-hosts", "--pid", "host", "--privileged", "--security-opt", "label=disable", "--ulimit",
                  "host", "--userns", "host", "--user", "root:root", "--volume", "/:/run/host:rslave", "--volume",
                  "/dev:/dev:rslave", "--volume", "/run/dbus/system_bus_socket:/run/dbus/system_bus_socket",
                  "--volume", "/root:/root:rslave", "--volume", "/usr/bin/toolbox:/usr/bin/toolbox:ro", "--volume",
                  "/run/toolbox:/run/toolbox", "--volume", "/run/avahi-daemon/socket:/run/avahi-daemon/socket",
                  "--volume", "/run/.heim_org.h5l.kcm-socket:/run/.heim_org.h5l.kcm-socket", "--volume",
                  "/media:/media:rslave", "--volume", "/mnt:/mnt:rslave", "--volume",
                  "/run/pcscd/pcscd.comm:/run/pcscd/pcscd.comm", "--volume", "/run/media:/run/media:rslave",
                  "--volume", "/usr/share/profile.d/toolbox.sh:/etc/profile.d/toolbox.sh:ro",
                  "localhost/debian-toolbox:11", "toolbox", "--log-level", "debug", "init-container", "--gid", "0",
                  "--home", "/root", "--shell", "/bin/bash", "--uid", "0", "--user", "root", "--home-link",
                  "--media-link", "--mnt-link"};
  CHECK(a == want);
}

TEST_CASE("podman exec: run with a login shell, enter without", "[exec]") {
  ExecSpec s;
  s.env = {"HOME=/home/u", "TERM=xterm"};
  s.preserve_fds = 2;
  s.tty = true;
  s.user = "u";
  s.workdir = "/home/u/src";
  s.container = "c";
  s.login = true;
  s.command = {"ls", "-l"};
  CHECK(podman_exec_argv(s) == Argv{"podman", "--log-level", "error", "exec", "--detach-keys", "", "--env=HOME=/home/u",
                                    "--env=TERM=xterm", "--interactive", "--preserve-fds", "2", "--tty", "--user", "u",
                                    "--workdir", "/home/u/src", "c", "capsh", "--caps=", "--", "--login", "-c",
                                    "exec \"$@\"", "bash", "ls", "-l"});
  s.login = false;
  s.tty = false;
  s.preserve_fds = 0;
  s.env.clear();
  s.command = {"/bin/bash", "-l"};
  CHECK(podman_exec_argv(s) == Argv{"podman", "--log-level", "error", "exec", "--detach-keys", "", "--interactive",
                                    "--preserve-fds", "0", "--user", "u", "--workdir", "/home/u/src", "c", "capsh",
                                    "--caps=", "--", "-c", "exec \"$@\"", "bash", "/bin/bash", "-l"});
}

TEST_CASE("exec probes after 127", "[exec]") {
  CHECK(podman_probe_dir_argv("error", "u", "c", "/x y") ==
        Argv{"podman", "--log-level", "error", "exec", "--user", "u", "c", "sh", "-c", "test -d \"$1\"", "sh", "/x y"});
  CHECK(podman_probe_command_argv("error", "u", "c", "vim") ==
        Argv{"podman", "--log-level", "error", "exec", "--user", "u", "c", "sh", "-c", "command -v \"$1\"", "sh", "vim"});
}

TEST_CASE("the environment allowlist keeps order, skips unset, keeps empty", "[exec]") {
  const char* env[] = {"TERM=xterm", "HOSTNAME=h", "LANG=", "HOME=/h", "LD_PRELOAD=x", nullptr};
  CHECK(preserved_environment(env) == std::vector<std::string>{"HOME=/h", "LANG=", "TERM=xterm"});
}

TEST_CASE("init-container: the stamp and the time zone", "[init]") {
  CHECK(tbx::paths::stamp_path(tbx::paths::toolbox_runtime_dir(1000, "/run/user/1000"), 42) == "/run/user/1000/toolbox/container-initialized-42");
  CHECK(tbx::paths::stamp_path(tbx::paths::toolbox_runtime_dir(0, "/run/user/0"), 42) == "/run/toolbox/container-initialized-42");
  CHECK(*tbx::init::zone_of_localtime("/run/host/usr/share/zoneinfo/Europe/Berlin") == "Europe/Berlin");
  CHECK(*tbx::init::zone_of_localtime("/usr/share/zoneinfo/UTC") == "UTC");
  CHECK_FALSE(tbx::init::zone_of_localtime("/etc/elsewhere").ok());
}
