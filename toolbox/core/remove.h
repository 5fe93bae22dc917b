// `toolbox rm` and `toolbox rmi` (reference §6.3, 6.4): each named object is
// inspected, must carry a Toolbx label and is then removed with `podman rm` or
// `podman rmi`, whose exit status says why it failed; with --all, every Toolbx
// container (each image ID once) is removed without the inspection.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/podman.h"
#include "toolbox/result.h"

namespace tbx::core {

enum class ObjectKind { container, image };

// podman --log-level L rm [--force] CONTAINER
Argv podman_rm_argv(const Podman& p, bool force, const std::string& container);
// podman --log-level L rmi [--force] IMAGE
Argv podman_rmi_argv(const Podman& p, bool force, const std::string& image);
// podman --log-level L inspect --format json --type container|image NAME
Argv podman_inspect_argv(const Podman& p, ObjectKind kind, const std::string& name);

// What podman rm/rmi's exit status means (Podman 1.x to 4.x): 0 removed,
// 1 no such object, 2 a running container / an image that containers use,
// anything else another failure.
Result<void> removal_status(ObjectKind kind, const ExitStatus& status, const std::string& name);

// "failed to inspect container X" or "X is not a Toolbx container" (image alike).
Result<void> check_toolbx(const Podman& p, ObjectKind kind, const std::string& name);

// Runs podman rm/rmi; the error says why, as removal_status.
Result<void> remove_object(const Podman& p, ObjectKind kind, const std::string& name, bool force);

struct RemoveRequest {
  ObjectKind kind = ObjectKind::container;
  Podman podman;
  bool all = false;    // every Toolbx object; `names` is ignored
  bool force = false;  // podman rm/rmi --force
  std::vector<std::string> names;
};

// Removes what the request names. Each object's failure is passed to `report`
// and the next object is tried. Returns how many failed; an error only if
// the list of Toolbx objects for --all cannot be had.
Result<std::size_t> remove_toolbx_objects(const RemoveRequest& r, const std::function<void(const Error&)>& report);

}  // namespace tbx::core
