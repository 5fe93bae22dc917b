#include "core/podman.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace tbx::core {

using nlohmann::json;

namespace {

// The first of several spellings that exists.
const json* field(const json& j, std::initializer_list<const char*> names) {
  if (!j.is_object()) return nullptr;
  for (const char* n : names) {
    auto it = j.find(n);
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

// The first of several spellings that holds a string: Podman 1's ps gave a
// number in "State" and the string in "Status".
std::string str(const json& j, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (const json* f = field(j, {n}); f != nullptr && f->is_string()) return f->get<std::string>();
  return std::string();
}

Labels labels_of(const json* j) {
  Labels out;
  if (j == nullptr || !j->is_object()) return out;
  for (auto it = j->begin(); it != j->end(); ++it)
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  return out;
}

std::vector<std::string> strings_of(const json* j) {
  std::vector<std::string> out;
  if (j == nullptr) return out;
  if (j->is_string()) {
    out.push_back(j->get<std::string>());
  } else if (j->is_array()) {
    for (const json& x : *j)
      if (x.is_string()) out.push_back(x.get<std::string>());
  }
  return out;
}

void created_of(const json* j, std::int64_t& epoch, std::string& text) {
  if (j == nullptr) return;
  if (j->is_number_unsigned()) {
    // Past int64 is no time at all (corrupt or hostile JSON), not a wrapped one.
    const auto v = j->get<std::uint64_t>();
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (v <= kMax) epoch = static_cast<std::int64_t>(v);
  } else if (j->is_number_integer()) {
    epoch = j->get<std::int64_t>();
  } else if (j->is_number_float()) {
    // A float outside int64's range (or NaN) makes the cast undefined: found by fuzz/podman_ps.
    const double d = j->get<double>();
    if (std::isfinite(d) && d > -9.2e18 && d < 9.2e18) epoch = static_cast<std::int64_t>(d);
  } else if (j->is_string()) {
    text = j->get<std::string>();
  }
}

Result<json> parse(const std::string& text, const char* what) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error(EINVAL, std::string("cannot parse the JSON of ") + what);
  return j;
}

}  // namespace

bool is_toolbx(const Labels& labels) {
  for (const char* l : {kToolbxLabel, kToolbxLabelOld}) {
    auto it = labels.find(l);
    if (it != labels.end() && it->second == "true") return true;
  }
  return false;
}

Result<std::vector<ContainerSummary>> parse_ps_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman ps"), "parsing containers");
  std::vector<ContainerSummary> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return make_error(EINVAL, "podman ps did not give a JSON array");
  for (const json& c : j) {
    ContainerSummary s;
    s.id = str(c, {"Id", "ID", "id"});
    const auto names = strings_of(field(c, {"Names", "names"}));
    s.name = names.empty() ? std::string() : names.front();
    s.image = str(c, {"Image", "image"});
    s.state = str(c, {"State", "Status", "state", "status"});
    created_of(field(c, {"Created", "created"}), s.created, s.created_text);
    if (s.created_text.empty() && s.created == 0) s.created_text = str(c, {"CreatedAt"});
    s.labels = labels_of(field(c, {"Labels", "labels"}));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<ImageSummary>> parse_images_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman images"), "parsing images");
  std::vector<ImageSummary> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return make_error(EINVAL, "podman images did not give a JSON array");
  for (const json& i : j) {
    ImageSummary s;
    s.id = str(i, {"Id", "ID", "id"});
    s.names = strings_of(field(i, {"Names", "names"}));
    created_of(field(i, {"Created", "created"}), s.created, s.created_text);
    s.labels = labels_of(field(i, {"Labels", "labels"}));
    out.push_back(std::move(s));
  }
  return out;
}

Result<ContainerInspect> parse_container_inspect_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman inspect"), "parsing the container");
  const json* c = &j;
  if (j.is_array()) {
    if (j.empty()) return make_error(ENOENT, "podman inspect gave no container");
    c = &j.front();
  }
  if (!c->is_object()) return make_error(EINVAL, "podman inspect did not give an object");
  ContainerInspect ci;
  ci.id = str(*c, {"Id", "ID"});
  ci.name = str(*c, {"Name"});
  if (!ci.name.empty() && ci.name.front() == '/') ci.name.erase(0, 1);
  ci.image_name = str(*c, {"ImageName"});
  if (const json* cfg = field(*c, {"Config"})) {
    ci.cmd = strings_of(field(*cfg, {"Cmd"}));
    ci.entrypoint = strings_of(field(*cfg, {"Entrypoint"}));
    ci.labels = labels_of(field(*cfg, {"Labels"}));
  }
  if (const json* st = field(*c, {"State"})) {
    ci.state = str(*st, {"Status"});
    if (const json* r = field(*st, {"Running"}); r != nullptr && r->is_boolean()) ci.running = r->get<bool>();
    // A PID or 0 (not running); anything else in the JSON (negative, past pid_t) is no PID.
    // nlohmann reads a non-negative integer as unsigned, a negative one as signed.
    if (const json* p = field(*st, {"Pid"}); p != nullptr && p->is_number_unsigned()) {
      const auto v = p->get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) ci.pid = static_cast<int>(v);
    }
  }
  if (const json* ms = field(*c, {"Mounts"}); ms != nullptr && ms->is_array()) {
    for (const json& m : *ms) ci.mounts.push_back({str(m, {"Source"}), str(m, {"Destination"})});
  }
  return ci;
}

Result<std::vector<std::string>> parse_image_repo_tags_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman inspect"), "parsing the image");
  const json* i = j.is_array() && !j.empty() ? &j.front() : &j;
  const json* tags = field(*i, {"RepoTags"});
  if (tags == nullptr) return make_error(ENOENT, "missing RepoTags");
  return strings_of(tags);
}

Result<Labels> parse_image_labels_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman inspect"), "parsing the image");
  const json* i = j.is_array() && !j.empty() ? &j.front() : &j;
  Labels l = labels_of(field(*i, {"Labels"}));
  if (l.empty())
    if (const json* cfg = field(*i, {"Config"})) l = labels_of(field(*cfg, {"Labels"}));
  return l;
}

Result<std::string> parse_version_json(const std::string& text) {
  TBX_TRY(const json j, parse(text, "podman version"), "parsing the Podman version");
  if (const json* client = field(j, {"Client"})) {
    std::string v = str(*client, {"Version"});
    if (!v.empty()) return v;
  }
  std::string v = str(j, {"Version"});
  if (v.empty()) return make_error(EINVAL, "podman version gave no version");
  return v;
}

int compare_versions(const std::string& a, const std::string& b) {
  std::size_t i = 0, k = 0;
  while (i < a.size() || k < b.size()) {
    long x = 0, y = 0;
    while (i < a.size() && a[i] >= '0' && a[i] <= '9') x = x * 10 + (a[i++] - '0');
    while (k < b.size() && b[k] >= '0' && b[k] <= '9') y = y * 10 + (b[k++] - '0');
    if (x != y) return x < y ? -1 : 1;
    while (i < a.size() && (a[i] < '0' || a[i] > '9')) ++i;
    while (k < b.size() && (b[k] < '0' || b[k] > '9')) ++k;
  }
  return 0;
}

Result<RunResult> podman_capture(const Argv& argv, bool capture_stderr) {
  RunOptions o;
  o.capture_stdout = true;
  o.capture_stderr = capture_stderr;
  return run(argv, o);
}

bool podman_succeeds(const Argv& argv) {
  auto r = podman_capture(argv);
  return r && r->status.success();
}

}  // namespace tbx::core
