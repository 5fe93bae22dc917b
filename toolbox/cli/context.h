// The parsed global options, passed first to every subcommand.
#pragma once

#include <string>

namespace tbx::cli {

struct Context {
  bool assume_yes = false;
  std::string log_level = "error";
  bool log_podman = false;
  int verbose = 0;
  std::string executable;  // absolute path of this toolbox binary (TOOLBOX_PATH on the host)
};

}  // namespace tbx::cli
