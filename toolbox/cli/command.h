// How a subcommand file plugs into main(): it registers its options on the CLI11
// app and returns what to run when the user picked it. One file per subcommand.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"


namespace tbx::cli {

struct Command {
  CLI::App* app = nullptr;
  // The exit status, or the error (exit 1) that run_command_line() prints.
  std::function<Result<int>()> run;
};

Command add_create_command(CLI::App& root, Context& ctx);
Command add_enter_command(CLI::App& root, Context& ctx);
Command add_run_command(CLI::App& root, Context& ctx);
Command add_list_command(CLI::App& root, Context& ctx);
Command add_rm_command(CLI::App& root, Context& ctx);
Command add_rmi_command(CLI::App& root, Context& ctx);
Command add_init_container_command(CLI::App& root, Context& ctx);
Command add_binfmt_command(CLI::App& root, Context& ctx);
Command add_completion_command(CLI::App& root, Context& ctx);

// Prints "Error: <message>" once (the message may span lines) and returns 1.
int print_error(const tbx::Error& e);

// create and enter ignore arguments after the first (CLI11's extras), as
// Toolbx does, but not unknown flags among them: cobra's error for the first
// ("unknown flag: --x", "unknown shorthand flag: 'x' in -x").
std::optional<tbx::Error> unknown_flag(const std::vector<std::string>& extras);


}  // namespace tbx::cli
