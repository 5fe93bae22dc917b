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

}  // namespace tbx::init
