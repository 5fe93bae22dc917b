#include "core/subid.h"

#include <dlfcn.h>
#include <shadow/subid.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sys/fs.h"

namespace tbx::core {
namespace {

#define TBX_STR2(x) #x
#define TBX_STR(x) TBX_STR2(x)
// The soname of the ABI whose header we were built with.
constexpr const char* kLibsubid = "libsubid.so." TBX_STR(SUBID_ABI_MAJOR);

// libsubid, loaded here only, as upstream Toolbx does: it follows the `subid:`
// source of nsswitch.conf (sssd, FreeIPA) where we would only read the files,
// and it brings libselinux and libaudit, which no other command needs.
class Libsubid {
 public:
  Libsubid() : handle_(::dlopen(kLibsubid, RTLD_NOW | RTLD_LOCAL)) {
    if (handle_ == nullptr) return;
    init_ = reinterpret_cast<decltype(&::subid_init)>(::dlsym(handle_, "subid_init"));
    uid_ranges_ = reinterpret_cast<decltype(&::subid_get_uid_ranges)>(::dlsym(handle_, "subid_get_uid_ranges"));
    gid_ranges_ = reinterpret_cast<decltype(&::subid_get_gid_ranges)>(::dlsym(handle_, "subid_get_gid_ranges"));
  }
  ~Libsubid() {
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  Libsubid(const Libsubid&) = delete;
  Libsubid& operator=(const Libsubid&) = delete;

  bool usable() const { return init_ != nullptr && uid_ranges_ != nullptr && gid_ranges_ != nullptr; }
  void init() const { init_("toolbox", stderr); }
  // Whether the owner (a user name or a UID as text) has ranges of that kind.
  bool has(bool uid, const std::string& owner) const {
    subid_range* ranges = nullptr;
    const int n = (uid ? uid_ranges_ : gid_ranges_)(owner.c_str(), &ranges);
    std::free(ranges);
    return n > 0;
  }

 private:
  void* handle_;
  decltype(&::subid_init) init_ = nullptr;
  decltype(&::subid_get_uid_ranges) uid_ranges_ = nullptr;
  decltype(&::subid_get_gid_ranges) gid_ranges_ = nullptr;
};

bool file_has_range(const char* path, const std::string& user, unsigned uid) {
  const auto text = sys::read_file(path);
  return text && has_subid_range(*text, user, uid);
}

}  // namespace

bool has_subid_range(const std::string& text, const std::string& user, unsigned uid) {
  std::istringstream in(text);
  std::string line;
  const std::string id = std::to_string(uid);
  while (std::getline(in, line)) {
    const std::size_t a = line.find(':');
    if (a == std::string::npos) continue;
    const std::size_t b = line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string owner = line.substr(0, a);
    if (owner != user && owner != id) continue;
    try {
      if (std::stoul(line.substr(b + 1)) > 0) return true;
    } catch (...) {
    }
  }
  return false;
}

Result<void> check_subid_ranges(const std::string& user, unsigned uid) {
  bool ok = false;
  if (const Libsubid lib; lib.usable()) {
    lib.init();
    // By name, then by UID, as shadow's own tools look the owner up.
    const std::string id = std::to_string(uid);
    ok = (lib.has(true, user) || lib.has(true, id)) && (lib.has(false, user) || lib.has(false, id));
  } else {
    // Upstream fails here; the files are what libsubid reads by default.
    spdlog::debug("Cannot load {} ({}): reading /etc/subuid and /etc/subgid", kLibsubid, ::dlerror());
    ok = file_has_range("/etc/subuid", user, uid) && file_has_range("/etc/subgid", user, uid);
  }
  if (ok) return {};
  return make_error(EINVAL, "Missing subgid and/or subuid ranges for user " + user +
                                "\nSee the podman(1), subgid(5), subuid(5) and usermod(8) manuals for more\ninformation.");
}

}  // namespace tbx::core
