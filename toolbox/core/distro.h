// Supported distributions, their releases, and the resolution of a container
// name and image from --distro, --release, --image, the configuration and the
// host (reference §3.1; Debian added so a Debian host gets a Debian default).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolbox/result.h"

namespace tbx::core {

struct HostOs {
  std::string id;          // os-release ID
  std::string version_id;  // os-release VERSION_ID
};

// Reads /etc/os-release, else /usr/lib/os-release (under `root`).
HostOs read_host_os(const std::string& root = "");
// Pure: the ID and VERSION_ID of os-release text.
HostOs parse_os_release(const std::string& text);

struct Distro {
  std::string name;              // "fedora"
  std::string container_prefix;  // "fedora-toolbox"
  std::string image_basename;    // "fedora-toolbox"
  bool release_required;         // when not the host's distro
};

const std::vector<Distro>& supported_distros();
const Distro* find_distro(const std::string& name);
const Distro* find_distro_by_image_basename(const std::string& basename);

// Validates and normalises a release for `distro` ("f36" -> "36"); the error is
// the rule shown to the user ("The release must be a positive integer.").
Result<std::string> parse_release(const std::string& distro, const std::string& release);
// The registry and repository for an image basename of `distro` and `release`
// ("registry.fedoraproject.org/"; "registry.access.redhat.com/ubi9/").
std::string distro_registry(const std::string& distro, const std::string& release);

// The host's default distro and release, or Toolbx's fallback (fedora 44).
struct Defaults {
  std::string distro;
  std::string release;
};
Defaults host_defaults(const HostOs& host);
inline constexpr char kReleaseFallback[] = "44";

struct ConfigValues {
  std::string distro, release, image;  // general.* from toolbox.conf, empty if unset
};

struct ResolveInput {
  std::string container;  // positional or --container
  std::string distro;     // --distro
  std::string image;      // --image
  std::string release;    // --release
};

struct Resolved {
  std::string container;
  std::string image;  // without registry for distro images: "fedora-toolbox:44"
  std::string release;
  std::string distro;
};

// ResolveContainerAndImageNames of Toolbx. Errors are usage errors.
Result<Resolved> resolve_container_and_image(const ResolveInput& in, const ConfigValues& cfg,
                                             const HostOs& host);

// The container name an image implies: "<prefix>-<tag>" (reference §3.1 step 5).
Result<std::string> container_name_for_image(const std::string& image);

}  // namespace tbx::core
