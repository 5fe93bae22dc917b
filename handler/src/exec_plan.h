// The one argument vector and environment the handler execs, built by a pure
// function from the plan and the kernel's invocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host_runtime.h"
#include "kernel_argv.h"
#include "toolbox/binfmt/runtime.h"

namespace handler {

// The environment contract with toolbox's start-up (public: toolbox/ undoes it).
using tbx::binfmt::kExecFdVariable;
using tbx::binfmt::kMovedVariables;
using tbx::binfmt::kSavedPrefix;

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
