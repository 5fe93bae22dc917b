// The one argument vector and environment the handler execs, built by a pure
// function from the plan and the kernel's invocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host_runtime.h"
#include "kernel_argv.h"

namespace handler {

// Variables that would pull the container's libraries into the host run-time.
// In a container the handler moves them aside under kSavedPrefix; toolbox puts
// them back at start-up, so the programs it starts see the user's environment.
// (LD_LIBRARY_PATH needs no such care: --library-path overrides it for the
// loader, and the variable itself stays in the environment.)
inline constexpr std::string_view kMovedVariables[] = {"LD_PRELOAD", "LD_AUDIT"};
inline constexpr std::string_view kSavedPrefix = "TOOLBOX_HANDLER_SAVED_";
// The descriptor of the verified file, handed to the loader as /proc/self/fd/N so
// the file that runs is the file that was checked; toolbox closes it at start-up.
inline constexpr std::string_view kExecFdVariable = "TOOLBOX_HANDLER_EXECFD";

struct ExecVector {
  std::string path;               // what execve(2) opens
  std::vector<std::string> argv;
  std::vector<std::string> envp;
};

// `program_fd`: the verified file's descriptor, kept open across the exec; the
// loader is given /proc/self/fd/N instead of the name when it has --argv0 (an
// older loader would make that name the program's argv[0]).
ExecVector build_exec(const Plan& plan, const KernelInvocation& inv, const char* const* envp,
                      std::optional<int> program_fd = std::nullopt);

// The environment transformation alone (container: move; host: unchanged).
std::vector<std::string> build_environment(Where where, const char* const* envp);

}  // namespace handler
