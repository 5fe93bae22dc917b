// Decoding the argument vector that fs/binfmt_misc.c builds for its interpreter.
//
// For an entry with flags P and O (Linux >= 5.12 for AT_FLAGS):
//   argv = [interpreter, filename, original argv[0], original argv[1..]]
//   auxv: AT_EXECFD = the binary opened by the kernel (not close-on-exec),
//         AT_FLAGS & AT_FLAGS_PRESERVE_ARGV0 when argv[0] was preserved.
// Without P the original argv[0] is dropped: argv = [interpreter, filename, argv[1..]].
// `filename` is the path the caller gave to execve(2), relative to its cwd.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "toolbox/result.h"

namespace handler {

inline constexpr unsigned long kAtFlagsPreserveArgv0 = 1;  // include/uapi/linux/binfmts.h

struct KernelInvocation {
  std::string_view filename;      // path of the marked binary, as the caller named it
  std::string_view argv0;         // what the binary should see as argv[0]
  bool argv0_preserved = false;   // false: argv0 is the filename (no P flag, or old kernel)
  std::span<char* const> args;    // argv[1..] of the original execve
  std::optional<int> execfd;      // AT_EXECFD, when the entry has the O flag
};

// Pure: takes what main() and getauxval() see.
tbx::Result<KernelInvocation> decode_kernel_argv(int argc, char* const* argv,
                                                 std::optional<int> execfd,
                                                 unsigned long at_flags);

}  // namespace handler
