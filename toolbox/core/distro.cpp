#include "core/distro.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/image_ref.h"
#include "core/usage.h"

namespace tbx::core {

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Go's strconv.Atoi(s) > 0, without its sign handling: releases have none.
bool positive_integer(const std::string& s) {
  if (!all_digits(s) || s.size() > 9) return false;
  return std::atoi(s.c_str()) > 0;
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    v = v.substr(1, v.size() - 2);
  return v;
}

Result<std::string> parse_ubuntu(const std::string& r) {
  const std::size_t dot = r.find('.');
  if (dot == std::string::npos || r.find('.', dot + 1) != std::string::npos)
    return make_error(EINVAL, "The release must be in the 'YY.MM' format.");
  const std::string year = r.substr(0, dot), month = r.substr(dot + 1);
  if (!all_digits(year) || !all_digits(month)) return make_error(EINVAL, "The release must be in the 'YY.MM' format.");
  if (std::atoi(year.c_str()) < 4) return make_error(EINVAL, "The release year must be 4 or more.");
  if (year.size() > 2) return make_error(EINVAL, "The release year cannot have more than two digits.");
  if (year.front() == '0') return make_error(EINVAL, "The release year cannot have a leading zero.");
  const int m = std::atoi(month.c_str());
  if (m < 1 || m > 12) return make_error(EINVAL, "The release month must be between 01 and 12.");
  if (month.size() != 2) return make_error(EINVAL, "The release month must have two digits.");
  return r;
}

// Toolbx: a '.', then Go's strconv.ParseFloat; a string it cannot parse
// ("8.x", "8.3.1") breaks the format, a number <= 0 is not positive.
Result<std::string> parse_rhel(const std::string& r) {
  const Error format = make_error(EINVAL, "The release must be in the '<major>.<minor>' format.");
  if (r.find('.') == std::string::npos) return format;
  // strtod skips leading blanks and saturates on overflow; ParseFloat fails on both.
  if (std::isspace(static_cast<unsigned char>(r.front()))) return format;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(r.c_str(), &end);
  if (end == r.c_str() || *end != '\0' || errno == ERANGE) return format;
  if (!(v > 0)) return make_error(EINVAL, "The release must be a positive number.");
  return r;
}

}  // namespace

HostOs parse_os_release(const std::string& text) {
  HostOs os;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = unquote(line.substr(eq + 1));
    if (key == "ID") os.id = value;
    if (key == "VERSION_ID") os.version_id = value;
  }
  return os;
}

HostOs read_host_os(const std::string& root) {
  for (const char* p : {"/etc/os-release", "/usr/lib/os-release"}) {
    std::ifstream in(root + p);
    if (!in) continue;
    std::ostringstream s;
    s << in.rdbuf();
    return parse_os_release(s.str());
  }
  return {};
}

const std::vector<Distro>& supported_distros() {
  static const std::vector<Distro> distros = {
      {"arch", "arch-toolbox", "arch-toolbox", false},
      {"debian", "debian-toolbox", "debian-toolbox", true},
      {"fedora", "fedora-toolbox", "fedora-toolbox", true},
      {"rhel", "rhel-toolbox", "toolbox", true},
      {"ubuntu", "ubuntu-toolbox", "ubuntu-toolbox", true},
  };
  return distros;
}

const Distro* find_distro(const std::string& name) {
  for (const Distro& d : supported_distros())
    if (d.name == name) return &d;
  return nullptr;
}

const Distro* find_distro_by_image_basename(const std::string& basename) {
  for (const Distro& d : supported_distros())
    if (d.image_basename == basename) return &d;
  return nullptr;
}

Result<std::string> parse_release(const std::string& distro, const std::string& release) {
  if (distro == "arch") {
    if (release.empty() || release == "latest" || release == "rolling") return std::string("latest");
    return make_error(EINVAL, "The release must be 'latest'.");
  }
  if (distro == "fedora") {
    std::string r = release;
    if (!r.empty() && (r.front() == 'f' || r.front() == 'F')) r.erase(0, 1);
    if (!positive_integer(r)) return make_error(EINVAL, "The release must be a positive integer.");
    return r;
  }
  if (distro == "debian") {
    if (release == "testing" || release == "unstable" || positive_integer(release)) return release;
    return make_error(EINVAL, "The release must be a positive integer, 'testing' or 'unstable'.");
  }
  if (distro == "rhel") return parse_rhel(release);
  if (distro == "ubuntu") return parse_ubuntu(release);
  return make_error(EINVAL, "Distribution " + distro + " is unsupported.");
}

std::string distro_registry(const std::string& distro, const std::string& release) {
  if (distro == "fedora") return "registry.fedoraproject.org/";
  if (distro == "rhel") return "registry.access.redhat.com/ubi" + release.substr(0, release.find('.')) + "/";
  if (distro == "debian") return "quay.io/toolbx-images/";
  return "quay.io/toolbx/";  // arch, ubuntu
}

Defaults host_defaults(const HostOs& host) {
  if (const Distro* d = find_distro(host.id)) {
    if (d->name == "arch") return {"arch", "latest"};
    if (!host.version_id.empty()) {
      if (auto r = parse_release(d->name, host.version_id)) return {d->name, *r};
    } else if (d->name == "debian") {
      return {"debian", "testing"};  // Debian testing and unstable have no VERSION_ID
    }
  }
  return {"fedora", kReleaseFallback};
}

Result<std::string> container_name_for_image(const std::string& image) {
  const std::string basename = image_basename(image);
  if (basename.empty()) return make_error(EINVAL, "Images must have basenames.");
  const Distro* d = find_distro_by_image_basename(basename);
  const std::string prefix = d != nullptr ? d->container_prefix : basename;
  const std::string tag = image_tag(image);
  return tag.empty() ? prefix : prefix + "-" + tag;
}

Result<Resolved> resolve_container_and_image(const ResolveInput& in, const ConfigValues& cfg, const HostOs& host) {
  const Defaults def = host_defaults(host);
  Resolved out;

  // 1. The distro: option, configuration, host.
  const bool distro_from_config = in.distro.empty() && !cfg.distro.empty();
  out.distro = !in.distro.empty() ? in.distro : !cfg.distro.empty() ? cfg.distro : def.distro;
  const Distro* d = find_distro(out.distro);
  if (d == nullptr)
    return usage_error("invalid argument for '--distro'", "Distribution " + out.distro + " is unsupported.");

  // 2. The release.
  std::string release;
  if (out.distro == def.distro) {
    release = !in.release.empty() ? in.release : !cfg.release.empty() ? cfg.release : def.release;
  } else if (d->release_required) {
    release = !in.release.empty() ? in.release : cfg.release;
    if (release.empty())
      return usage_error("option '--release' is needed", "Distribution " + out.distro + " doesn't match the host.");
  } else {
    release = !in.release.empty() ? in.release : distro_from_config ? cfg.release : "";
  }
  // 3. Validated and normalised.
  auto parsed = parse_release(out.distro, release);
  if (!parsed) return usage_error("invalid argument for '--release'", parsed.error().message);
  out.release = *parsed;

  // 4. The image.
  if (in.image.empty()) {
    out.image = d->image_basename + ":" + out.release;
    if (!cfg.image.empty() && in.distro.empty() && in.release.empty()) {
      out.image = cfg.image;
      if (const std::string tag = image_tag(cfg.image); !tag.empty()) out.release = tag;
    }
  } else {
    out.image = in.image;
    if (const std::string tag = image_tag(in.image); !tag.empty()) out.release = tag;
  }

  // 5. The container name.
  if (!in.container.empty()) {
    out.container = in.container;
    return out;
  }
  if (image_could_be_id(out.image)) {
    out.container = out.image;
    return out;
  }
  auto name = container_name_for_image(out.image);
  if (!name) return usage_error("invalid argument for '--image'", name.error().message);
  if (!is_valid_container_name(*name))
    return usage_error("invalid argument for '--image'", "Container name " + *name +
                                                             " generated from image is invalid.\nContainer names must "
                                                             "match '[a-zA-Z0-9][a-zA-Z0-9_.-]*'.");
  out.container = *name;
  return out;
}

}  // namespace tbx::core
