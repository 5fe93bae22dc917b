// Rootless Podman needs subordinate UIDs and GIDs; Toolbx checks for them
// first, so the user gets a clear error instead of Podman's.
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::core {

// Pure: whether subuid(5)/subgid(5) text gives `user` (by name or UID) a range.
bool has_subid_range(const std::string& text, const std::string& user, unsigned uid);

// Asks libsubid (dlopen'ed, as upstream does) whether the user, by name or UID,
// has sub-UID and sub-GID ranges; reads /etc/subuid and /etc/subgid itself
// where the library cannot be loaded.
Result<void> check_subid_ranges(const std::string& user, unsigned uid);

}  // namespace tbx::core
