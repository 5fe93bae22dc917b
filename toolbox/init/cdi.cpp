#include "init/cdi.h"

#include <sys/mount.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string_view>

namespace tbx::init::cdi {

using nlohmann::json;

namespace {

Error invalid(std::string what) { return make_error(EINVAL, std::move(what)); }

// A JSON field of an object: absent and null are "not given"; any other type
// than the one asked for is an error, as Go's decoder makes it for upstream.
Result<std::string> string_field(const json& j, const char* name, const std::string& where) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return invalid(where + "." + name + " is not a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> strings_field(const json& j, const char* name, const std::string& where) {
  std::vector<std::string> out;
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return invalid(where + "." + name + " is not an array");
  for (const json& x : *it) {
    if (!x.is_string()) return invalid(where + "." + name + " holds a non-string");
    out.push_back(x.get<std::string>());
  }
  return out;
}

// The objects of an array field, each handed to `each` with its own location.
template <typename F>
Result<void> objects_field(const json& j, const char* name, const std::string& where, F each) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_array()) return invalid(where + "." + name + " is not an array");
  std::size_t i = 0;
  for (const json& x : *it) {
    const std::string at = where + "." + name + "[" + std::to_string(i++) + "]";
    if (!x.is_object()) return invalid(at + " is not an object");
    if (auto r = each(x, at); !r) return r;
  }
  return {};
}

Result<ContainerEdits> parse_edits(const json& j, const std::string& where) {
  ContainerEdits e;
  if (j.is_null()) return e;
  if (!j.is_object()) return invalid(where + " is not an object");
  TBX_TRY(e.env, strings_field(j, "env", where), "");
  auto nodes = objects_field(j, "deviceNodes", where, [&](const json& x, const std::string& at) -> Result<void> {
    DeviceNode n;
    TBX_TRY(n.path, string_field(x, "path", at), "");
    TBX_TRY(n.host_path, string_field(x, "hostPath", at), "");
    e.device_nodes.push_back(std::move(n));
    return {};
  });
  if (!nodes) return std::move(nodes).error();
  auto hooks = objects_field(j, "hooks", where, [&](const json& x, const std::string& at) -> Result<void> {
    Hook h;
    TBX_TRY(h.hook_name, string_field(x, "hookName", at), "");
    TBX_TRY(h.path, string_field(x, "path", at), "");
    TBX_TRY(h.args, strings_field(x, "args", at), "");
    TBX_TRY(h.env, strings_field(x, "env", at), "");
    e.hooks.push_back(std::move(h));
    return {};
  });
  if (!hooks) return std::move(hooks).error();
  auto mounts = objects_field(j, "mounts", where, [&](const json& x, const std::string& at) -> Result<void> {
    Mount m;
    TBX_TRY(m.host_path, string_field(x, "hostPath", at), "");
    TBX_TRY(m.container_path, string_field(x, "containerPath", at), "");
    TBX_TRY(m.type, string_field(x, "type", at), "");
    TBX_TRY(m.options, strings_field(x, "options", at), "");
    e.mounts.push_back(std::move(m));
    return {};
  });
  if (!mounts) return std::move(mounts).error();
  return e;
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

bool is_absolute(const std::string& p) { return !p.empty() && p.front() == '/'; }

// Paths the spec makes init-container create or mount over: absolute, without
// "." or ".." components, not in /run/host (the host's /, writable for a
// rootful container) and without a newline (ld.so.conf is one path a line).
// Why not, or empty when the path is fine.
std::string unsafe_path(const std::string& p) {
  if (!is_absolute(p)) return p + " is not an absolute path";
  if (p.find('\n') != std::string::npos || p.find('\0') != std::string::npos) return "a path with a newline";
  for (std::size_t at = 1; at <= p.size();) {
    std::size_t end = p.find('/', at);
    if (end == std::string::npos) end = p.size();
    const std::string_view part(p.data() + at, end - at);
    if (part == "." || part == "..") return p + " has a '" + std::string(part) + "' component";
    at = end + 1;
  }
  if (p == "/run/host" || p.rfind("/run/host/", 0) == 0) return p + " is in the host's file system (/run/host)";
  return {};
}

// CDI's own checks (pkg/cdi Mount.Validate, Hook.Validate, ValidateEnv).
Result<void> validate_mount(const Mount& m) {
  if (m.host_path.empty()) return invalid("empty hostPath (containerPath " + m.container_path + ")");
  if (m.container_path.empty()) return invalid("empty containerPath (hostPath " + m.host_path + ")");
  if (const std::string why = unsafe_path(m.container_path); !why.empty()) return invalid("containerPath " + why);
  return {};
}

Result<void> validate_hook(const Hook& h) {
  static const std::set<std::string> names = {"prestart",       "createRuntime", "createContainer",
                                              "startContainer", "poststart",     "poststop"};
  if (names.count(h.hook_name) == 0) return invalid("hook name '" + h.hook_name + "' is not an OCI hook");
  if (h.path.empty()) return invalid(h.hook_name + " hook with an empty path");
  for (const std::string& e : h.env)
    if (e.find('=') == std::string::npos) return invalid(h.hook_name + " hook: environment entry '" + e + "' has no '='");
  return {};
}

std::string basename_of(const std::string& p) {
  const std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// The hook's subcommand and its arguments: "nvidia-cdi-hook SUB ARGS..." or
// the older "nvidia-ctk hook SUB ARGS..." (NVIDIA Container Toolkit < 1.16).
// Empty when the hook is someone else's.
std::vector<std::string> nvidia_subcommand(const Hook& h) {
  if (h.args.empty()) return {};
  const std::string prog = basename_of(h.args[0]);
  std::size_t sub = 0;
  if (prog == "nvidia-cdi-hook") sub = 1;
  else if (prog == "nvidia-ctk" && h.args.size() > 1 && h.args[1] == "hook") sub = 2;
  else return {};
  if (h.args.size() <= sub) return {};
  return {h.args.begin() + static_cast<std::ptrdiff_t>(sub), h.args.end()};
}

// Values of "--NAME VALUE" and "--NAME=VALUE"; a trailing "--NAME" is an error.
Result<std::vector<std::string>> option_values(const std::vector<std::string>& args, const std::string& name) {
  const std::string flag = "--" + name, prefix = flag + "=";
  std::vector<std::string> out;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == flag) {
      if (i + 1 == args.size()) return invalid("missing " + flag + " argument");
      out.push_back(args[++i]);
    } else if (args[i].rfind(prefix, 0) == 0) {
      out.push_back(args[i].substr(prefix.size()));
    }
  }
  return out;
}

Result<std::vector<Symlink>> parse_links(const std::vector<std::string>& sub) {
  TBX_TRY(const auto links, option_values(sub, "link"), "");
  std::vector<Symlink> out;
  for (const std::string& l : links) {
    const std::size_t sep = l.find("::");
    if (sep == std::string::npos || l.find("::", sep + 2) != std::string::npos)
      return invalid("invalid --link argument: " + l + " not in '<target>::<link>' format");
    Symlink s{l.substr(0, sep), l.substr(sep + 2)};
    if (const std::string why = unsafe_path(s.link); !why.empty()) return invalid("invalid --link argument: link " + why);
    out.push_back(std::move(s));
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

}  // namespace

Result<Spec> parse_spec(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return invalid("missing data");
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return invalid("not valid JSON");
  if (j.is_null()) return invalid("missing data");
  if (!j.is_object()) return invalid("not a JSON object");
  Spec s;
  TBX_TRY(s.cdi_version, string_field(j, "cdiVersion", "spec"), "");
  TBX_TRY(s.kind, string_field(j, "kind", "spec"), "");
  if (auto it = j.find("containerEdits"); it != j.end()) {
    TBX_TRY(s.edits, parse_edits(*it, "spec.containerEdits"), "");
  }
  auto devices = objects_field(j, "devices", "spec", [&](const json& x, const std::string& at) -> Result<void> {
    Device d;
    TBX_TRY(d.name, string_field(x, "name", at), "");
    if (auto it = x.find("containerEdits"); it != x.end()) {
      TBX_TRY(d.edits, parse_edits(*it, at + ".containerEdits"), "");
    }
    s.devices.push_back(std::move(d));
    return {};
  });
  if (!devices) return std::move(devices).error();
  return s;
}

ContainerEdits all_edits(const Spec& spec) {
  ContainerEdits e = spec.edits;
  for (const Device& d : spec.devices) {
    append(e.env, d.edits.env);
    append(e.device_nodes, d.edits.device_nodes);
    append(e.hooks, d.edits.hooks);
    append(e.mounts, d.edits.mounts);
  }
  return e;
}

BindFlags bind_flags(const std::vector<std::string>& options) {
  struct Flag {
    const char* name;
    unsigned long set, clear;
  };
  // mount(8)'s names for the per-mount flags that a bind remount can change.
  static constexpr Flag kFlags[] = {
      {"ro", MS_RDONLY, 0},          {"rw", 0, MS_RDONLY},
      {"nosuid", MS_NOSUID, 0},      {"suid", 0, MS_NOSUID},
      {"nodev", MS_NODEV, 0},        {"dev", 0, MS_NODEV},
      {"noexec", MS_NOEXEC, 0},      {"exec", 0, MS_NOEXEC},
      {"noatime", MS_NOATIME, 0},    {"atime", 0, MS_NOATIME},
      {"nodiratime", MS_NODIRATIME, 0}, {"diratime", 0, MS_NODIRATIME},
      {"relatime", MS_RELATIME, 0},  {"norelatime", 0, MS_RELATIME},
      {"strictatime", MS_STRICTATIME, 0},
  };
  static constexpr Flag kPropagation[] = {
      {"private", MS_PRIVATE, 0},    {"rprivate", MS_PRIVATE | MS_REC, 0},
      {"slave", MS_SLAVE, 0},        {"rslave", MS_SLAVE | MS_REC, 0},
      {"shared", MS_SHARED, 0},      {"rshared", MS_SHARED | MS_REC, 0},
      {"unbindable", MS_UNBINDABLE, 0}, {"runbindable", MS_UNBINDABLE | MS_REC, 0},
  };
  BindFlags f;
  for (const std::string& o : options) {
    // bind and rbind say what the mount is; it is recursive either way.
    bool known = o == "bind" || o == "rbind";
    for (const Flag& x : kFlags)
      if (o == x.name) {
        f.set = (f.set & ~x.clear) | x.set;
        f.clear = (f.clear & ~x.set) | x.clear;
        known = true;
      }
    for (const Flag& x : kPropagation)
      if (o == x.name) {
        f.propagation = x.set;  // the last one wins, as with mount(8)
        known = true;
      }
    if (!known) f.ignored.push_back(o);
  }
  return f;
}

Result<Plan> make_plan(const ContainerEdits& edits) {
  Plan p;
  std::set<std::string> targets;
  for (const Mount& m : edits.mounts) {
    if (auto r = validate_mount(m); !r) return with_context(std::move(r).error(), kInvalidMount);
    const std::string type = m.type.empty() ? "bind" : m.type;
    if (type != "bind") {
      p.notes.push_back("unknown mount type " + type + " for " + m.container_path);
      continue;
    }
    // Devices repeat the spec's mounts ("0", its UUID and "all" are one GPU).
    if (!targets.insert(m.container_path).second) continue;
    const std::string rel = m.host_path.front() == '/' ? m.host_path : "/" + m.host_path;
    p.mounts.push_back({"/run/host" + rel, m.container_path, m.options, bind_flags(m.options)});
  }

  std::set<std::string> links, folders;
  for (const Hook& h : edits.hooks) {
    if (auto r = validate_hook(h); !r) return with_context(std::move(r).error(), kInvalidHook);
    if (h.hook_name != "createContainer") {
      p.notes.push_back("unknown hook name " + h.hook_name);
      continue;
    }
    const std::vector<std::string> sub = nvidia_subcommand(h);
    if (!sub.empty() && sub[0] == "create-symlinks") {
      TBX_TRY(const auto parsed, parse_links(sub), std::string(kSymlinksFailed));
      for (const Symlink& s : parsed)
        if (links.insert(s.link).second) p.symlinks.push_back(s);
    } else if (!sub.empty() && sub[0] == "update-ldcache") {
      TBX_TRY(const auto dirs, option_values(sub, "folder"), std::string(kLdcacheFailed));
      p.update_ldcache = true;
      for (const std::string& d : dirs) {
        if (const std::string why = unsafe_path(d); !why.empty())
          return with_context(invalid("invalid --folder argument: " + why), std::string(kLdcacheFailed));
        if (folders.insert(d).second) p.ld_folders.push_back(d);
      }
    } else {
      p.notes.push_back("unknown hook arguments: " + joined(h.args));
    }
  }
  for (const DeviceNode& n : edits.device_nodes)
    p.notes.push_back("device node " + n.path + ": the container has the host's /dev");
  return p;
}

std::string ld_so_conf_text(const std::vector<std::string>& folders) {
  std::string s = "# Written by Toolbx\n# https://containertoolbx.org/\n\n";
  std::set<std::string> seen;
  for (const std::string& f : folders)
    if (seen.insert(f).second) s += f + "\n";
  return s;
}

core::Argv ldconfig_argv(bool have_cache, bool have_conf_d, const std::vector<std::string>& folders) {
  core::Argv a = {"ldconfig"};
  if (!have_cache) a.push_back("-N");
  if (!have_conf_d) append(a, folders);
  return a;
}

}  // namespace tbx::init::cdi
