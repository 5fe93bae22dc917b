#include "core/remove.h"

#include <spdlog/spdlog.h>

#include "core/list.h"
#include "core/run_cache.h"
#include "paths/runtime.h"

namespace tbx::core {

namespace {

const char* noun(ObjectKind kind) { return kind == ObjectKind::container ? "container" : "image"; }

// The IDs to remove for --all: containers by ID, images by ID once each (an
// image with several names is one image: `podman rmi ID` removes all names,
// or fails for all of them without --force).
Result<std::vector<std::string>> all_ids(const RemoveRequest& r) {
  std::vector<std::string> ids;
  if (r.kind == ObjectKind::container) {
    TBX_TRY(const auto containers, get_toolbx_containers(r.podman), "");
    for (const ContainerSummary& c : containers) ids.push_back(c.id);
  } else {
    TBX_TRY(const auto images, get_toolbx_images(r.podman), "");
    for (const ImageSummary& i : images) ids.push_back(i.id);
  }
  return ids;
}

// Container labels are Config.Labels; image labels are Labels (or
// Config.Labels in older Podman).
Result<Labels> labels_of_inspected(ObjectKind kind, const std::string& json) {
  if (kind == ObjectKind::image) return parse_image_labels_json(json);
  TBX_TRY(const ContainerInspect c, parse_container_inspect_json(json), "");
  return c.labels;
}

}  // namespace

Argv podman_rm_argv(const Podman& p, bool force, const std::string& container) {
  Argv a = p.with({"rm"});
  if (force) a.push_back("--force");
  a.push_back(container);
  return a;
}

Argv podman_rmi_argv(const Podman& p, bool force, const std::string& image) {
  Argv a = p.with({"rmi"});
  if (force) a.push_back("--force");
  a.push_back(image);
  return a;
}

Argv podman_inspect_argv(const Podman& p, ObjectKind kind, const std::string& name) {
  return p.with({"inspect", "--format", "json", "--type", noun(kind), name});
}

Result<void> removal_status(ObjectKind kind, const ExitStatus& status, const std::string& name) {
  if (status.success()) return {};
  const std::string what = std::string(noun(kind)) + " " + name;
  if (status.signal == 0 && status.code == 1) return make_error(ENOENT, what + " not found");
  if (status.signal == 0 && status.code == 2)
    return kind == ObjectKind::container ? make_error(EBUSY, what + " is running")
                                         : make_error(EBUSY, what + " has dependent children");
  return make_error(EIO, "failed to remove " + what);
}

Result<void> check_toolbx(const Podman& p, ObjectKind kind, const std::string& name) {
  const Error failed = make_error(EIO, std::string("failed to inspect ") + noun(kind) + " " + name);
  auto r = podman_capture(podman_inspect_argv(p, kind, name));
  if (!r) {
    spdlog::debug("podman inspect {}: {}", name, r.error().message);
    return failed;
  }
  if (!r->status.success()) {
    spdlog::debug("podman inspect {}: exit status {}: {}", name, r->status.code, r->err);
    return failed;
  }
  auto labels = labels_of_inspected(kind, r->out);
  if (!labels) {
    spdlog::debug("podman inspect {}: {}", name, labels.error().message);
    return failed;
  }
  if (!is_toolbx(*labels)) return make_error(EINVAL, name + " is not a Toolbx " + noun(kind));
  return {};
}

Result<void> remove_object(const Podman& p, ObjectKind kind, const std::string& name, bool force) {
  spdlog::debug("Removing {} {}", noun(kind), name);
  const bool container = kind == ObjectKind::container;
  const char* verb = container ? "rm" : "rmi";
  auto r = podman_capture(container ? podman_rm_argv(p, force, name) : podman_rmi_argv(p, force, name));
  if (!r) {
    spdlog::debug("podman {}: {}", verb, r.error().message);
    return make_error(r.error().code, std::string("failed to remove ") + noun(kind) + " " + name);
  }
  if (!r->status.success()) spdlog::debug("podman {} {}: exit status {}: {}", verb, name, r->status.code, r->err);
  return removal_status(kind, r->status, name);
}

Result<std::size_t> remove_toolbx_objects(const RemoveRequest& r, const std::function<void(const Error&)>& report) {
  // A removed container's name may be given to another one: no run cache may
  // outlive it. Dropped before the removal, which another run may race anyway
  // (the cache's own checks catch that).
  if (r.kind == ObjectKind::container) drop_run_caches(paths::caller_toolbox_runtime_dir());
  std::size_t failed = 0;
  auto fail = [&](const Error& e) {
    ++failed;
    report(e);
  };
  if (r.all) {
    TBX_TRY(const std::vector<std::string> ids, all_ids(r), "");
    for (const std::string& id : ids)
      if (auto removed = remove_object(r.podman, r.kind, id, r.force); !removed) fail(removed.error());
    return failed;
  }
  for (const std::string& name : r.names) {
    if (auto checked = check_toolbx(r.podman, r.kind, name); !checked) {
      fail(checked.error());
      continue;
    }
    if (auto removed = remove_object(r.podman, r.kind, name, r.force); !removed) fail(removed.error());
  }
  return failed;
}

}  // namespace tbx::core
