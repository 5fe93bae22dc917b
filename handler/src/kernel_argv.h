// Decoding the argument vector that fs/binfmt_misc.c builds for its interpreter.
//
// For an entry with flags P and O:
//   argv = [interpreter, filename, original argv[0], original argv[1..]]
//   auxv: AT_EXECFD = the binary opened by the kernel (not close-on-exec),
//         AT_FLAGS & AT_FLAGS_PRESERVE_ARGV0 when argv[0] was preserved.
// Without P the original argv[0] is dropped: argv = [interpreter, filename, argv[1..]].
// `filename` is the path the caller gave to execve(2), relative to its cwd.
//
// AT_FLAGS_PRESERVE_ARGV0 came with Linux 5.12 (commit 2347961b11d4); older
// kernels (RHEL 8's 4.18, Debian 11's 5.10, Ubuntu 20.04's 5.4) build the same P
// vector but say nothing. Every way we register (`toolbox binfmt register`,
// binfmt.d/toolbox.conf, the binfmt-support file) sets P, so there the vector is
// decoded as P's. From 5.12 on the bit is the truth, also for an entry someone
// registered by hand without P.
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

// Whether a kernel of this uname(2) release reports P in AT_FLAGS (>= 5.12).
// An unreadable release counts as new: the bit is then trusted.
bool kernel_reports_preserve_argv0(std::string_view release);

// Pure: takes what main(), getauxval() and uname() see.
tbx::Result<KernelInvocation> decode_kernel_argv(int argc, char* const* argv,
                                                 std::optional<int> execfd,
                                                 unsigned long at_flags,
                                                 bool kernel_reports_preserve = true);

}  // namespace handler
