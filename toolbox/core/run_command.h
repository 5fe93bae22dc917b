// What enter and run share (reference §5): find the container, start it when
// stopped, wait for its entry point, exec the command, map the exit status.
// The warm path costs one podman launch, the exec (core/run_cache.h); waiting
// for the entry point is core/readiness.h, its log lines core/logfmt.h.
#pragma once

#include <string>

#include "core/podman.h"
#include "toolbox/result.h"

namespace tbx::core {

struct RunRequest {
  Podman podman;
  std::string container;
  Argv command;              // run: COMMAND ARG...; enter: the login shell with -l
  bool enter = false;        // enter: OSC 777, /bin/bash fallback, no login wrapper
  unsigned preserve_fds = 0;
  std::string user;
  std::string home;
  std::string workdir;
  std::string xdg_runtime_dir;
  unsigned uid = 0;
};

// The container's state in one `podman inspect`. ENOENT when it does not exist.
Result<ContainerInspect> inspect_container(const Podman& p, const std::string& name);

// The warm path's shortcut: a running, initialised container that an earlier
// run saw, known by its entry point's PID and that process's start time (a
// PID with the same start time is the same process, so the same container).
// Falls back to inspect_container() when anything does not match.
Result<ContainerInspect> find_container(const RunRequest& r);

// Steps from "the container exists" to the exit status of the command.
Result<int> run_in_container(const RunRequest& r, ContainerInspect inspected);

}  // namespace tbx::core
