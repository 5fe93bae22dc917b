// The Toolbx containers and images that podman knows of (reference §6.1, 6.2):
// `podman images` and `podman ps`, their argument vectors built by pure
// functions, their JSON parsed and narrowed to the Toolbx-labelled objects.
// Shared by `list`, `rm --all` and `rmi --all`.
#pragma once

#include <vector>

#include "core/podman.h"
#include "toolbox/result.h"

namespace tbx::core {

// podman --log-level L images --format json
Argv podman_images_argv(const Podman& p);
// podman --log-level L ps --all --format json --sort names
Argv podman_ps_argv(const Podman& p);

// Toolbx images, each ID once ("failed to get images").
Result<std::vector<ImageSummary>> get_toolbx_images(const Podman& p);
// Toolbx containers, sorted by name by podman ("failed to get containers").
Result<std::vector<ContainerSummary>> get_toolbx_containers(const Podman& p);

}  // namespace tbx::core
