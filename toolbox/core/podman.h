// Podman, through its CLI only: argument vectors built by pure functions, run by
// the one process runner, JSON parsed into typed structs that tolerate the field
// changes between Podman versions (1.x used "ID", string "Names" and string
// "Created"; 2.x and later "Id", arrays and Unix times).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/process.h"
#include "toolbox/result.h"

namespace tbx::core {

inline constexpr char kToolbxLabel[] = "com.github.containers.toolbox";
inline constexpr char kToolbxLabelOld[] = "com.github.debarshiray.toolbox";

using Labels = std::map<std::string, std::string>;
bool is_toolbx(const Labels& labels);

struct ContainerSummary {
  std::string id;
  std::string name;
  std::string image;
  std::string state;          // "running", "exited", "created", ...
  std::int64_t created = 0;   // Unix time, 0 if unknown
  std::string created_text;   // Podman 1 gave a human string
  Labels labels;
};

struct ImageSummary {
  std::string id;
  std::vector<std::string> names;
  std::int64_t created = 0;
  std::string created_text;
  Labels labels;
};

struct Mount {
  std::string source, destination;
};

struct ContainerInspect {
  std::string id;
  std::string name;
  std::vector<std::string> cmd;  // Config.Cmd
  std::vector<std::string> entrypoint;
  std::string state;  // State.Status
  bool running = false;
  int pid = 0;  // State.Pid, host PID of the entry point (--pid host)
  Labels labels;
  std::vector<Mount> mounts;
  std::string image_name;  // ImageName
  bool from_cache = false;  // not from podman: run's cache of a running container (core/run_command)
};

Result<std::vector<ContainerSummary>> parse_ps_json(const std::string& text);
Result<std::vector<ImageSummary>> parse_images_json(const std::string& text);
Result<ContainerInspect> parse_container_inspect_json(const std::string& text);
Result<std::vector<std::string>> parse_image_repo_tags_json(const std::string& text);
Result<Labels> parse_image_labels_json(const std::string& text);
// "podman version --format json": Client.Version, or Version of old Podman.
Result<std::string> parse_version_json(const std::string& text);
// -1, 0, 1 comparing dotted versions numerically ("4.3.1" vs "2.1.0").
int compare_versions(const std::string& a, const std::string& b);

// The podman invocations, as pure functions of their inputs.
struct Podman {
  std::string log_level = "error";  // passed as --log-level to every podman
  Argv base() const { return {"podman", "--log-level", log_level}; }
  Argv with(std::initializer_list<std::string> rest) const {
    Argv a = base();
    a.insert(a.end(), rest);
    return a;
  }
};

// Runs podman and captures its output; exit status is data.
Result<RunResult> podman_capture(const Argv& argv, bool capture_stderr = true);
// Runs podman quietly; true when it started and exited 0 ("image exists", probes).
bool podman_succeeds(const Argv& argv);

}  // namespace tbx::core
