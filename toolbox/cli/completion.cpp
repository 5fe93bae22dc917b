// toolbox completion bash|zsh|fish: cobra's hidden command, printing our own
// scripts (the files the build also installs), with cobra's argument errors.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/completion_scripts.h"
#include "core/usage.h"

namespace tbx::cli {

Command add_completion_command(CLI::App& root, Context&) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* app = root.add_subcommand("completion", "Generate the autocompletion script for the specified shell");
  app->group("");  // hidden, as in Toolbx
  app->add_option("SHELL", *words, "bash, fish or zsh");

  Command c;
  c.app = app;
  c.run = [words]() -> Result<int> {
    // cobra.ExactValidArgs(1): the count first, then the word.
    if (words->size() != 1)
      return core::usage_error("accepts 1 arg(s), received " + std::to_string(words->size()));
    const std::string& shell = words->front();
    const char* script = shell == "bash" ? kCompletionBash
                         : shell == "zsh" ? kCompletionZsh
                         : shell == "fish" ? kCompletionFish
                                           : nullptr;
    if (script == nullptr) return core::usage_error("invalid argument \"" + shell + "\" for \"toolbox completion\"");
    std::fputs(script, stdout);
    return 0;
  };
  return c;
}

}  // namespace tbx::cli
