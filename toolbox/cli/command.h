// How a subcommand file plugs into main(): it registers its options on the CLI11
// app and returns what to run when the user picked it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/context.h"

namespace tbx::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // returns the exit status
};

Command add_binfmt_command(CLI::App& root, Context& ctx);

}  // namespace tbx::cli
