#include "core/create.h"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include "core/create_argv.h"
#include "core/distro.h"
#include "core/download_prompt.h"
#include "core/image_ref.h"
#include "core/run_cache.h"
#include "core/spinner.h"
#include "core/usage.h"
#include "paths/runtime.h"
#include "sys/user.h"

namespace tbx::core {

namespace {

// Toolbx spins only below debug level, where no log lines cross the spinner's line.
bool spinner_wanted() { return spdlog::get_level() > spdlog::level::debug; }

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

bool image_exists(const Podman& p, const std::string& ref) { return podman_succeeds(p.with({"image", "exists", ref})); }

std::optional<std::string> resolves_to(const std::string& path) {
  auto c = sys::canonical_path(path);
  if (!c) return std::nullopt;
  return *c;
}

// A socket to bind-mount if it exists (Toolbx asks systemd over D-Bus for the
// socket units' Listen= paths; with no bus to ask, the well-known paths).
std::optional<std::string> socket_if_present(const char* what, const char* path) {
  auto c = resolves_to(path);
  if (!c) {
    spdlog::debug("Skipping the {} socket: {} does not exist", what, path);
    return std::nullopt;
  }
  return c;
}

}  // namespace

bool container_exists(const Podman& p, const std::string& name) {
  return podman_succeeds(p.with({"container", "exists", name}));
}

Result<std::string> ensure_image(const CreateRequest& r) {
  const Podman& p = r.podman;
  // 1-2. Local: an ID, or a short name in localhost/.
  if (image_could_be_id(r.image) && image_exists(p, r.image)) return r.image;
  if (!image_has_domain(r.image) && image_exists(p, "localhost/" + r.image)) return "localhost/" + r.image;
  // 3. The fully qualified name: known registries for known basenames.
  std::string full = r.image;
  if (!image_has_domain(r.image)) {
    const Distro* d = find_distro_by_image_basename(image_basename(r.image));
    if (d == nullptr) return make_error(ENOENT, "image " + r.image + " not found in local storage and known registries");
    full = distro_registry(d->name, image_tag(r.image)) + r.image;
  }
  // 4. Present under that name.
  if (image_exists(p, full)) return full;
  // 5-6. A download, asked for unless --assumeyes or localhost.
  if (!r.assume_yes && image_domain(full) != "localhost") {
    if (!sys::is_terminal(STDIN_FILENO) || !sys::is_terminal(STDOUT_FILENO))
      return usage_error("image required to create Toolbx container.", "Use option '--assumeyes' to download the image.");
    TBX_TRY(const bool yes, ask_for_download(full), "");
    if (!yes) return std::string();
  }
  // 7. Pull.
  Argv pull = p.with({"pull"});
  if (!r.authfile.empty()) pull.insert(pull.end(), {"--authfile", r.authfile});
  pull.push_back(full);
  std::fflush(stdout);
  Spinner spinner(STDOUT_FILENO, "Pulling " + full + ": ", spinner_wanted());
  auto res = podman_capture(pull);
  spinner.stop();
  if (!res || !res->status.success()) {
    if (res) spdlog::debug("podman pull: {}", res->err);
    return make_error(EIO, "failed to pull image " + full + "\nIf it was a private image, log in with: podman login " +
                               image_domain(full) + "\nUse 'toolbox --verbose ...' for further details.");
  }
  return full;
}

Result<bool> create_container(const CreateRequest& r) {
  const Podman& p = r.podman;
  if (container_exists(p, r.container))
    return usage_error("container " + r.container + " already exists", "Enter with: " + enter_command(r.container, r.default_container));

  TBX_TRY(std::string image, ensure_image(r), "");
  if (image.empty()) return false;
  // 8. The name with a domain, from RepoTags when the user gave none (an ID
  // has none either: it becomes the image's name, as upstream's).
  if (!image_has_domain(image)) {
    auto inspect = podman_capture(p.with({"inspect", "--format", "json", "--type", "image", image}));
    if (!inspect || !inspect->status.success()) return make_error(EIO, "failed to inspect image " + image);
    auto tags = parse_image_repo_tags_json(inspect->out);
    if (!tags) return make_error(EINVAL, "missing RepoTags for image " + image);
    std::string pick;
    for (const std::string& t : *tags)
      if (image_tag(t) != "latest") {
        pick = t;
        break;
      }
    if (pick.empty() && !tags->empty()) pick = tags->front();
    if (!pick.empty()) image = pick;
  }

  TBX_TRY(const sys::User user, sys::current_user(), "");
  CreateSpec s;
  s.podman_log_level = p.log_level;
  s.container = r.container;
  s.image = image;
  s.toolbox_path = r.toolbox_path;
  s.user = user.name;
  s.uid = user.uid;
  s.gid = user.gid;
  s.home = user.home;
  TBX_TRY(s.home_canonical, sys::canonical_path(user.home), "failed to resolve the home directory");
  s.shell = user.shell;
  if (user.uid == 0) {
    s.runtime_dir = "/run/toolbox";
    ::mkdir(s.runtime_dir.c_str(), 0700);
  } else {
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    s.runtime_dir = xdg != nullptr && *xdg != '\0' ? xdg : "/run/user/" + std::to_string(user.uid);
    s.set_xdg_runtime_dir = true;
  }
  if (const char* v = std::getenv("TOOLBX_DELAY_ENTRY_POINT")) s.delay_entry_point = v;
  if (const char* v = std::getenv("TOOLBX_FAIL_ENTRY_POINT")) s.fail_entry_point = v;

  auto version = podman_capture(p.with({"version", "--format", "json"}));
  if (!version || !version->status.success()) return make_error(EIO, "failed to get the Podman version");
  if (auto v = parse_version_json(version->out)) s.mount_devpts = compare_versions(*v, "2.1.0") >= 0;

  std::string dbus = "unix:path=/var/run/dbus/system_bus_socket";
  if (const char* a = std::getenv("DBUS_SYSTEM_BUS_ADDRESS"); a != nullptr && *a != '\0') dbus = a;
  // As upstream: split on '=' into exactly two parts, else an error (a socket
  // that does not exist is only skipped, docs/compatibility.md).
  const std::size_t eq = dbus.find('=');
  if (eq == std::string::npos || dbus.find('=', eq + 1) != std::string::npos)
    return make_error(EINVAL, "failed to get the path to the D-Bus system socket");
  s.dbus_system_socket = socket_if_present("D-Bus system bus", dbus.substr(eq + 1).c_str());
  s.avahi_socket = socket_if_present("Avahi", "/run/avahi-daemon/socket");
  s.kcm_socket = socket_if_present("KCM", "/run/.heim_org.h5l.kcm-socket");
  s.pcscd_socket = socket_if_present("pcscd", "/run/pcscd/pcscd.comm");

  s.home_link = resolves_to("/home") == std::optional<std::string>("/var/home");
  const auto media = resolves_to("/media");
  s.media_link = media == std::optional<std::string>("/run/media");
  s.media_volume = media && !s.media_link;
  const auto mnt = resolves_to("/mnt");
  s.mnt_link = mnt == std::optional<std::string>("/var/mnt");
  s.mnt_volume = mnt && !s.mnt_link;
  s.run_media_volume = exists("/run/media");
  for (const char* script : {"/etc/profile.d/toolbox.sh", "/usr/share/profile.d/toolbox.sh"})
    if (exists(script)) {
      s.profile_script = script;
      break;
    }

  const Argv argv = podman_create_argv(s);
  std::fflush(stdout);
  Spinner spinner(STDOUT_FILENO, "Creating container " + r.container + ": ", spinner_wanted());
  auto res = podman_capture(argv);
  spinner.stop();
  // The name may have stood for another container (renamed or removed by
  // podman directly): no run cache may name that one now.
  drop_run_caches(paths::caller_toolbox_runtime_dir());
  if (!res || !res->status.success()) {
    if (res) spdlog::debug("podman create: {}", res->err);
    return make_error(EIO, "failed to create container " + r.container);
  }
  return true;
}

}  // namespace tbx::core
