// File-system operations for init-container: mount(2) directly (no mount(8) in
// minimal images), symlinks, small atomic writes.
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::sys {

// Binds `source` on `target` (recursively), creating the target first as a
// directory, or an empty file when the source is not a directory. With
// `rslave`, makes the new mount a recursive slave, as "mount --rbind -o rslave".
tbx::Result<void> bind_mount(const std::string& source, const std::string& target, bool rslave);

bool path_exists(const std::string& p);          // stat(2) follows links
bool is_symlink(const std::string& p);
bool is_directory(const std::string& p);
std::string read_link(const std::string& p);    // "" if not a link
tbx::Result<void> make_dirs(const std::string& p, unsigned mode = 0755);
// Writes via a temporary file and rename(2), so readers never see half a file.
tbx::Result<void> write_file_atomic(const std::string& path, const std::string& text, unsigned mode);
// Replaces `path` (file, empty directory or link) with a symlink to `target`.
// A mount point cannot be replaced: EBUSY.
tbx::Result<void> replace_with_symlink(const std::string& path, const std::string& target);

}  // namespace tbx::sys
