// Shared by create, enter and run: the container and image names from the
// options, the configuration files and the host (reference §3.1).
#pragma once

#include <string>

#include "cli/context.h"
#include "core/distro.h"
#include "core/run_command.h"
#include "toolbox/result.h"

namespace tbx::cli {

struct ResolveArgs {
  std::string container_positional, container_option, distro, image, release;
};

struct ResolvedForCommand {
  core::Resolved names;
  std::string default_container;  // what no option at all would give
  bool is_default = false;        // no container name and no --release given
};

Result<ResolvedForCommand> resolve_for_command(const Context& ctx, const ResolveArgs& a);

// The run request for `container` and the calling user (run and enter).
Result<core::RunRequest> make_run_request(const Context& ctx, const std::string& container);

// $TOOLBOX_PATH if set (it decides which file new containers bind-mount), else our path.
std::string toolbox_path(const Context& ctx);

}  // namespace tbx::cli
