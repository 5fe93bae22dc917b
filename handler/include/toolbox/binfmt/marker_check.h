// The handler's own verdict on a file's marker, for `toolbox binfmt status`:
// the same probe the handler runs (handler/src/elf_probe.cpp), behind one call.
#pragma once

namespace tbx::binfmt {

// True when the open file carries the marker's e_flags and a note of this
// handler's format version; false for anything else, corrupt files included.
bool file_is_verified(int fd);

}  // namespace tbx::binfmt
