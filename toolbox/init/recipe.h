// toolbox init-container: the container's entry point (reference §4).
#pragma once

#include <optional>
#include <string>

#include "toolbox/result.h"

namespace tbx::init {

struct InitOptions {
  std::optional<unsigned> gid;
  std::string home;
  bool home_link = false, media_link = false, mnt_link = false;
  std::string shell;
  unsigned uid = 0;
  std::string user;
};

// Runs every step, then waits for events forever; returns only on failure.
tbx::Result<void> run_init_container(const InitOptions& opts);

// Pure: the zone name of a resolved /etc/localtime ("Europe/Berlin"), or an
// error if it lies outside a zoneinfo tree.
tbx::Result<std::string> zone_of_localtime(const std::string& resolved);

// <runtime dir>/toolbox, which the host's toolbox and init-container share
// (create bind-mounts it): $XDG_RUNTIME_DIR/toolbox, or /run/toolbox for root.
std::string toolbox_runtime_dir(unsigned uid, const std::string& xdg_runtime_dir);

// The path of the readiness stamp that enter and run wait for.
std::string stamp_path(unsigned uid, const std::string& xdg_runtime_dir, int pid);

}  // namespace tbx::init
