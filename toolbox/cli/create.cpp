// toolbox create [CONTAINER]: see docs/toolbox-create.1.md.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/command.h"
#include "cli/resolve.h"
#include "core/create.h"
#include "core/usage.h"

namespace tbx::cli {

namespace {

struct CreateArgs {
  std::string container_positional, container_option, distro, image, release, authfile;
};

}  // namespace

Command add_create_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<CreateArgs>();
  CLI::App* app = root.add_subcommand("create", "Create a new Toolbx container");
  app->add_option("--authfile", a->authfile, "Path to a file with credentials for authenticating to the registry");
  app->add_option("-c,--container", a->container_option, "Assign a different name to the Toolbx container");
  app->add_option("-d,--distro", a->distro, "Create a Toolbx container for a different operating system distribution");
  app->add_option("-i,--image", a->image, "Change the name of the base image used to create the Toolbx container");
  app->add_option("-r,--release", a->release, "Create a Toolbx container for a different operating system release");
  app->add_option("CONTAINER", a->container_positional, "Name of the container");

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    if (!a->distro.empty() && !a->image.empty())
      return core::usage_error("options --distro and --image cannot be used together");
    if (!a->image.empty() && !a->release.empty())
      return core::usage_error("options --image and --release cannot be used together");
    if (!a->authfile.empty() && ::access(a->authfile.c_str(), F_OK) != 0)
      return core::usage_error("file " + a->authfile + " not found",
                                           "'podman login' can be used to create the file.");
    auto resolved = resolve_for_command(ctx, ResolveArgs{a->container_positional, a->container_option, a->distro,
                                                          a->image, a->release});
    if (!resolved) return resolved.error();

    core::CreateRequest r;
    r.podman = ctx.podman();
    r.container = resolved->names.container;
    r.image = resolved->names.image;
    r.authfile = a->authfile;
    r.assume_yes = ctx.assume_yes;
    r.toolbox_path = toolbox_path(ctx);
    r.default_container = resolved->default_container;
    auto created = core::create_container(r);
    if (!created) return created.error();
    if (!*created) return 0;  // the download was declined
    std::printf("Created container: %s\n", r.container.c_str());
    std::printf("Enter with: %s\n", core::enter_command(r.container, r.default_container).c_str());
    return 0;
  };
  return c;
}

}  // namespace tbx::cli
