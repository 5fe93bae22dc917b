#include "core/list.h"

#include <spdlog/spdlog.h>

#include "core/list_format.h"

namespace tbx::core {

namespace {

// Runs a podman listing; any failure is the one message `what`, the cause
// goes to the debug log (as Toolbx does).
Result<std::string> podman_listing(const Argv& argv, const char* what) {
  auto r = podman_capture(argv);
  if (!r) {
    spdlog::debug("{}: {}", what, r.error().message);
    return make_error(r.error().code, what);
  }
  if (!r->status.success()) {
    spdlog::debug("{}: podman exited with {}: {}", what, r->status.code, r->err);
    return make_error(EIO, what);
  }
  return std::move(r->out);
}

}  // namespace

Argv podman_images_argv(const Podman& p) { return p.with({"images", "--format", "json"}); }

Argv podman_ps_argv(const Podman& p) { return p.with({"ps", "--all", "--format", "json", "--sort", "names"}); }

Result<std::vector<ImageSummary>> get_toolbx_images(const Podman& p) {
  constexpr const char* what = "failed to get images";
  TBX_TRY(const std::string out, podman_listing(podman_images_argv(p), what), "");
  auto images = parse_images_json(out);
  if (!images) {
    spdlog::debug("{}: {}", what, images.error().message);
    return make_error(EINVAL, what);
  }
  return toolbx_images(*images);
}

Result<std::vector<ContainerSummary>> get_toolbx_containers(const Podman& p) {
  constexpr const char* what = "failed to get containers";
  TBX_TRY(const std::string out, podman_listing(podman_ps_argv(p), what), "");
  auto containers = parse_ps_json(out);
  if (!containers) {
    spdlog::debug("{}: {}", what, containers.error().message);
    return make_error(EINVAL, what);
  }
  return toolbx_containers(*containers);
}

}  // namespace tbx::core
