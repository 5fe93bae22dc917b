// Rootless Podman needs subordinate UIDs and GIDs; Toolbx checks for them
// first, so the user gets a clear error instead of Podman's.
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::core {

// Pure: whether subuid(5)/subgid(5) text gives `user` (by name or UID) a range.
bool has_subid_range(const std::string& text, const std::string& user, unsigned uid);

// Checks /etc/subuid and /etc/subgid for the user (upstream asks libsubid,
// which reads the same files unless nsswitch.conf names another source).
Result<void> check_subid_ranges(const std::string& user, unsigned uid);

}  // namespace tbx::core
