// The parsed global options, passed first to every subcommand.
#pragma once

#include <string>

#include "core/podman.h"

namespace tbx::cli {

struct Context {
  bool assume_yes = false;
  std::string log_level = "error";
  bool log_podman = false;
  int verbose = 0;
  std::string executable;  // absolute path of this toolbox binary (TOOLBOX_PATH on the host)

  // Podman gets --log-level error unless --log-podman or -vv (reference §2.1).
  core::Podman podman() const {
    core::Podman p;
    if (log_podman || verbose >= 2) p.log_level = verbose > 0 ? "debug" : log_level;
    return p;
  }
};

}  // namespace tbx::cli
