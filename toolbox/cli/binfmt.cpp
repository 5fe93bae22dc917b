// toolbox binfmt status|register|unregister: see docs/toolbox-binfmt.1.md.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "core/binfmt_admin.h"

#ifndef TOOLBOX_HANDLER_INSTALL_PATH
#define TOOLBOX_HANDLER_INSTALL_PATH "/usr/libexec/toolbox/toolbox-binfmt-handler"
#endif

namespace tbx::cli {

namespace {

struct BinfmtArgs {
  std::string name = "toolbox";
  std::string handler = TOOLBOX_HANDLER_INSTALL_PATH;
  bool json = false;
};

core::BinfmtOptions options_of(const Context& ctx, const BinfmtArgs& a) {
  core::BinfmtOptions o;
  o.name = a.name;
  o.handler = a.handler;
  o.self = ctx.executable;
  return o;
}

const char* freshness_name(core::BinfmtStatus::Freshness f) {
  switch (f) {
    case core::BinfmtStatus::Freshness::current: return "current";
    case core::BinfmtStatus::Freshness::stale: return "stale";
    case core::BinfmtStatus::Freshness::unknown: break;
  }
  return "unknown";
}

int print_status(const core::BinfmtOptions& o, const core::BinfmtStatus& st, bool json) {
  if (json) {
    nlohmann::json j;
    j["healthy"] = st.healthy();
    j["binfmt_misc"] = {{"mounted", st.mounted}, {"enabled", st.enabled}, {"directory", o.dir}};
    j["entry"] = {{"name", o.name}, {"registered", st.entry.has_value()}};
    if (st.entry) {
      j["entry"]["enabled"] = st.entry->enabled;
      j["entry"]["interpreter"] = st.entry->interpreter;
      j["entry"]["flags"] = st.entry->flags;
      j["entry"]["magic_matches"] = st.magic_matches;
    }
    j["handler"] = {{"expected", o.handler},
                    {"installed", st.handler_present},
                    {"registered_is_expected", st.interpreter_matches},
                    {"running", st.running_handler},
                    {"freshness", freshness_name(st.freshness)}};
    j["toolbox"] = {{"path", o.self}, {"marked", st.self_marked}};
    j["container"] = {{"inside", st.in_container}, {"host_runtime", st.host_runtime}};
    j["problems"] = st.problems;
    j["warnings"] = st.warnings;
    std::printf("%s\n", j.dump(2).c_str());
    return st.healthy() ? 0 : 1;
  }
  std::printf("binfmt_misc:   %s\n", !st.mounted ? "not mounted" : st.enabled ? "mounted, enabled" : "mounted, disabled");
  if (st.entry) {
    std::printf("entry:         %s (%s)\n", o.name.c_str(), st.entry->enabled ? "enabled" : "disabled");
    std::printf("interpreter:   %s\n", st.entry->interpreter.c_str());
    std::printf("flags:         %s\n", st.entry->flags.c_str());
    std::printf("marker match:  %s\n", st.magic_matches ? "yes" : "no");
  } else {
    std::printf("entry:         %s (not registered)\n", o.name.c_str());
  }
  std::printf("handler:       %s (%s, %s)\n", o.handler.c_str(), st.handler_present ? "installed" : "missing",
              freshness_name(st.freshness));
  std::printf("this toolbox:  %s (%s)\n", o.self.c_str(), st.self_marked ? "marked" : "not marked");
  if (st.in_container)
    std::printf("where:         container (host run-time at /run/host: %s)\n", st.host_runtime ? "reachable" : "missing");
  else
    std::printf("where:         host\n");
  for (const std::string& w : st.warnings) std::printf("Warning: %s\n", w.c_str());
  for (const std::string& p : st.problems) std::printf("Problem: %s\n", p.c_str());
  std::printf("status:        %s\n", st.healthy() ? "healthy" : "unhealthy");
  return st.healthy() ? 0 : 1;
}

}  // namespace

Command add_binfmt_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<BinfmtArgs>();
  CLI::App* app = root.add_subcommand("binfmt", "Inspect, register or remove the binfmt_misc entry of toolbox");
  app->require_subcommand(1);
  auto* status = app->add_subcommand("status", "Show whether the entry is registered and healthy");
  status->add_flag("--json", args->json, "Print JSON");
  auto* reg = app->add_subcommand("register", "Register (again) the entry");
  reg->add_option("--handler", args->handler, "Absolute path of the handler");
  status->add_option("--handler", args->handler, "The handler to compare the entry with");
  auto* unreg = app->add_subcommand("unregister", "Remove the entry");
  for (CLI::App* sub : {status, reg, unreg}) sub->add_option("--name", args->name, "Entry name (default toolbox)");

  Command c;
  c.app = app;
  c.run = [&ctx, args, status, reg, unreg]() -> Result<int> {
    const core::BinfmtOptions o = options_of(ctx, *args);
    if (*status) return print_status(o, core::binfmt_status(o), args->json);
    if (*reg) {
      if (auto r = core::binfmt_register(o); !r) return r.error();
      std::printf("Registered binfmt_misc entry '%s' for %s\n", o.name.c_str(), o.handler.c_str());
      return 0;
    }
    if (*unreg) {
      auto r = core::binfmt_unregister(o);
      if (!r) return r.error();
      std::printf(*r ? "Removed binfmt_misc entry '%s'\n" : "binfmt_misc entry '%s' was not registered\n",
                  o.name.c_str());
      return 0;
    }
    return 1;
  };
  return c;
}

}  // namespace tbx::cli
