#include "cli/help.h"

#include <unistd.h>

#include <cstdio>

#include "core/process.h"

namespace tbx::cli {

namespace {

constexpr const char* kCommonCommands =
    "create    Create a new Toolbx container\n"
    "enter     Enter an existing Toolbx container\n"
    "list      List all existing Toolbx containers and images\n";

}  // namespace

int show_manual(const Context&, const std::string& page) {
  auto man = core::find_program("man");
  if (!man) {
    std::printf(
        "toolbox - Tool for interactive command line environments on Linux\n"
        "\n"
        "Common commands are:\n"
        "%s"
        "\n"
        "Go to https://containertoolbx.org/ for further information.\n",
        kCommonCommands);
    return 0;
  }
  // As upstream: man's errors go where its page goes, and man replaces us.
  std::fflush(stdout);
  ::dup2(STDOUT_FILENO, STDERR_FILENO);
  auto r = core::exec_replace({*man, page});
  std::fprintf(stderr, "Error: %s\n", r.error().message.c_str());
  return 1;
}

Error missing_command() {
  return make_error(EINVAL, std::string("missing command\n\n") + kCommonCommands + "\nRun 'toolbox --help' for usage.");
}

}  // namespace tbx::cli
