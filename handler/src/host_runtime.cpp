#include "host_runtime.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <deque>
#include <set>
#include <string_view>

#include "in_root.h"
#include "ld_so_conf.h"
#include "toolbox/binfmt/marker.h"

namespace handler {

using tbx::make_error;
using tbx::Result;
using tbx::UniqueFd;

namespace {

constexpr std::size_t kMaxLibraries = 512;
// Files the handler reads: a FIFO or a device must not block it (the probe then
// refuses anything but a regular file).
constexpr int kOpenRegular = O_RDONLY | O_NONBLOCK | O_NOCTTY;

std::string basename_of(std::string_view p) {
  const std::size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

bool exists(const char* path) { return ::access(path, F_OK) == 0; }

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const std::string& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

}  // namespace

std::vector<std::string> default_library_dirs() {
#if defined(__x86_64__)
  const char* multiarch = "x86_64-linux-gnu";
#elif defined(__aarch64__)
  const char* multiarch = "aarch64-linux-gnu";
#endif
  return {std::string("/lib/") + multiarch, std::string("/usr/lib/") + multiarch, "/lib64", "/usr/lib64",
          "/lib", "/usr/lib"};
}

bool loader_supports_argv0(int fd) {
  // Read, not mapped: a loader cut short under us must not raise SIGBUS.
  static constexpr char needle[] = "--argv0";
  constexpr std::size_t overlap = sizeof needle - 2;  // a needle across two reads
  constexpr off_t kMaxLoaderBytes = 64 << 20;
  char buf[65536];
  std::size_t kept = 0;
  for (off_t off = 0; off < kMaxLoaderBytes;) {
    const ssize_t n = ::pread(fd, buf + kept, sizeof buf - kept, off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    const std::size_t have = kept + static_cast<std::size_t>(n);
    if (::memmem(buf, have, needle, sizeof needle - 1) != nullptr) return true;
    off += n;
    kept = std::min(overlap, have);
    std::memmove(buf, buf + have - kept, kept);
  }
  return false;
}

namespace {

// The loop guard: the kernel sends every file whose e_flags match the entry to
// this handler, so a loader that is the binary, or marked, would re-exec forever.
Result<void> check_loader_is_not_handled(int loader_fd, const ElfInfo& binary, const std::string& loader) {
  struct stat st;
  if (::fstat(loader_fd, &st) != 0) return make_error(errno, "its loader '" + loader + "': " + std::strerror(errno));
  if (binary.ino != 0 && st.st_dev == binary.dev && st.st_ino == binary.ino)
    return make_error(ELOOP, "its loader '" + loader + "' is the file itself (it would start this handler forever)");
  // e_flags is what the kernel's entry matches: a marked loader comes back here.
  unsigned char h[sizeof(Elf64_Ehdr)] = {};
  const ssize_t n = ::pread(loader_fd, h, sizeof h, 0);
  std::uint32_t flags = 0;
  if (n == static_cast<ssize_t>(sizeof h) && h[EI_CLASS] == ELFCLASS64)
    std::memcpy(&flags, h + offsetof(Elf64_Ehdr, e_flags), sizeof flags);
  else if (n >= static_cast<ssize_t>(sizeof(Elf32_Ehdr)) && h[EI_CLASS] == ELFCLASS32)
    std::memcpy(&flags, h + offsetof(Elf32_Ehdr, e_flags), sizeof flags);
  if (flags == tbx::binfmt::kMarkerFlags)
    return make_error(ELOOP, "its loader '" + loader + "' carries the toolbox marker (it would start this handler again)");
  return {};
}

}  // namespace

Result<InRootPath> resolve_host_loader(int root_fd, const std::string& interp, int flags) {
  auto r = resolve_in_root(root_fd, interp, flags);
  if (r || (r.error().code != ENOENT && r.error().code != ENOTDIR)) return r;
  auto merged = walk_in_root(root_fd, interp, flags, true);
  if (merged) return merged;
  return r;
}

Result<Environment> detect_environment(const std::string& root_path, bool explicit_root,
                                       const std::optional<std::string>& interp) {
  Environment env;
  UniqueFd fd(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    if (explicit_root) return make_error(err, "the root '" + root_path + "': " + std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) {
      // Podman's mark, which Toolbx's own container detection uses too. (Docker's
      // /.dockerenv is not taken: such hosts and CI sandboxes are common.)
      if (exists("/run/.containerenv"))
        return make_error(ENOENT, "this is a container without the host's file system at " + root_path +
                                      " (create the container with 'toolbox create')");
      return env;  // no host root and no container: this is the host
    }
    return make_error(err, "cannot open " + root_path + ": " + std::strerror(err));
  }
  struct stat root_st, slash_st;
  if (::fstat(fd.get(), &root_st) != 0 || ::stat("/", &slash_st) != 0)
    return make_error(errno, std::string("cannot stat the roots: ") + std::strerror(errno));
  if (same_file(root_st, slash_st) && !explicit_root) return env;  // /run/host -> / on the host
  if (!explicit_root && interp && !resolve_host_loader(fd.get(), *interp, O_PATH)) {
    // Not a host root (an nspawn guest's /run/host), unless Podman says this is
    // a container: then the host's file system is missing, as above.
    if (exists("/run/.containerenv"))
      return make_error(ENOENT, "the host's loader '" + *interp + "' is not under " + root_path +
                                    " (create the container with 'toolbox create')");
    return env;
  }
  env.where = Where::container;
  env.root_path = root_path;
  while (env.root_path.size() > 1 && env.root_path.back() == '/') env.root_path.pop_back();
  if (env.root_path == "/") env.root_path.clear();
  env.root_fd = std::move(fd);
  return env;
}

Result<Plan> plan_native(const ElfInfo& binary) {
  if (!binary.interp)
    return make_error(ENOEXEC, "has no PT_INTERP: a static binary cannot be passed through a loader");
  Plan plan;
  plan.where = Where::host;
  plan.loader = *binary.interp;
  auto opened = open_regular_at(AT_FDCWD, plan.loader.c_str());
  if (!opened) return tbx::with_context(std::move(opened).error(), "its loader '" + plan.loader + "'");
  UniqueFd fd(*opened);
  if (auto r = check_loader_is_not_handled(fd.get(), binary, plan.loader); !r) return std::move(r).error();
  // A binary that needs glibc >= 2.33 only runs where the loader has --argv0:
  // no need to read the loader. Otherwise, read its usage text.
  plan.loader_has_argv0 =
      highest_glibc_minor(binary) >= kGlibcMinorWithArgv0 || loader_supports_argv0(fd.get());
  return plan;
}

Result<Plan> plan_container(const ElfInfo& binary, const Environment& env) {
  if (!binary.interp)
    return make_error(ENOEXEC, "has no PT_INTERP: a static binary needs no host run-time");
  const int root = env.root_fd.get();
  Plan plan;
  plan.where = Where::container;

  // 1. The loader, resolved inside the host root.
  auto loader = resolve_host_loader(root, *binary.interp, kOpenRegular);
  if (!loader)
    return tbx::with_context(std::move(loader).error(),
                             "the host's loader '" + *binary.interp + "' is not under " + env.root_path);
  plan.loader = env.root_path + loader->path;
  if (auto r = check_loader_is_not_handled(loader->fd.get(), binary, plan.loader); !r) return std::move(r).error();
  TBX_TRY(ElfInfo loader_info, probe_elf_fd(loader->fd.get()), "the host's loader '" + plan.loader + "'");
  if (!is_native_object(loader_info) || loader_info.type != ET_DYN)
    return make_error(ENOEXEC, "the host's loader '" + plan.loader + "' is not a loader for this machine");
  plan.loader_has_argv0 = highest_glibc_minor(binary) >= kGlibcMinorWithArgv0 || loader_supports_argv0(loader->fd.get());
  const std::string loader_soname = loader_info.soname.value_or(basename_of(*binary.interp));

  // 2. The host's search path: RUNPATH (else RPATH), ld.so.conf, the defaults,
  //    each canonicalised inside the root so no absolute symlink leads out.
  std::vector<std::string> wanted;
  const std::vector<std::string>& own = binary.runpath.empty() ? binary.rpath : binary.runpath;
  for (const std::string& d : own) {
    if (d.find('$') != std::string::npos) {
      plan.notes.push_back("skipped the binary's search directory '" + d + "' (dynamic string tokens)");
      continue;
    }
    wanted.push_back(d);
  }
  auto conf = load_ld_so_conf(root);
  if (!conf) {
    plan.notes.push_back("ignored the host's ld.so.conf: " + conf.error().message);
  } else {
    for (std::string& d : *conf) wanted.push_back(std::move(d));
  }
  for (std::string& d : default_library_dirs()) wanted.push_back(std::move(d));

  std::vector<std::string> dirs;  // in-root canonical
  std::set<std::string> seen;
  for (const std::string& d : wanted) {
    if (d.empty() || d.front() != '/') continue;
    auto r = canonical_dir_in_root(root, d);
    if (!r) continue;
    if (r->find_first_of(":;") != std::string::npos) {  // ld.so splits --library-path on these
      plan.notes.push_back("skipped the directory '" + *r + "' (its name holds ':' or ';')");
      continue;
    }
    if (seen.insert(*r).second) dirs.push_back(*r);
  }
  for (const std::string& d : dirs) plan.library_path.push_back(env.root_path + d);

  // 3. Every needed library, transitively, found in those directories, as a
  //    native object, at the same file the loader will open by name.
  struct Want {
    std::string name, needed_by;
  };
  std::deque<Want> queue;
  const std::string self = "the binary";
  for (const std::string& n : binary.needed) queue.push_back({n, self});
  std::set<std::string> done{loader_soname};
  while (!queue.empty()) {
    Want w = std::move(queue.front());
    queue.pop_front();
    if (!done.insert(w.name).second) continue;
    if (done.size() > kMaxLibraries) return make_error(E2BIG, "more than 512 libraries needed");
    // A name with a slash is opened by ld.so as a path (glibc's _dl_map_object:
    // no search), in the container's root and not under the host root.
    if (w.name.find('/') != std::string::npos)
      return make_error(EXDEV, "the library '" + w.name + "' (needed by " + w.needed_by +
                                   ") is named by a path, which the loader opens in the container, not under " +
                                   env.root_path + "; link it by its soname");
    std::vector<std::string> candidates;
    for (const std::string& d : dirs) candidates.push_back(d + "/" + w.name);
    bool found = false;
    for (const std::string& c : candidates) {
      auto fd = open_in_root(root, c, kOpenRegular);
      if (!fd) continue;
      auto info = probe_elf_fd(fd->get());
      if (!info || !is_native_object(*info)) continue;  // ld.so skips foreign objects too
      const std::string naive = env.root_path + c;
      struct stat want_st, naive_st;
      if (::fstat(fd->get(), &want_st) != 0 || ::stat(naive.c_str(), &naive_st) != 0 ||
          !same_file(want_st, naive_st))
        return make_error(ELOOP, "the library '" + naive + "' (needed by " + w.needed_by +
                                     ") leads out of the host root through a symbolic link");
      plan.libraries.push_back({w.name, w.needed_by, naive});
      for (const std::string& n : info->needed) queue.push_back({n, w.name});
      found = true;
      break;
    }
    if (!found)
      return make_error(ENOENT, "the library '" + w.name + "' (needed by " + w.needed_by +
                                    ") is not in the host run-time under " + env.root_path +
                                    " (searched " + join(plan.library_path, ":") + ")");
  }

  plan.preload = read_ld_so_preload(kPreloadFile);

  if (const int err = openat2_fallback_errno(); err != 0)
    plan.notes.push_back(std::string("openat2 refused (") + std::strerror(err) + "): resolved by the userspace walk");

  // 4. DT_RPATH is searched before --library-path: a container copy there would win.
  if (binary.runpath.empty()) {
    for (const std::string& d : binary.rpath) {
      if (d.find('$') != std::string::npos) continue;
      for (const ResolvedLibrary& lib : plan.libraries) {
        const std::string p = d + "/" + lib.name;
        if (exists(p.c_str()))
          return make_error(EEXIST, "the binary's DT_RPATH '" + d + "' would load the container's '" + p + "'");
      }
    }
  }
  return plan;
}

}  // namespace handler
