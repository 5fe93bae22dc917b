#include "exec_plan.h"

namespace handler {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::vector<std::string> build_environment(Where where, const char* const* envp) {
  std::vector<std::string> out;
  if (envp == nullptr) return out;
  for (const char* const* e = envp; *e != nullptr; ++e) {
    std::string_view var(*e);
    // A stale descriptor number (from a parent that never took it) is dropped.
    if (starts_with(var, kExecFdVariable) && var.size() > kExecFdVariable.size() &&
        var[kExecFdVariable.size()] == '=')
      continue;
    if (where == Where::host) {
      out.emplace_back(var);
      continue;
    }
    // Stale saved values (from a parent that never restored them) are dropped,
    // so only what this exec moved aside is restored.
    if (starts_with(var, kSavedPrefix)) continue;
    bool moved = false;
    for (std::string_view name : kMovedVariables) {
      if (starts_with(var, name) && var.size() > name.size() && var[name.size()] == '=') {
        out.push_back(std::string(kSavedPrefix) + std::string(var));
        moved = true;
        break;
      }
    }
    if (!moved) out.emplace_back(var);
  }
  return out;
}

ExecVector build_exec(const Plan& plan, const KernelInvocation& inv, const char* const* envp,
                      std::optional<int> program_fd) {
  ExecVector x;
  x.path = plan.loader;
  x.argv.push_back(plan.loader);
  if (plan.where == Where::container) {
    // The host's ld.so.cache maps names to host paths that do not exist here.
    x.argv.emplace_back("--inhibit-cache");
    std::string joined;
    for (const std::string& d : plan.library_path) {
      if (!joined.empty()) joined += ':';
      joined += d;
    }
    x.argv.emplace_back("--library-path");
    x.argv.push_back(std::move(joined));
  }
  if (plan.loader_has_argv0) {
    x.argv.emplace_back("--argv0");
    x.argv.emplace_back(inv.argv0);
  }
  const bool by_fd = program_fd && *program_fd >= 0 && plan.loader_has_argv0;
  // ld.so would read a file name such as "--list" as an option.
  if (by_fd)
    x.argv.push_back("/proc/self/fd/" + std::to_string(*program_fd));
  else if (!inv.filename.empty() && inv.filename.front() == '-')
    x.argv.push_back("./" + std::string(inv.filename));
  else
    x.argv.emplace_back(inv.filename);
  for (const char* a : inv.args) x.argv.emplace_back(a != nullptr ? a : "");
  x.envp = build_environment(plan.where, envp);
  if (by_fd) x.envp.push_back(std::string(kExecFdVariable) + "=" + std::to_string(*program_fd));
  return x;
}

}  // namespace handler
