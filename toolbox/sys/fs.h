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

// The same recursive bind, then, as mount(8) does for "--rbind -o ro,nosuid":
// a remount of the new top mount with `set` added to the flags it already has
// (a user namespace may not drop locked flags) minus `clear`, checked with
// statvfs(2); then `propagation` (MS_PRIVATE, MS_SLAVE, ... | MS_REC) if not 0.
tbx::Result<void> bind_mount_with(const std::string& source, const std::string& target, unsigned long set,
                                  unsigned long clear, unsigned long propagation);

bool path_exists(const std::string& p);          // stat(2) follows links
bool is_symlink(const std::string& p);
bool is_directory(const std::string& p);
std::string read_link(const std::string& p);    // "" if not a link
tbx::Result<void> make_dirs(const std::string& p, unsigned mode = 0755);
// The whole file; the errno tells "not there" (ENOENT) from other failures.
tbx::Result<std::string> read_file(const std::string& path);
// Writes via a temporary file and rename(2), so readers never see half a file.
tbx::Result<void> write_file_atomic(const std::string& path, const std::string& text, unsigned mode);
// Creates the symbolic link `link` -> `target`, and link's parent directories
// (0755). An existing `link` of any kind is left alone: false then.
tbx::Result<bool> create_symlink(const std::string& target, const std::string& link);
// Replaces `path` (file, empty directory or link) with a symlink to `target`.
// A mount point cannot be replaced: EBUSY.
tbx::Result<void> replace_with_symlink(const std::string& path, const std::string& target);

}  // namespace tbx::sys
