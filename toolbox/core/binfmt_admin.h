// `toolbox binfmt`: the state of our binfmt_misc entry, and registering and
// removing it by hand (what systemd-binfmt does at boot from binfmt.d).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolbox/binfmt/entry.h"
#include "toolbox/result.h"

namespace tbx::core {

inline constexpr char kBinfmtDir[] = "/proc/sys/fs/binfmt_misc";

struct BinfmtOptions {
  std::string dir = kBinfmtDir;
  std::string name = "toolbox";
  std::string handler;  // the handler this toolbox expects (installed path, or --handler)
  std::string self;     // this toolbox binary
};

struct BinfmtStatus {
  bool mounted = false;
  bool enabled = false;  // the global binfmt_misc "status" file
  std::optional<binfmt::Entry> entry;
  bool magic_matches = false;    // the entry's magic/mask are this build's marker
  bool handler_present = false;  // the expected handler file exists and is executable
  bool interpreter_matches = false;  // the entry names the expected handler
  std::string running_handler;  // what the kernel runs, as the handler reports it
  enum class Freshness { unknown, current, stale } freshness = Freshness::unknown;
  bool self_marked = false;
  bool in_container = false;
  bool host_runtime = false;  // /run/host is there and is not "/"
  std::vector<std::string> problems;  // each makes the status unhealthy
  std::vector<std::string> warnings;
  bool healthy() const { return problems.empty(); }
};

BinfmtStatus binfmt_status(const BinfmtOptions& opts);

// Mounts binfmt_misc if needed, removes a previous entry of the same name and
// registers ours; idempotent.
tbx::Result<void> binfmt_register(const BinfmtOptions& opts);

// Removes our entry only. Returns false when there was none.
tbx::Result<bool> binfmt_unregister(const BinfmtOptions& opts);

}  // namespace tbx::core
