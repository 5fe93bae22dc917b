// toolbox run [-c CONTAINER] [-d DISTRO] [-r RELEASE] [--preserve-fds N] COMMAND [ARG...]

#include <charconv>
#include <memory>
#include <system_error>

#include "cli/command.h"
#include "cli/resolve.h"
#include "core/run_command.h"
#include "core/usage.h"

namespace tbx::cli {

namespace {

struct RunArgs {
  std::string container, distro, release;
  std::string preserve_fds = "0";
  std::vector<std::string> command;
};

}  // namespace

Command add_run_command(CLI::App& root, Context& ctx) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* app = root.add_subcommand("run", "Run a command in an existing Toolbx container");
  app->add_option("-c,--container", a->container, "Run command inside a Toolbx container with the given name");
  app->add_option("-d,--distro", a->distro, "Run command inside a Toolbx container for a different operating system distribution");
  app->add_option("-r,--release", a->release, "Run command inside a Toolbx container for a different operating system release");
  app->add_option("--preserve-fds", a->preserve_fds, "Pass down to command N additional file descriptors (in addition to 0, 1, 2)");
  // COMMAND and its arguments: everything from the first positional on, flags,
  // `--` and command names included (cobra's SetInterspersed(false)).
  app->add_option("COMMAND", a->command, "The command to run and its arguments");
  app->positionals_at_end();

  Command c;
  c.app = app;
  c.run = [&ctx, a]() -> Result<int> {
    const std::vector<std::string>& command = a->command;
    // pflag's uint flag, with its words (strconv.ParseUint).
    unsigned fds = 0;
    const std::string& f = a->preserve_fds;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), fds);
    if (f.empty() || ec != std::errc() || end != f.data() + f.size())
      return core::usage_error("invalid argument \"" + f + "\" for \"--preserve-fds\" flag: strconv.ParseUint: " +
                               "parsing \"" + f + "\": " +
                               (ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax"));
    if (command.empty()) return core::usage_error("missing argument for \"run\"");
    auto resolved = resolve_for_command(ctx, ResolveArgs{"", a->container, a->distro, "", a->release});
    if (!resolved) return resolved.error();
    TBX_TRY(core::RunRequest r, make_run_request(ctx, resolved->names.container), "preparing the command");
    r.command = command;
    r.preserve_fds = fds;
    r.enter = false;
    auto inspected = core::find_container(r);
    if (!inspected) {
      if (inspected.error().code == ENOENT)
        return core::usage_error("container " + r.container + " not found",
                                 "Use the 'create' command to create a Toolbx.");
      return inspected.error();
    }
    auto code = core::run_in_container(r, std::move(*inspected));
    if (!code) return code.error();
    return *code;
  };
  return c;
}

}  // namespace tbx::cli
