// toolbox enter [CONTAINER]: an interactive login shell in a Toolbx container.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/resolve.h"
#include "core/create.h"
#include "core/download_prompt.h"
#include "core/list.h"
#include "core/run_command.h"
#include "core/usage.h"
#include "sys/user.h"

namespace tbx::cli {

namespace {

struct EnterArgs {
  std::string container_positional, container, distro, release;
};

bool ask_create(bool assume_yes) {
  if (assume_yes) return true;
  // Upstream's askForConfirmation: the download prompt's answers (case does not
  // matter), asked again after anything else; the end of input is a no.
  for (;;) {
    std::printf("No Toolbx containers found. Create now? [y/N] ");
    std::fflush(stdout);
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    if (auto yes = core::parse_yes_no(answer)) return *yes;
  }
}

}  // namespace

Command add_enter_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<EnterArgs>();
  CLI::App* app = root.add_subcommand("enter", "Enter a Toolbx container for interactive use");
  app->add_option("-c,--container", a->container, "Enter a Toolbx container with the given name");
  app->add_option("-d,--distro", a->distro, "Enter a Toolbx container for a different operating system distribution");
  app->add_option("-r,--release", a->release, "Enter a Toolbx container for a different operating system release");
  // Words after CONTAINER are ignored, as upstream; flags among them are
  // still flags (enter is interspersed, unlike run).
  app->add_option("CONTAINER", a->container_positional, "Name of the container");

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    auto resolved = resolve_for_command(ctx, ResolveArgs{a->container_positional, a->container, a->distro, "", a->release});
    if (!resolved) return resolved.error();
    TBX_TRY(core::RunRequest r, make_run_request(ctx, resolved->names.container), "preparing the command");
    TBX_TRY(const sys::User user, sys::current_user(), "looking up the current user");
    r.enter = true;
    r.command = {user.shell, "-l"};

    auto inspected = core::find_container(r);
    if (!inspected && inspected.error().code == ENOENT) {
      // Enter is forgiving (reference §5.1 step 3): create, or take the only one.
      auto list = core::get_toolbx_containers(r.podman);
      if (!list)
        return core::usage_error("container " + r.container + " not found",
                                 "Use the 'create' command to create a Toolbx.");
      if (list->empty()) {
        if (!ask_create(ctx.assume_yes)) {
          std::printf("A container can be created later with the 'create' command.\n%s\n", core::kUsageHint);
          return 0;
        }
        core::CreateRequest cr;
        cr.podman = r.podman;
        cr.container = r.container;
        cr.image = resolved->names.image;
        cr.assume_yes = ctx.assume_yes;
        cr.toolbox_path = toolbox_path(ctx);
        cr.default_container = resolved->default_container;
        auto created = core::create_container(cr);
        if (!created) return created.error();
        if (!*created) return 0;
      } else if (list->size() == 1 && resolved->is_default) {
        std::fprintf(stderr,
                     "Error: container %s not found\nEntering container %s instead.\nUse the 'create' command to "
                     "create a different Toolbx.\n%s\n",
                     r.container.c_str(), list->front().name.c_str(), core::kUsageHint);
        r.container = list->front().name;
      } else {
        return core::usage_error("container " + r.container + " not found",
                                 "Use the '--container' option to select a Toolbx.");
      }
      inspected = core::inspect_container(r.podman, r.container);
    }
    if (!inspected) return inspected.error();
    auto code = core::run_in_container(r, std::move(*inspected));
    if (!code) return code.error();
    return *code;
  };
  return c;
}

}  // namespace tbx::cli
