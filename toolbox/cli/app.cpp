// The command line as upstream's cobra tree reads it (reference §2), built from
// CLI11's own facilities; docs/design.md "The command line" says how each cobra
// rule maps onto CLI11 and where CLI11 cannot follow.
#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/context.h"
#include "cli/help.h"
#include "core/forward.h"
#include "core/subid.h"
#include "core/usage.h"
#include "sys/self.h"
#include "sys/user.h"

#ifndef TOOLBOX_VERSION
#define TOOLBOX_VERSION "unknown"
#endif

namespace tbx::cli {

namespace {

// What the parse found besides the options the commands registered.
struct Globals {
  bool help = false;
  bool version = false;
};

// cobra's persistent flags: accepted on the root and after any subcommand, all
// into the one Context. -v counts across both places (-v create -v is -vv).
void add_persistent_flags(CLI::App& app, Context& ctx, Globals& g) {
  app.add_flag("-h,--help", g.help, "Show the manual");  // ours: the man page, not CLI11's text
  app.add_flag("-y,--assumeyes", ctx.assume_yes, "Automatically answer yes for all questions");
  app.add_option("--log-level", ctx.log_level, "Log messages at the given level");
  app.add_flag("--log-podman", ctx.log_podman, "Show the log output of Podman");
  app.add_flag_function(
      "-v,--verbose", [&ctx](std::int64_t n) { ctx.verbose += static_cast<int>(n); }, "Set log-level to 'debug'");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

// logrus.ParseLevel: the names compared lower-cased, "warning" for "warn";
// spdlog's names for them.
std::optional<spdlog::level::level_enum> logrus_level(const std::string& name) {
  const std::string l = lower(name);
  if (l == "trace") return spdlog::level::trace;
  if (l == "debug") return spdlog::level::debug;
  if (l == "info") return spdlog::level::info;
  if (l == "warn" || l == "warning") return spdlog::level::warn;
  if (l == "error") return spdlog::level::err;
  if (l == "fatal" || l == "panic") return spdlog::level::critical;
  return std::nullopt;
}

Result<void> set_up_logging(const Context& ctx) {
  auto logger = spdlog::stderr_color_st("toolbox");
  // As logrus in Toolbx: logfmt when stderr is not a terminal, which is how the
  // entry point's lines reach `podman logs` and are relayed by enter and run.
  logger->set_pattern(::isatty(STDERR_FILENO) ? "%l: %v" : "level=%l msg=\"%v\"");
  spdlog::set_default_logger(logger);
  const auto level = logrus_level(ctx.log_level);
  // logrus's own words, and no usage line: Toolbx returns the parse error as it is.
  if (!level)
    return make_error(EINVAL, "failed to parse log-level: not a valid logrus Level: \"" + ctx.log_level + "\"");
  spdlog::set_level(ctx.verbose > 0 ? spdlog::level::debug : *level);
  return {};
}

// cobra's SuggestionsFor: visible commands within Levenshtein distance 2 of
// the word, or starting with it (both lower-cased).
std::size_t levenshtein(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

Error unknown_command(const std::string& word, const CLI::App& root) {
  std::string m = "unknown command \"" + word + "\" for \"toolbox\"";
  std::string suggestions;
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    const std::string name = sub->get_name();
    if (levenshtein(lower(word), lower(name)) <= 2 || lower(name).rfind(lower(word), 0) == 0)
      suggestions += "\t" + name + "\n";
  }
  if (!suggestions.empty()) m += "\n\nDid you mean this?\n" + suggestions;
  return core::usage_error(m);
}

// cobra's word for the first flag no command registered, or (with `commands`,
// on the root) for a word that names no command. CLI11 left these over, in
// order, because every app allows extras.
std::optional<Error> refused_word(const CLI::App& app, bool commands) {
  for (const std::string& w : app.remaining(false)) {
    if (w == "--") break;  // arguments from here on, flags or not
    if (w.size() >= 2 && w[0] == '-') return unknown_flag({w});
    if (commands && !w.empty()) return unknown_command(w, app);
  }
  return std::nullopt;
}

// The parsed chain of subcommands under `root`, outermost first.
std::vector<const CLI::App*> parsed_chain(const CLI::App& root) {
  std::vector<const CLI::App*> chain;
  for (const CLI::App* a = &root;;) {
    const auto subs = a->get_subcommands();
    if (subs.empty()) return chain;
    a = subs.front();
    chain.push_back(a);
  }
}

// pflag's words for an option given without its value; CLI11 only says which
// option, so the flag as typed is the last word (nothing after it to take).
Error missing_value(const CLI::ArgumentMismatch& e, int argc, char** argv) {
  const std::string what = e.what();
  const std::string last = argc > 1 ? argv[argc - 1] : "";
  const std::string flag = last.rfind('-', 0) == 0 ? last : what.substr(0, what.find(':'));
  if (flag.size() > 2 && flag.rfind("--", 0) == 0) return core::usage_error("flag needs an argument: " + flag);
  if (flag.size() == 2 && flag[0] == '-')
    return core::usage_error("flag needs an argument: '" + flag.substr(1) + "' in " + flag);
  return core::usage_error(what);
}

// Commands that stay on this side inside a container: the entry point, binfmt,
// which inspects this side, and completion, which needs nothing of the host.
bool runs_here(const std::string& command) {
  return command == "init-container" || command == "binfmt" || command == "completion";
}

}  // namespace

namespace {

Result<int> parse_and_run(int argc, char** argv) {
  // 1. The tree: the root's own options, the persistent ones everywhere, each
  //    command's options. At most one command, as cobra finds one: after it, a
  //    command's name is a word like any other (`run rm -f foo` runs rm(1)).
  Context ctx;
  Globals g;
  CLI::App app{"Tool for interactive command line environments on Linux", "toolbox"};
  app.set_help_flag();
  app.require_subcommand(-1);
  app.allow_extras();  // judged below, in cobra's words
  add_persistent_flags(app, ctx, g);
  app.add_flag("--version", g.version, "Show the version");  // the root's own, as cobra's

  CLI::App* help = app.add_subcommand("help", "Display help information about Toolbx");
  std::vector<std::string> help_topics;
  help->add_option("COMMAND", help_topics);

  std::vector<Command> commands;
  commands.push_back(add_create_command(app, ctx));
  commands.push_back(add_enter_command(app, ctx));
  commands.push_back(add_list_command(app, ctx));
  commands.push_back(add_rm_command(app, ctx));
  commands.push_back(add_rmi_command(app, ctx));
  commands.push_back(add_run_command(app, ctx));
  commands.push_back(add_init_container_command(app, ctx));
  commands.push_back(add_binfmt_command(app, ctx));
  commands.push_back(add_completion_command(app, ctx));
  // Commands without a list of arguments take any (cobra's default): their words
  // go to an ignored list, so that `--` stays theirs.
  std::vector<std::string> ignored;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->set_help_flag();
    sub->allow_extras();
    const std::string name = sub->get_name();
    if (name == "create" || name == "enter" || name == "list" || name == "init-container")
      sub->add_option("IGNORED", ignored)->group("");
    if (sub->get_name() != "binfmt") add_persistent_flags(*sub, ctx, g);
  }

  // 2. Parse. What CLI11 leaves over is judged first, before any other check,
  //    as pflag fails before a command runs.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ArgumentMismatch& e) {
    return missing_value(e, argc, argv);
  } catch (const CLI::ParseError& e) {
    return core::usage_error(e.what());
  }
  const std::vector<const CLI::App*> chain = parsed_chain(app);
  if (auto e = refused_word(app, true)) return *e;
  for (const CLI::App* sub : chain)
    if (auto e = refused_word(*sub, sub->get_name() == "binfmt")) return *e;
  const std::string command = chain.empty() ? "" : chain.front()->get_name();
  const core::Place place = core::where_am_i();
  const std::vector<std::string> args(argv + 1, argv + argc);

  // 3. --help and `help`: the manual of the command named (reference §2.4).
  // The flag is handled before the pre-run, the `help` command after logging
  // is set up (it is a command like the others, for cobra).
  if (g.help) {
    if (place == core::Place::toolbx_container) return core::forward_to_host(args);
    std::string topic = command;
    if (command.empty() && !app.remaining(false).empty()) topic = app.remaining(false).front();  // --help foo
    return show_manual(ctx, topic.empty() ? "toolbox" : "toolbox-" + topic);
  }
  if (g.version) {
    std::printf("toolbox version %s\n", TOOLBOX_VERSION);
    return 0;
  }

  // 3. Logging, to stderr.
  if (auto r = set_up_logging(ctx); !r) return r.error();
  // Never an empty TOOLBOX_PATH or bind mount: without our own path, stop (as
  // upstream's setUpGlobals).
  auto self = sys::own_executable_path();
  if (!self) return with_context(self.error(), "failed to get the path to the executable");
  ctx.executable = *self;
  spdlog::debug("Resolved absolute path to the executable as {}", ctx.executable);

  if (*help) {
    if (place == core::Place::toolbx_container) return core::forward_to_host(args);
    if (help_topics.empty() || help_topics.front() == "toolbox") return show_manual(ctx, "toolbox");
    return show_manual(ctx, "toolbox-" + help_topics.front());
  }

  // 4. Inside a Toolbx container the command runs on the host, with the words
  //    as the user gave them (reference §5.9).
  if (!runs_here(command) && place == core::Place::toolbx_container) {
    return core::forward_to_host(args);
  }
  if (!runs_here(command) && place == core::Place::other_container)
    return make_error(EINVAL, "this is not a Toolbx container");
  if (command.empty()) return missing_command();

  // 5. Rootless Podman needs subordinate IDs: say so before Podman fails.
  if (::getuid() != 0 && !runs_here(command)) {
    if (auto user = sys::current_user(); user) {
      if (auto r = core::check_subid_ranges(user->name, user->uid); !r) return r.error();
    }
  }

  // 6. The command parsed; its error, with its exit status, printed here.
  for (const Command& c : commands) {
    if (!*c.app) continue;
    return c.run();
  }
  return missing_command();
}

}  // namespace

int run_command_line(int argc, char** argv) {
  auto code = parse_and_run(argc, argv);
  return code ? *code : print_error(code.error());
}

}  // namespace tbx::cli
