#include "cli/resolve.h"

#include <cstdlib>

#include "core/config.h"
#include "core/image_ref.h"
#include "core/usage.h"

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

std::string toolbox_path(const Context& ctx) {
  const char* p = std::getenv("TOOLBOX_PATH");
  return p != nullptr && *p != '\0' ? p : ctx.executable;
}

}  // namespace tbx::cli
