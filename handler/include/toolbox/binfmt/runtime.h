// What the handler leaves in the environment of the program it starts, and what
// toolbox's start-up (toolbox/sys/self.cpp) undoes: one list, so the two cannot
// drift apart.
#pragma once

#include <string_view>

namespace tbx::binfmt {

// Variables that would pull the container's libraries into the host run-time
// (LD_PRELOAD, LD_AUDIT) or change which files the host's ld.so picks in each
// directory (LD_HWCAP_MASK before glibc 2.37, GLIBC_TUNABLES' glibc.cpu.hwcaps
// and glibc.cpu.hwcap_mask: the glibc-hwcaps and platform subdirectories).
// In a container the handler moves them aside under kSavedPrefix; toolbox puts
// them back at start-up, so the programs it starts see the user's environment.
// GLIBC_TUNABLES goes as a whole: ld.so reads no other part of it for the
// search, and toolbox itself needs none. (LD_LIBRARY_PATH needs no such care:
// --library-path overrides it for the loader, and the variable itself stays.)
inline constexpr std::string_view kMovedVariables[] = {"LD_PRELOAD", "LD_AUDIT", "LD_HWCAP_MASK", "GLIBC_TUNABLES"};
inline constexpr std::string_view kSavedPrefix = "TOOLBOX_HANDLER_SAVED_";

// The descriptor of the verified file, handed to the loader as /proc/self/fd/N so
// the file that runs is the file that was checked; toolbox closes it at start-up.
inline constexpr std::string_view kExecFdVariable = "TOOLBOX_HANDLER_EXECFD";

}  // namespace tbx::binfmt
