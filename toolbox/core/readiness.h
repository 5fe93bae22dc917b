// Waiting for a started container's entry point (reference §5.3): inotify on
// the stamp's directory (or a 1 s ticker with TOOLBX_RUN_USE_POLLING) while
// `podman logs --follow` relays the entry point's log lines, 25 s at most.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "core/podman.h"
#include "toolbox/result.h"

namespace tbx::core {

// Returns when `stamp` exists; the entry point's own error when its log stream
// ends with one; ETIMEDOUT otherwise. `since`: the time of the start, so that
// older log lines are not relayed again.
Result<void> wait_for_initialization(const Podman& podman, const std::string& container, const std::string& stamp,
                                     std::optional<std::time_t> since);

}  // namespace tbx::core
