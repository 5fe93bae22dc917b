// Toolbx's download prompt (reference §3.2 step 6): asked at once, while
// `skopeo inspect` fetches the image's size concurrently; when the size
// arrives before the answer, the prompt line is rewritten in place with it.
#pragma once

#include <optional>
#include <string>

#include "core/process.h"
#include "toolbox/result.h"

namespace tbx::core {

inline constexpr char kDownloadHeader[] = "Image required to create Toolbx container.\n";

// "Download IMAGE ( ... MB)? [y/N]: " before the size is known, then
// "Download IMAGE (294.1MB)? [y/N]: " (go-units HumanSize).
std::string download_prompt(const std::string& image, std::optional<double> size);

// `skopeo inspect --format json docker://IMAGE`; the registry's manifest
// without pulling anything.
Argv skopeo_inspect_argv(const std::string& image);
// The sum of LayersData[].Size of skopeo's JSON; nullopt when there is none
// (not JSON, no layers, sizes missing or all zero).
std::optional<double> parse_skopeo_size(const std::string& json);

// What an answer means: yes, no (also empty), or nullopt to ask again.
// Case-insensitive y, yes, n, no; surrounding blanks ignored.
std::optional<bool> parse_yes_no(const std::string& line);

// Asks on the terminal (stdin and stdout must be one) whether to download
// IMAGE; true for yes. End of input is a no. skopeo(1) missing or failing
// (no registry) leaves the prompt without a size; a skopeo still running when
// the user answers is terminated and reaped.
Result<bool> ask_for_download(const std::string& image);

}  // namespace tbx::core
