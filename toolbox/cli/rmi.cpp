// toolbox rmi [--all] [--force] [IMAGE...]: see docs/toolbox-rmi.1.md.
//
// Unlike Toolbx, which exits 0 after per-image errors (its tests mark that
// as a known bug), this exits 1 when any image could not be removed.
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/remove.h"
#include "core/usage.h"

namespace tbx::cli {

namespace {

struct RmiArgs {
  bool all = false, force = false;
  std::vector<std::string> names;
};

}  // namespace

Command add_rmi_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<RmiArgs>();
  CLI::App* app = root.add_subcommand("rmi", "Remove one or more Toolbx images");
  app->add_flag("-a,--all", a->all, "Remove all Toolbx images");
  app->add_flag("-f,--force", a->force, "Force the removal of Toolbx images used by containers");
  app->add_option("IMAGE", a->names, "Names or IDs of the images to remove");

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    if (!a->all && a->names.empty()) return core::usage_error("missing argument for \"rmi\"");
    const core::RemoveRequest r{core::ObjectKind::image, ctx.podman(), a->all, a->force, a->names};
    // Each failure is printed as it happens, and the next image is tried.
    auto failed = core::remove_toolbx_objects(r, [](const Error& e) { print_error(e); });
    if (!failed) return failed.error();
    return *failed == 0 ? 0 : 1;
  };
  return c;
}

}  // namespace tbx::cli
