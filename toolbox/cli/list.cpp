// toolbox list [--containers] [--images]: see docs/toolbox-list.1.md.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "core/list.h"
#include "core/list_format.h"
#include "sys/user.h"

namespace tbx::cli {

namespace {

struct ListArgs {
  bool containers = false, images = false;
};

}  // namespace

Command add_list_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<ListArgs>();
  CLI::App* app = root.add_subcommand("list", "List all existing Toolbx containers and images");
  app->add_flag("-c,--containers", a->containers, "List only Toolbx containers, not images");
  app->add_flag("-i,--images", a->images, "List only Toolbx images, not containers");

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    // One of the two flags alone narrows the listing; both or neither list both.
    const bool images = a->images || !a->containers;
    const bool containers = a->containers || !a->images;
    const core::Podman podman = ctx.podman();
    const auto now = std::chrono::system_clock::now();

    std::vector<core::ImageRow> image_rows;
    if (images) {
      auto found = core::get_toolbx_images(podman);
      if (!found) return found.error();
      image_rows = core::image_rows(*found, now);
    }
    std::vector<core::ContainerRow> container_rows;
    if (containers) {
      auto found = core::get_toolbx_containers(podman);
      if (!found) return found.error();
      container_rows = core::container_rows(*found, now);
    }
    const std::string out = core::format_list(image_rows, container_rows, sys::is_terminal(STDOUT_FILENO));
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  };
  return c;
}

}  // namespace tbx::cli
