// toolbox run [-c CONTAINER] [-d DISTRO] [-r RELEASE] [--preserve-fds N] COMMAND [ARG...]

#include <memory>

#include "cli/command.h"
#include "cli/resolve.h"
#include "core/run_command.h"
#include "core/usage.h"

namespace tbx::cli {

namespace {

struct RunArgs {
  std::string container, distro, release;
  unsigned preserve_fds = 0;
};

}  // namespace

Command add_run_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* app = root.add_subcommand("run", "Run a command in an existing Toolbx container");
  app->add_option("-c,--container", a->container, "Run command inside a Toolbx container with the given name");
  app->add_option("-d,--distro", a->distro, "Run command inside a Toolbx container for a different operating system distribution");
  app->add_option("-r,--release", a->release, "Run command inside a Toolbx container for a different operating system release");
  app->add_option("--preserve-fds", a->preserve_fds, "Pass down to command N additional file descriptors (in addition to 0, 1, 2)");
  // COMMAND and its arguments: everything from the first word that is not one
  // of our options on, flags included (Toolbx's SetInterspersed(false)).
  app->prefix_command();

  Command c;
  c.app = app;
  c.run = [&ctx, a, app]() -> int {
    const std::vector<std::string> command = app->remaining();
    if (command.empty()) return print_error(core::usage_error("missing argument for \"run\""));
    auto resolved = resolve_for_command(ctx, ResolveArgs{"", a->container, a->distro, "", a->release});
    if (!resolved) return print_error(resolved.error());
    TBX_TRY_OR_PRINT(core::RunRequest r, make_run_request(ctx, resolved->names.container));
    r.command = command;
    r.preserve_fds = a->preserve_fds;
    r.enter = false;
    auto inspected = core::find_container(r);
    if (!inspected) {
      if (inspected.error().code == ENOENT)
        return print_error(core::usage_error("container " + r.container + " not found",
                                             "Use the 'create' command to create a Toolbx."));
      return print_error(inspected.error());
    }
    auto code = core::run_in_container(r, std::move(*inspected));
    if (!code) return print_error(code.error());
    return *code;
  };
  return c;
}

}  // namespace tbx::cli
