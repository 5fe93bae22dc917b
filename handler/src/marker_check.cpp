#include "toolbox/binfmt/marker_check.h"

#include "elf_probe.h"

namespace tbx::binfmt {

bool file_is_verified(int fd) {
  auto info = handler::probe_elf_fd(fd, handler::ProbeDepth::dynamic_if_marked);
  return info && info->marker == handler::Marker::verified;
}

}  // namespace tbx::binfmt
