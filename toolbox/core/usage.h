// Toolbx's three-line usage errors: what is wrong / the rule / the hint.
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::core {

inline constexpr char kUsageHint[] = "Run 'toolbox --help' for usage.";

// An error whose message ends with the usage hint (code EINVAL).
inline Error usage_error(const std::string& what, const std::string& rule = "") {
  std::string m = what;
  if (!rule.empty()) m += "\n" + rule;
  m += "\n";
  m += kUsageHint;
  return make_error(EINVAL, m);
}

}  // namespace tbx::core
