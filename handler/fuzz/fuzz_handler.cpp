// fuzz-handler: libFuzzer over the handler's three kinds of hostile input. The
// first byte picks the mode, the rest is the input:
//   0  an ELF image: probe_elf_memory(), then the native-machine checks
//   1  a path inside a fixed tree: walk_in_root() against the kernel's
//      openat2(RESOLVE_IN_ROOT), which must agree on every path
//   2  ld.so.conf text: parse_ld_so_conf()
// Other first bytes are rejected. A broken invariant or a disagreement is a
// __builtin_trap(); ASan, UBSan and LeakSanitizer catch the rest. The tree lives
// in a mkdtemp(3) directory, removed at exit; nothing is written anywhere else.
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "elf_probe.h"
#include "in_root.h"
#include "ld_so_conf.h"
#include "toolbox/binfmt/marker.h"
#include "toolbox/unique_fd.h"

namespace {

constexpr std::size_t kMaxPathInput = 4096;

// Prints what broke, and for which input text, then stops the run so that
// libFuzzer saves the input.
[[noreturn]] void broken(const char* what, std::string_view input) {
  std::fprintf(stderr, "fuzz-handler: %s (input '%.*s')\n", what, static_cast<int>(input.size()), input.data());
  __builtin_trap();
}

bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

// --- mode 0: ELF images ---------------------------------------------------------

void fuzz_elf(const std::uint8_t* data, std::size_t size) {
  auto info = handler::probe_elf_memory(data, size);
  if (!info) {
    if (info.error().code == 0 || info.error().message.empty()) broken("an error without errno or message", "");
    return;
  }
  const handler::ElfInfo& i = *info;
  if (i.interp && (i.interp->empty() || i.interp->size() >= handler::kMaxInterp || has_nul(*i.interp)))
    broken("PT_INTERP out of its bounds", "");
  if (i.needed.size() > handler::kMaxNeeded) broken("more DT_NEEDED than kMaxNeeded", "");
  for (const std::string& n : i.needed)
    if (n.empty() || has_nul(n)) broken("an empty or NUL-holding DT_NEEDED", "");
  // The bounds of HOSTILE INPUT (toolbox-binfmt-handler(8)): what one probe copies out.
  std::size_t copied = 0;
  for (const std::string& n : i.needed) {
    if (n.size() > handler::kMaxName) broken("a DT_NEEDED longer than kMaxName", "");
    copied += n.size() + 1;
  }
  for (const std::string& v : i.libc_versions) {
    if (v.size() > handler::kMaxName) broken("a version name longer than kMaxName", "");
    if (std::count(i.libc_versions.begin(), i.libc_versions.end(), v) != 1) broken("a version name kept twice", "");
    copied += v.size() + 1;
  }
  if (copied > handler::kMaxStringBytes) broken("more strings copied than kMaxStringBytes", "");
  for (const auto* list : {&i.runpath, &i.rpath})
    for (const std::string& d : *list)
      if (d.empty() || has_nul(d) || d.find(':') != std::string::npos) broken("a bad search path entry", "");
  if (!i.needed.empty() && !i.has_dynamic) broken("DT_NEEDED without PT_DYNAMIC", "");
  // The marker is a function of e_flags and the note alone.
  const bool flags = i.flags == tbx::binfmt::kMarkerFlags;
  const bool verified = flags && i.note_version == tbx::binfmt::kNoteVersion;
  if ((i.marker == handler::Marker::verified) != verified) broken("marker 'verified' inconsistent", "");
  if ((i.marker == handler::Marker::absent) != !flags) broken("marker 'absent' inconsistent", "");

  const bool native = handler::is_native_object(i);
  if (auto r = handler::check_native_executable(i); r.ok() && !native)
    broken("a native executable that is not a native object", "");
  else if (!r.ok() && r.error().code != ENOEXEC)
    broken("check_native_executable failed without ENOEXEC", "");
}

// --- mode 1: paths inside a root ------------------------------------------------

// The fixed tree every path is resolved in. libFuzzer's interface is two free
// functions, so it is the one piece of process-wide state.
struct Tree {
  std::string dir;     // the mkdtemp(3) directory; the root is dir + "/root"
  tbx::UniqueFd root;  // O_PATH | O_DIRECTORY
};

Tree& tree() {
  static Tree t;
  return t;
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); }

void remove_tree() {
  if (!tree().dir.empty()) ::nftw(tree().dir.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

[[noreturn]] void setup_failed(const char* what, const std::string& name) {
  std::fprintf(stderr, "fuzz-handler: cannot set up the tree: %s '%s': %s\n", what, name.c_str(),
               std::strerror(errno));
  std::exit(1);
}

// Every case the resolver must handle: directories, files, relative and
// absolute symlinks to files and directories, a link that climbs past the
// root, loops, a dangling link, a link to "." and one with a trailing slash.
void build_tree() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp == '/' ? tmp : "/tmp") + "/fuzz-handler-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) setup_failed("mkdtemp", tmpl);
  tree().dir = tmpl;
  std::atexit(remove_tree);
  const std::string root_path = tmpl + "/root";
  if (::mkdir(root_path.c_str(), 0755) != 0) setup_failed("mkdir", root_path);
  tree().root = tbx::UniqueFd(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!tree().root) setup_failed("open", root_path);
  const int r = tree().root.get();

  for (const char* d : {"usr", "usr/lib", "usr/lib/x86_64-linux-gnu", "usr/lib64", "etc", "etc/ld.so.conf.d", "empty"})
    if (::mkdirat(r, d, 0755) != 0) setup_failed("mkdir", d);
  for (const char* f : {"usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "usr/lib/x86_64-linux-gnu/libc.so.6",
                        "etc/marker", "etc/ld.so.conf", "etc/ld.so.conf.d/libc.conf", "file"}) {
    tbx::UniqueFd fd(::openat(r, f, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd) setup_failed("create", f);
  }
  const struct {
    const char* target;
    const char* link;
  } links[] = {
      {"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "usr/lib64/ld-linux-x86-64.so.2"},  // absolute, to a file
      {"../lib/x86_64-linux-gnu", "usr/lib64/rel"},                                    // relative, with ".."
      {"../../../../../../etc", "usr/lib/escape"},                                     // climbs past the root
      {".", "usr/lib/dot"},
      {"usr/lib", "lib"},                                                              // relative, to a directory
      {"usr/lib64", "lib64"},
      {"/usr", "dir-link"},                                                            // absolute, to a directory
      {"loop-b", "loop-a"},
      {"loop-a", "loop-b"},
      {"self", "self"},
      {"/nowhere/at/all", "dangling"},
      {"file/", "file-slash"},
      {"/usr/lib/x86_64-linux-gnu/libc.so.6", "abs-libc"},
  };
  for (const auto& l : links)
    if (::symlinkat(l.target, r, l.link) != 0) setup_failed("symlink", l.link);
}

struct Stat {
  dev_t dev;
  ino_t ino;
  bool operator==(const Stat&) const = default;
};

Stat identity(int fd, std::string_view path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) broken("fstat on a resolved descriptor failed", path);
  return {st.st_dev, st.st_ino};
}

// Absolute, and every component a plain name: no "//", "/./", "/../", no
// trailing "/" (but "/" itself).
bool is_canonical(std::string_view p) {
  if (p == "/") return true;
  if (p.empty() || p.front() != '/' || p.back() == '/') return false;
  std::size_t i = 1;
  while (i <= p.size()) {
    std::size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    const std::string_view c = p.substr(i, j - i);
    if (c.empty() || c == "." || c == "..") return false;
    i = j + 1;
  }
  return true;
}

// Whether open_in_root() ever took the walk because openat2 was refused (after a
// persistent EAGAIN it takes the walk too, which then is a walk-against-walk check).
bool openat2_refused() {
  const int err = handler::openat2_fallback_errno();
  return err != 0 && err != EAGAIN;
}

void fuzz_path(const std::uint8_t* data, std::size_t size) {
  std::string_view path(reinterpret_cast<const char*>(data), std::min(size, kMaxPathInput));
  path = path.substr(0, path.find('\0'));
  const int root = tree().root.get();
  for (const int flags : {O_RDONLY, O_PATH}) {
    auto walked = handler::walk_in_root(root, path, flags);
    auto kernel = handler::open_in_root(root, path, flags);
    if (openat2_refused()) broken("open_in_root fell back to the walk", path);
    if (walked.ok() != kernel.ok()) {
      std::fprintf(stderr, "fuzz-handler: walk: %s; openat2: %s\n",
                   walked.ok() ? "ok" : walked.error().message.c_str(),
                   kernel.ok() ? "ok" : kernel.error().message.c_str());
      broken("the walk and openat2(RESOLVE_IN_ROOT) disagree", path);
    }
    if (!walked.ok()) {
      if (walked.error().code != kernel.error().code) {
        std::fprintf(stderr, "fuzz-handler: walk: %s; openat2: %s\n", walked.error().message.c_str(),
                     kernel.error().message.c_str());
        broken("the walk and openat2(RESOLVE_IN_ROOT) fail with different errno", path);
      }
      continue;
    }
    const Stat id = identity(walked->fd.get(), path);
    if (identity(kernel->get(), path) != id) broken("the walk and openat2 opened different files", path);
    const std::string& canonical = walked->path;
    if (!is_canonical(canonical)) broken(("not canonical: '" + canonical + "'").c_str(), path);
    auto again = handler::walk_in_root(root, canonical, flags);
    if (!again.ok()) broken(("the canonical path does not resolve: '" + canonical + "'").c_str(), path);
    if (again->path != canonical || identity(again->fd.get(), canonical) != id)
      broken(("the canonical path leads elsewhere: '" + canonical + "'").c_str(), path);
  }
}

// --- mode 2: ld.so.conf text ----------------------------------------------------

void fuzz_ld_so_conf(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const handler::LdSoConfEntry& e : handler::parse_ld_so_conf(text)) {
    if (e.value.empty()) broken("an empty ld.so.conf entry", e.value);
    if (e.value.find_first_of("#\n") != std::string::npos) broken("a comment or newline in an entry", e.value);
    if (e.kind == handler::LdSoConfEntry::Kind::directory && e.value.size() > 1 && e.value.back() == '/')
      broken("a directory with a trailing slash", e.value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  build_tree();
  // The differential check needs the kernel's resolver, not the fallback.
  if (auto probe = handler::open_in_root(tree().root.get(), "/", O_PATH); !probe.ok() || openat2_refused()) {
    std::fprintf(stderr, "fuzz-handler: openat2(RESOLVE_IN_ROOT) is not usable here (errno %d)\n",
                 handler::openat2_fallback_errno());
    std::exit(1);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return -1;
  switch (data[0]) {
    case 0: fuzz_elf(data + 1, size - 1); return 0;
    case 1: fuzz_path(data + 1, size - 1); return 0;
    case 2: fuzz_ld_so_conf(data + 1, size - 1); return 0;
    default: return -1;  // not a mode: keep it out of the corpus
  }
}
