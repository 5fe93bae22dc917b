#include "kernel_argv.h"

namespace handler {

bool kernel_reports_preserve_argv0(std::string_view release) {
  // "MAJOR.MINOR[.PATCH][-extra]"
  auto number = [&](std::size_t& i) -> std::optional<unsigned> {
    unsigned v = 0;
    const std::size_t start = i;
    for (; i < release.size() && release[i] >= '0' && release[i] <= '9' && v < 100000; ++i)
      v = v * 10 + static_cast<unsigned>(release[i] - '0');
    if (i == start) return std::nullopt;
    return v;
  };
  std::size_t i = 0;
  const auto major = number(i);
  if (!major || i >= release.size() || release[i] != '.') return true;
  ++i;
  const auto minor = number(i);
  if (!minor) return true;
  return *major > 5 || (*major == 5 && *minor >= 12);
}

tbx::Result<KernelInvocation> decode_kernel_argv(int argc, char* const* argv,
                                                 std::optional<int> execfd,
                                                 unsigned long at_flags,
                                                 bool kernel_reports_preserve) {
  if (argc < 2 || argv == nullptr || argv[1] == nullptr || argv[1][0] == '\0')
    return tbx::make_error(EINVAL, "started without the binary's path (not by binfmt_misc?)");
  KernelInvocation inv;
  inv.filename = argv[1];
  inv.execfd = execfd;
  inv.argv0_preserved = (at_flags & kAtFlagsPreserveArgv0) != 0 || !kernel_reports_preserve;
  int first_arg = 2;
  if (inv.argv0_preserved) {
    // An execve(2) with an empty argv leaves nothing to preserve (argc == 2);
    // fall back to the filename as the kernel does without P.
    if (argc >= 3 && argv[2] != nullptr) {
      inv.argv0 = argv[2];
      first_arg = 3;
    } else {
      inv.argv0 = inv.filename;
      inv.argv0_preserved = false;
    }
  } else {
    inv.argv0 = inv.filename;
  }
  inv.args = std::span<char* const>(argv + first_arg, static_cast<std::size_t>(argc - first_arg));
  return inv;
}

}  // namespace handler
