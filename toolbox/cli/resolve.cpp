#include "cli/resolve.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "core/config.h"
#include "core/image_ref.h"
#include "core/usage.h"
#include "sys/user.h"

namespace tbx::cli {

Result<ResolvedForCommand> resolve_for_command(const Context&, const ResolveArgs& a) {
  const std::string container = !a.container_positional.empty() ? a.container_positional : a.container_option;
  if (!container.empty() && !core::is_valid_container_name(container))
    return core::usage_error(
        std::string("invalid argument for '") + (!a.container_positional.empty() ? "CONTAINER" : "--container") + "'",
        "Container names must match '[a-zA-Z0-9][a-zA-Z0-9_.-]*'.");
  TBX_TRY(const core::ConfigValues cfg, core::load_config(core::config_files()), "");
  const core::HostOs host = core::read_host_os();
  ResolvedForCommand out;
  TBX_TRY(out.names, core::resolve_container_and_image({container, a.distro, a.image, a.release}, cfg, host), "");
  auto def = core::resolve_container_and_image({}, cfg, host);
  if (!def) return make_error(EINVAL, "failed to resolve container name");
  out.default_container = def->container;
  out.is_default = container.empty() && a.release.empty();
  return out;
}

Result<core::RunRequest> make_run_request(const Context& ctx, const std::string& container) {
  TBX_TRY(const sys::User user, sys::current_user(), "");
  core::RunRequest r;
  r.podman = ctx.podman();
  r.container = container;
  r.user = user.name;
  r.uid = user.uid;
  r.home = user.home;
  char cwd[PATH_MAX];
  r.workdir = ::getcwd(cwd, sizeof cwd) != nullptr ? cwd : user.home;
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  r.xdg_runtime_dir = xdg != nullptr && *xdg != '\0' ? xdg : "/run/user/" + std::to_string(user.uid);
  return r;
}

std::string toolbox_path(const Context& ctx) {
  const char* p = std::getenv("TOOLBOX_PATH");
  return p != nullptr && *p != '\0' ? p : ctx.executable;
}

}  // namespace tbx::cli
