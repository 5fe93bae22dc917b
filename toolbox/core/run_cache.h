// The run cache: what a warm enter or run needs to skip `podman inspect`.
// One small file per container name in the toolbox runtime directory, written
// after the container's entry point was seen running and initialised:
//
//   PID START-TIME ID DEPRECATED
//
// PID and START-TIME (field 22 of /proc/PID/stat) name one process for the
// life of the system; ID is the container's, checked against the one that the
// process's own /run/.containerenv names, so that a PID reused by another
// container's entry point is not taken for this container's. DEPRECATED keeps
// the one fact from the mounts that run needs (the deprecation warning).
// Every toolbox command that creates or removes a container drops all caches.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/podman.h"

namespace tbx::core {

struct RunCacheEntry {
  int pid = 0;
  unsigned long long start_time = 0;  // clock ticks after boot
  std::string id;
  bool deprecated = false;
};

// Pure: field 22 (starttime) of a /proc/PID/stat text. The comm (field 2)
// may hold spaces and parentheses; it ends at the last ')'.
std::optional<unsigned long long> parse_stat_start_time(std::string_view stat);

// Pure: the id="..." line of a /run/.containerenv text.
std::optional<std::string> parse_containerenv_id(std::string_view text);

// Pure: a cache file's text, and back.
std::optional<RunCacheEntry> parse_run_cache(std::string_view text);
std::string format_run_cache(const RunCacheEntry& e);

// The start time of a live process; nothing when it is gone.
std::optional<unsigned long long> process_start_time(int pid);

// The container ID that a process's own /run/.containerenv names, read through
// /proc/PID/root without following the container's links out of its root.
std::optional<std::string> process_container_id(int pid);

// The entry point of `c` (running, so c.pid > 0) written to `path`. A cache,
// nothing more: failing to write it only costs the next run an inspect.
void save_run_cache(const std::string& path, const ContainerInspect& c);

// The cache at `path` when it still describes a live, initialised entry
// point: the same process (PID and start time), of the same container (ID),
// with its readiness stamp in `toolbox_runtime_dir`. The reason otherwise.
Result<RunCacheEntry> load_run_cache(const std::string& path, const std::string& toolbox_runtime_dir);

// Removes every run cache in the directory: after a create, rm or rename, a
// name may stand for another container.
void drop_run_caches(const std::string& toolbox_runtime_dir);

// The mount by which Toolbx before 0.0.97 is known (run's warning).
inline constexpr std::string_view kDeprecatedMount = "/run/host/monitor";
bool uses_deprecated_features(const ContainerInspect& c);

}  // namespace tbx::core
