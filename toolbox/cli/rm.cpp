// toolbox rm [--all] [--force] [CONTAINER...]: see docs/toolbox-rm.1.md.
//
// Unlike Toolbx, which exits 0 after per-container errors (its tests mark that
// as a known bug), this exits 1 when any container could not be removed.
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/remove.h"
#include "core/usage.h"

namespace tbx::cli {

namespace {

struct RmArgs {
  bool all = false, force = false;
  std::vector<std::string> names;
};

}  // namespace

Command add_rm_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<RmArgs>();
  CLI::App* app = root.add_subcommand("rm", "Remove one or more Toolbx containers");
  app->add_flag("-a,--all", a->all, "Remove all Toolbx containers");
  app->add_flag("-f,--force", a->force, "Force the removal of running and paused Toolbx containers");
  app->add_option("CONTAINER", a->names, "Names or IDs of the containers to remove");

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    if (!a->all && a->names.empty()) return core::usage_error("missing argument for \"rm\"");
    const core::RemoveRequest r{core::ObjectKind::container, ctx.podman(), a->all, a->force, a->names};
    // Each failure is printed as it happens, and the next container is tried.
    auto failed = core::remove_toolbx_objects(r, [](const Error& e) { print_error(e); });
    if (!failed) return failed.error();
    return *failed == 0 ? 0 : 1;
  };
  return c;
}

}  // namespace tbx::cli
