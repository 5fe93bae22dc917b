#pragma once

#include <string>

#include "cli/context.h"
#include "toolbox/result.h"

namespace tbx::cli {

// `toolbox help [COMMAND]`, `toolbox --help` and `toolbox COMMAND --help`: open the
// man page toolbox(1) or toolbox-COMMAND(1); without man(1), print Toolbx's fixed
// fallback text. Returns the exit status.
int show_manual(const Context& ctx, const std::string& page);

// The "missing command" error of Toolbx, with its list of common commands.
Error missing_command();

}  // namespace tbx::cli
