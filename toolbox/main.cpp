// toolbox: wires the CLI11 command line to the core. See docs/toolbox.1.md.
//
// Steps: (1) undo what running through the binfmt_misc handler changed about the
// process, (2) parse the global options as Toolbx does, (3) set up logging,
// (4) run the one subcommand. Errors are printed here, once, as "Error: ...".
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/context.h"
#include "cli/help.h"
#include "core/forward.h"
#include "core/subid.h"
#include "sys/user.h"
#include "sys/self.h"

#ifndef TOOLBOX_VERSION
#define TOOLBOX_VERSION "unknown"
#endif

namespace {

using tbx::cli::Context;

constexpr const char* kUsageHint = "Run 'toolbox --help' for usage.";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "Error: %s\n%s\n", message.c_str(), kUsageHint);
  return 1;
}

bool set_up_logging(const Context& ctx) {
  auto logger = spdlog::stderr_color_st("toolbox");
  // As logrus in Toolbx: logfmt when stderr is not a terminal, which is how the
  // entry point's lines reach `podman logs` and are relayed by enter and run.
  logger->set_pattern(::isatty(STDERR_FILENO) ? "%l: %v" : "level=%l msg=\"%v\"");
  spdlog::set_default_logger(logger);
  std::string level = ctx.verbose > 0 ? "debug" : ctx.log_level;
  if (level == "warning") level = "warn";
  if (level == "fatal" || level == "panic") level = "critical";
  const auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") return false;
  spdlog::set_level(lvl);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // 1. Through the handler the loader ran us: restore the user's environment
  //    and show up as "toolbox", not as ld.so.
  tbx::sys::adopt_handler_startup(argc, argv);

  // 2. The command line.
  Context ctx;
  CLI::App app{"Tool for interactive command line environments on Linux", "toolbox"};
  app.set_help_flag();  // --help opens the man page, as in Toolbx
  app.add_flag("-y,--assumeyes", ctx.assume_yes, "Automatically answer yes for all questions");
  app.add_option("--log-level", ctx.log_level, "Log messages at the given level");
  app.add_flag("--log-podman", ctx.log_podman, "Show the log output of Podman");
  app.add_flag("-v,--verbose", ctx.verbose, "Set log-level to 'debug'");
  bool want_version = false;
  app.add_flag("--version", want_version, "Show the version");

  auto* help = app.add_subcommand("help", "Display help information about Toolbx");
  std::vector<std::string> help_topics;
  help->add_option("COMMAND", help_topics);
  help->set_help_flag();

  std::vector<tbx::cli::Command> commands;
  commands.push_back(tbx::cli::add_create_command(app, ctx));
  commands.push_back(tbx::cli::add_enter_command(app, ctx));
  commands.push_back(tbx::cli::add_list_command(app, ctx));
  commands.push_back(tbx::cli::add_rm_command(app, ctx));
  commands.push_back(tbx::cli::add_rmi_command(app, ctx));
  commands.push_back(tbx::cli::add_run_command(app, ctx));
  commands.push_back(tbx::cli::add_init_container_command(app, ctx));
  commands.push_back(tbx::cli::add_binfmt_command(app, ctx));

  // Inside a Toolbx container the user's commands run on the host (not the
  // entry point, and not binfmt, which inspects this side).
  if (argc >= 2) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool local = false;
    for (const std::string& a : args) local |= a == "init-container" || a == "binfmt";
    const tbx::core::Place place = tbx::core::where_am_i();
    if (!local && place == tbx::core::Place::toolbx_container) {
      auto code = tbx::core::forward_to_host(args);
      if (!code) return tbx::cli::print_error(code.error());
      return *code;
    }
    if (!local && place == tbx::core::Place::other_container && args.front() != "--version")
      return tbx::cli::print_error(tbx::make_error(EINVAL, "this is not a Toolbx container"));
  }

  // --help anywhere opens a man page, as in Toolbx: the first word that is not an
  // option picks toolbox-WORD(1).
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a != "-h" && a != "--help") continue;
    for (int j = 1; j < argc; ++j)
      if (argv[j][0] != '-' && std::string(argv[j]) != "toolbox") return tbx::cli::show_manual(ctx, std::string("toolbox-") + argv[j]);
    return tbx::cli::show_manual(ctx, "toolbox");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // CLI11 lists what it did not expect; Toolbx (cobra) says "unknown command" or
    // "unknown flag" for the first of them.
    const std::string what = e.what();
    const std::size_t colon = what.find(": ");
    std::string first = colon == std::string::npos ? "" : what.substr(colon + 2);
    first = first.substr(0, first.find(' '));
    if (!first.empty() && first.front() == '-') return usage_error("unknown flag: " + first);
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) known |= sub->get_name() == first;
    if (!first.empty() && !known && !app.got_subcommand("binfmt"))
      return usage_error("unknown command \"" + first + "\" for \"toolbox\"");
    return usage_error(what);
  } catch (const CLI::ArgumentMismatch& e) {
    // CLI11: "--distro: 1 required TEXT missing"; cobra (pflag): "flag needs an
    // argument: --distro", or "'d' in -d" for a short flag. A value is missing
    // only after the last argument, so that is the flag as typed.
    const std::string what = e.what();
    const std::string last = argc > 1 ? argv[argc - 1] : "";
    const std::string flag = last.rfind('-', 0) == 0 ? last : what.substr(0, what.find(':'));
    if (flag.size() > 2 && flag.rfind("--", 0) == 0) return usage_error("flag needs an argument: " + flag);
    if (flag.size() == 2 && flag[0] == '-') return usage_error("flag needs an argument: '" + flag.substr(1) + "' in " + flag);
    return usage_error(what);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  // 3. Logging, to stderr.
  // logrus's own words, and no usage line: Toolbx returns the parse error as it is.
  if (!set_up_logging(ctx))
    return tbx::cli::print_error(
        tbx::make_error(EINVAL, "failed to parse log-level: not a valid logrus Level: \"" + ctx.log_level + "\""));
  if (auto self = tbx::sys::own_executable_path())
    ctx.executable = *self, spdlog::debug("Resolved absolute path to the executable as {}", ctx.executable);

  if (want_version) {
    std::printf("toolbox version %s\n", TOOLBOX_VERSION);
    return 0;
  }

  // 4. The subcommand.
  if (*help) {
    if (help_topics.empty() || help_topics.front() == "toolbox") return tbx::cli::show_manual(ctx, "toolbox");
    return tbx::cli::show_manual(ctx, "toolbox-" + help_topics.front());
  }
  // Rootless Podman needs subordinate IDs: say so before Podman fails.
  if (::getuid() != 0 && !app.got_subcommand("binfmt") && !app.got_subcommand("init-container")) {
    if (auto user = tbx::sys::current_user(); user) {
      if (auto r = tbx::core::check_subid_ranges(user->name, user->uid); !r) return tbx::cli::print_error(r.error());
    }
  }
  for (const tbx::cli::Command& c : commands)
    if (*c.app) return c.run();
  return tbx::cli::missing_command();
}
