// What `toolbox list` shows (reference §6.2), as pure functions of podman's
// parsed JSON and the current time: which objects are Toolbx ones, one row per
// image name, "Created" in go-units words, and Go text/tabwriter's layout.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/podman.h"

namespace tbx::core {

// go-units HumanDuration (github.com/docker/go-units, duration.go): "Less than a
// second", "1 second", "N seconds", "About a minute", "N minutes", "About an
// hour", "N hours" (< 48), "N days" (< 14 days), "N weeks" (< 60 days),
// "N months" (30-day months, < 2 years), "N years".
std::string human_duration(std::chrono::nanoseconds d);

// go-units HumanSize: 4 significant digits, SI units, no space ("294.1MB").
std::string human_size(double bytes);

// The CREATED cell: Podman 1 gave a string, used verbatim; later Podman a Unix
// time, shown as human_duration(now - created) + " ago", as Toolbx does.
std::string created_cell(std::int64_t created, const std::string& created_text,
                         std::chrono::system_clock::time_point now);

// The first 12 characters of an ID (shorter IDs stay as they are).
std::string short_id(const std::string& id);

// Toolbx images of `podman images --format json`: the first entry of each ID
// (Podman 4 lists an image once per name), Toolbx-labelled ones only.
std::vector<ImageSummary> toolbx_images(const std::vector<ImageSummary>& all);

// Toolbx containers of `podman ps --all --format json`, in podman's order.
std::vector<ContainerSummary> toolbx_containers(const std::vector<ContainerSummary>& all);

struct ImageRow {
  std::string id;  // 12 characters
  std::string name;  // one of the image's names, "<none>" for nameless images
  std::string created;
};

struct ContainerRow {
  std::string id;  // 12 characters
  std::string name;
  std::string created;
  std::string status;  // podman's State ("running", "exited", "created", ...)
  std::string image;
  bool running = false;
};

// One row per name (nameless images: one "<none>" row), sorted by name in byte
// order; ties keep podman's order.
std::vector<ImageRow> image_rows(const std::vector<ImageSummary>& images, std::chrono::system_clock::time_point now);
std::vector<ContainerRow> container_rows(const std::vector<ContainerSummary>& containers,
                                         std::chrono::system_clock::time_point now);

// Go text/tabwriter with minwidth 0, tabwidth 0, padding 2, pad char ' ' and no
// flags, for lines whose cells are all tab-terminated but the last: each column
// is as wide as its widest cell (in code points, escape sequences included, as
// Go counts them) plus 2 spaces; the last cell of a line is not padded.
std::string tabwrite(const std::vector<std::vector<std::string>>& lines);

// The whole output of `toolbox list`: the images table, a blank line if both
// tables have rows, the containers table; an empty table prints nothing. With
// `colour` (stdout is a terminal) the containers table is coloured as Toolbx
// does: its header wrapped in ESC[0;00m ... ESC[0m, running containers in bold
// green ESC[1;32m, the others in ESC[0;00m, each row ending with ESC[0m.
std::string format_list(const std::vector<ImageRow>& images, const std::vector<ContainerRow>& containers, bool colour);

}  // namespace tbx::core
