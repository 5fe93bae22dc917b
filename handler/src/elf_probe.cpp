#include "elf_probe.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

#include "toolbox/binfmt/marker.h"
#include "toolbox/binfmt/registration.h"

namespace handler {

using tbx::make_error;
using tbx::Result;

const char* marker_name(Marker m) {
  switch (m) {
    case Marker::absent: return "absent";
    case Marker::flags_only: return "e_flags only, no note";
    case Marker::note_other_version: return "note of another format version";
    case Marker::verified: return "verified";
  }
  return "?";
}

namespace {

struct ElfEnd {
  void operator()(Elf* e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<Elf, ElfEnd>;

tbx::Error corrupt(std::string what) { return make_error(ENOEXEC, "corrupt ELF file: " + what); }

tbx::Error libelf_error(const char* what) {
  return corrupt(std::string(what) + " (" + elf_errmsg(-1) + ")");
}

bool init_libelf() {
  static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
  return ok;
}

struct Load {
  std::uint64_t vaddr, offset, filesz;
};

// Where the bytes come from: the file through pread(2), or memory. Strings are
// read through it in small windows, so a hostile DT_STRSZ costs nothing.
struct Source {
  int fd = -1;
  const unsigned char* mem = nullptr;
  std::uint64_t size = 0;  // the file's size when the probe began

  bool read(std::uint64_t off, void* out, std::size_t len) const {
    if (off > size || len > size - off) return false;
    if (mem != nullptr) {
      std::memcpy(out, mem + off, len);
      return true;
    }
    auto* p = static_cast<char*>(out);
    while (len > 0) {
      const ssize_t n = ::pread(fd, p, len, static_cast<off_t>(off));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;  // an error, or the file shrank under us
      p += n;
      off += static_cast<std::uint64_t>(n);
      len -= static_cast<std::size_t>(n);
    }
    return true;
  }
};

// The bytes and records one probe may still spend on copies out of the file.
struct Budget {
  std::size_t string_bytes = kMaxStringBytes;
  std::size_t version_records = kMaxVersionRecords;

  bool take_bytes(std::size_t n) {
    if (n > string_bytes) return false;
    string_bytes -= n;
    return true;
  }
};

// Maps a virtual address to a file offset through the PT_LOAD segments, as
// section headers may be gone; returns the bytes available from there.
std::optional<std::pair<std::uint64_t, std::uint64_t>> vaddr_to_offset(const std::vector<Load>& loads,
                                                                        std::uint64_t addr) {
  for (const Load& l : loads) {
    if (addr >= l.vaddr && addr - l.vaddr < l.filesz) {
      const std::uint64_t delta = addr - l.vaddr;
      return std::make_pair(l.offset + delta, l.filesz - delta);  // no overflow: delta < filesz
    }
  }
  return std::nullopt;
}

struct StringTable {
  std::uint64_t offset = 0;  // in the file
  std::uint64_t size = 0;
};

// The NUL-terminated string at `off` of the table, at most `max_len` bytes
// before its NUL; read in windows, so only what the string needs is read.
std::optional<std::string> table_string(const Source& src, const StringTable& t, std::uint64_t off,
                                        std::size_t max_len) {
  if (off >= t.size) return std::nullopt;
  std::string out;
  std::uint64_t pos = off;
  std::size_t window = 256;  // most names fit the first read
  char buf[kMaxName + 1];
  while (pos < t.size) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(
        {window, t.size - pos, static_cast<std::uint64_t>(max_len + 1 - out.size())}));
    if (want == 0 || !src.read(t.offset + pos, buf, want)) return std::nullopt;
    if (const void* nul = std::memchr(buf, '\0', want); nul != nullptr) {
      out.append(buf, static_cast<std::size_t>(static_cast<const char*>(nul) - buf));
      return out;
    }
    out.append(buf, want);
    pos += want;
    window = sizeof buf;
    if (out.size() > max_len) return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> split_path_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t colon = s.find(':', start);
    const std::size_t end = colon == std::string::npos ? s.size() : colon;
    if (end > start) out.emplace_back(s.substr(start, end - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

Result<void> read_interp(Elf* e, const GElf_Phdr& ph, ElfInfo& info) {
  if (info.interp) return corrupt("more than one PT_INTERP");
  if (ph.p_filesz < 2 || ph.p_filesz > kMaxInterp) return corrupt("PT_INTERP has a bad size");
  Elf_Data* d = elf_getdata_rawchunk(e, static_cast<int64_t>(ph.p_offset), ph.p_filesz, ELF_T_BYTE);
  if (d == nullptr || d->d_buf == nullptr || d->d_size != ph.p_filesz)
    return corrupt("PT_INTERP lies outside the file");
  const char* p = static_cast<const char*>(d->d_buf);
  if (p[ph.p_filesz - 1] != '\0') return corrupt("PT_INTERP is not NUL-terminated");
  const std::size_t len = std::strlen(p);
  if (len + 1 != ph.p_filesz) return corrupt("PT_INTERP has an embedded NUL");
  info.interp = std::string(p, len);
  return {};
}

// The Verneed chain: a list of Verneed records, each with a list of Vernaux.
// Hostile files share one Vernaux list between many Verneed records or point
// every name at one long string; the walk is bounded by kMaxVersionRecords and
// the copies by the budget, and a version name is kept once.
Result<void> read_verneed(Elf* e, const Source& src, const StringTable& strtab, const std::vector<Load>& loads,
                          std::uint64_t verneed, std::uint64_t verneednum, Budget& budget, ElfInfo& info) {
  const auto vw = vaddr_to_offset(loads, verneed);
  if (!vw) return corrupt("DT_VERNEED is outside every PT_LOAD segment");
  const std::uint64_t size = std::min<std::uint64_t>(vw->second, kMaxVersionBytes);
  Elf_Data* vd = elf_getdata_rawchunk(e, static_cast<int64_t>(vw->first), size, ELF_T_VNEED);
  if (vd == nullptr) return corrupt("DT_VERNEED lies outside the file");
  std::size_t off = 0;
  for (std::uint64_t i = 0; i < verneednum; ++i) {
    if (budget.version_records-- == 0) return corrupt("the Verneed chain has too many records");
    GElf_Verneed vn;
    if (gelf_getverneed(vd, static_cast<int>(off), &vn) == nullptr) return corrupt("bad Verneed record");
    // Only the versions of libc.so.6 are kept: compare without copying more.
    auto file = table_string(src, strtab, vn.vn_file, sizeof "libc.so.6");
    const bool libc = file && *file == "libc.so.6";
    std::size_t aux = off + vn.vn_aux;
    for (unsigned k = 0; k < vn.vn_cnt; ++k) {
      if (budget.version_records-- == 0) return corrupt("the Verneed chain has too many records");
      GElf_Vernaux va;
      if (aux < off || gelf_getvernaux(vd, static_cast<int>(aux), &va) == nullptr)
        return corrupt("bad Vernaux record");
      if (libc) {
        auto name = table_string(src, strtab, va.vna_name, kMaxName);
        if (!name) return corrupt("Vernaux name is not a string in DT_STRTAB");
        if (std::find(info.libc_versions.begin(), info.libc_versions.end(), *name) == info.libc_versions.end()) {
          if (!budget.take_bytes(name->size() + 1)) return corrupt("the version names exceed 1 MiB");
          info.libc_versions.push_back(std::move(*name));
        }
      }
      if (va.vna_next == 0) break;
      if (aux + va.vna_next < aux) return corrupt("Vernaux chain overflows");
      aux += va.vna_next;
    }
    if (vn.vn_next == 0) break;
    if (off + vn.vn_next < off) return corrupt("Verneed chain overflows");
    off += vn.vn_next;
  }
  return {};
}

Result<void> read_dynamic(Elf* e, const Source& src, const GElf_Phdr& ph, const std::vector<Load>& loads,
                          ElfInfo& info) {
  const std::size_t entsize = gelf_fsize(e, ELF_T_DYN, 1, EV_CURRENT);
  if (entsize == 0) return libelf_error("cannot size dynamic entries");
  if (ph.p_filesz == 0) return corrupt("PT_DYNAMIC is empty");
  // Entries past the first DT_NULL are never read: a longer segment is cut, not refused.
  const std::uint64_t dyn_size = std::min<std::uint64_t>(ph.p_filesz, kMaxDynamicBytes);
  Elf_Data* d = elf_getdata_rawchunk(e, static_cast<int64_t>(ph.p_offset), dyn_size, ELF_T_DYN);
  if (d == nullptr) return corrupt("PT_DYNAMIC lies outside the file");
  const std::size_t count = dyn_size / entsize;

  std::optional<std::uint64_t> strtab, strsz, runpath, rpath, soname, verneed, verneednum;
  std::vector<std::uint64_t> needed;
  bool terminated = false;
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Dyn dyn;
    if (gelf_getdyn(d, static_cast<int>(i), &dyn) == nullptr) return libelf_error("cannot read a dynamic entry");
    if (dyn.d_tag == DT_NULL) {
      terminated = true;
      break;
    }
    switch (dyn.d_tag) {
      case DT_STRTAB: strtab = dyn.d_un.d_ptr; break;
      case DT_STRSZ: strsz = dyn.d_un.d_val; break;
      case DT_RUNPATH: runpath = dyn.d_un.d_val; break;
      case DT_RPATH: rpath = dyn.d_un.d_val; break;
      case DT_SONAME: soname = dyn.d_un.d_val; break;
      case DT_VERNEED: verneed = dyn.d_un.d_ptr; break;
      case DT_VERNEEDNUM: verneednum = dyn.d_un.d_val; break;
      case DT_NEEDED:
        if (needed.size() >= kMaxNeeded) return corrupt("too many DT_NEEDED entries");
        needed.push_back(dyn.d_un.d_val);
        break;
      default: break;
    }
  }
  if (!terminated) return corrupt("PT_DYNAMIC has no DT_NULL");
  info.has_dynamic = true;
  if (needed.empty() && !runpath && !rpath && !soname) return {};
  if (!strtab || !strsz) return corrupt("dynamic strings without DT_STRTAB or DT_STRSZ");

  const auto where = vaddr_to_offset(loads, *strtab);
  if (!where) return corrupt("DT_STRTAB is outside every PT_LOAD segment");
  if (*strsz > where->second) return corrupt("DT_STRSZ runs past its PT_LOAD segment");
  if (where->first > src.size || *strsz > src.size - where->first) return corrupt("DT_STRTAB lies outside the file");
  const StringTable table{where->first, *strsz};
  Budget budget;

  auto get = [&](std::uint64_t off, std::size_t max_len, const char* what) -> Result<std::string> {
    auto str = table_string(src, table, off, max_len);
    if (!str)
      return corrupt(std::string(what) + " is not a string in DT_STRTAB of at most " + std::to_string(max_len) +
                     " bytes");
    if (!budget.take_bytes(str->size() + 1)) return corrupt("the dynamic strings exceed 1 MiB");
    return *str;
  };
  for (std::uint64_t off : needed) {
    TBX_TRY(std::string name, get(off, kMaxName, "DT_NEEDED"), "reading the dynamic section");
    if (name.empty()) return corrupt("DT_NEEDED is empty");
    info.needed.push_back(std::move(name));
  }
  if (runpath) {
    TBX_TRY(std::string v, get(*runpath, kMaxSearchPath, "DT_RUNPATH"), "reading the dynamic section");
    info.runpath = split_path_list(v);
  }
  if (rpath) {
    TBX_TRY(std::string v, get(*rpath, kMaxSearchPath, "DT_RPATH"), "reading the dynamic section");
    info.rpath = split_path_list(v);
  }
  if (soname) {
    TBX_TRY(std::string v, get(*soname, kMaxName, "DT_SONAME"), "reading the dynamic section");
    info.soname = std::move(v);
  }
  if (verneed && verneednum) return read_verneed(e, src, table, loads, *verneed, *verneednum, budget, info);
  return {};
}

// Looks for our note in one PT_NOTE segment; corrupt notes simply do not match,
// since a note segment belongs to whoever linked the file, not to us. Read
// through `src` into the caller's buffer, not libelf's raw chunks: libelf keeps
// every chunk until elf_end, and a file may have a thousand note segments.
std::optional<std::uint32_t> find_marker_note(const Source& src, const GElf_Phdr& ph, bool msb,
                                              std::vector<unsigned char>& buf) {
  if (ph.p_filesz == 0) return std::nullopt;
  // Our note is the first of a small segment; a longer one is searched in its first 64 KiB.
  const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(ph.p_filesz, kMaxNoteBytes));
  buf.resize(size);
  if (!src.read(ph.p_offset, buf.data(), size)) return std::nullopt;
  const std::size_t align = ph.p_align == 8 ? 8 : 4;
  auto word = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | buf[at + (msb ? i : 3 - i)];
    return v;
  };
  auto up = [&](std::uint64_t v) { return (v + align - 1) & ~static_cast<std::uint64_t>(align - 1); };
  std::uint64_t offset = 0;
  for (int guard = 0; guard < 4096 && offset + 12 <= size; ++guard) {
    const std::uint32_t namesz = word(static_cast<std::size_t>(offset));
    const std::uint32_t descsz = word(static_cast<std::size_t>(offset) + 4);
    const std::uint32_t type = word(static_cast<std::size_t>(offset) + 8);
    const std::uint64_t name_off = offset + 12;
    const std::uint64_t desc_off = up(name_off + namesz);  // 64-bit: no overflow from 32-bit sizes
    const std::uint64_t next = up(desc_off + descsz);
    if (name_off + namesz > size || desc_off + descsz > size) break;
    if (type == tbx::binfmt::kNoteType && namesz == sizeof tbx::binfmt::kNoteOwner &&
        std::memcmp(buf.data() + name_off, tbx::binfmt::kNoteOwner, sizeof tbx::binfmt::kNoteOwner) == 0 &&
        descsz >= sizeof(std::uint32_t)) {
      std::uint32_t version;
      std::memcpy(&version, buf.data() + desc_off, sizeof version);
      return version;
    }
    offset = next;
  }
  return std::nullopt;
}

Result<ElfInfo> probe(Elf* e, const Source& src, ProbeDepth depth) {
  if (elf_kind(e) != ELF_K_ELF) return make_error(ENOEXEC, "not an ELF file");
  std::size_t ident_size = 0;
  const char* ident = elf_getident(e, &ident_size);
  if (ident == nullptr || ident_size < EI_NIDENT) return libelf_error("cannot read e_ident");
  ElfInfo info;
  info.elf_class = static_cast<unsigned char>(ident[EI_CLASS]);
  info.data = static_cast<unsigned char>(ident[EI_DATA]);
  GElf_Ehdr eh;
  if (gelf_getehdr(e, &eh) == nullptr) return libelf_error("cannot read the ELF header");
  info.type = eh.e_type;
  info.machine = eh.e_machine;
  info.flags = eh.e_flags;

  std::size_t phnum = 0;
  if (elf_getphdrnum(e, &phnum) != 0) return libelf_error("cannot count program headers");
  // libelf quietly caps the count at what fits in the file; a cut-off table is corrupt.
  if (eh.e_phnum != PN_XNUM && phnum != eh.e_phnum) return corrupt("program headers lie outside the file");
  const std::size_t phsize = gelf_fsize(e, ELF_T_PHDR, 1, EV_CURRENT);
  if (phnum > 0 && eh.e_phentsize != phsize) return corrupt("e_phentsize does not match the class");
  if (phsize == 0 || phnum > kMaxPhdrBytes / phsize) return corrupt("too many program headers");

  std::vector<GElf_Phdr> phdrs(phnum);
  std::vector<Load> loads;
  for (std::size_t i = 0; i < phnum; ++i) {
    if (gelf_getphdr(e, static_cast<int>(i), &phdrs[i]) == nullptr)
      return libelf_error("program headers lie outside the file");
    const GElf_Phdr& ph = phdrs[i];
    if (ph.p_type == PT_LOAD) {
      if (ph.p_offset + ph.p_filesz < ph.p_offset) return corrupt("PT_LOAD overflows");
      loads.push_back({ph.p_vaddr, ph.p_offset, ph.p_filesz});
    }
  }

  // 1. The marker, before anything else is read: a file that is not ours gets
  //    only the reads the kernel itself would make (headers and PT_INTERP).
  std::optional<std::uint32_t> note_version;
  std::vector<unsigned char> note_buf;
  for (const GElf_Phdr& ph : phdrs)
    if (ph.p_type == PT_NOTE && !note_version)
      note_version = find_marker_note(src, ph, info.data == ELFDATA2MSB, note_buf);
  info.note_version = note_version;
  const bool flags_match = info.flags == tbx::binfmt::kMarkerFlags;
  if (!flags_match)
    info.marker = Marker::absent;
  else if (!note_version)
    info.marker = Marker::flags_only;
  else if (*note_version != tbx::binfmt::kNoteVersion)
    info.marker = Marker::note_other_version;
  else
    info.marker = Marker::verified;
  const bool want_dynamic = depth == ProbeDepth::full || info.marker == Marker::verified;

  // 2. PT_INTERP, and the dynamic section where wanted.
  bool seen_dynamic = false;
  for (const GElf_Phdr& ph : phdrs) {
    if (ph.p_type == PT_INTERP) {
      if (auto r = read_interp(e, ph, info); !r) return std::move(r).error();
    } else if (ph.p_type == PT_DYNAMIC && want_dynamic) {
      if (seen_dynamic) return corrupt("more than one PT_DYNAMIC");
      seen_dynamic = true;
      if (auto r = read_dynamic(e, src, ph, loads, info); !r) return std::move(r).error();
    }
  }
  return info;
}

// libelf allocates a descriptor per section header when it opens a file, though
// the probe never reads one: bound their number before it does.
Result<void> check_section_count(const Source& src) {
  unsigned char h[sizeof(Elf64_Ehdr)] = {};
  const std::size_t n = std::min<std::uint64_t>(src.size, sizeof h);
  if (n < EI_NIDENT || !src.read(0, h, n) || std::memcmp(h, ELFMAG, SELFMAG) != 0) return {};
  const bool is64 = h[EI_CLASS] == ELFCLASS64;
  const std::size_t shoff_at = is64 ? offsetof(Elf64_Ehdr, e_shoff) : offsetof(Elf32_Ehdr, e_shoff);
  const std::size_t shnum_at = is64 ? offsetof(Elf64_Ehdr, e_shnum) : offsetof(Elf32_Ehdr, e_shnum);
  const std::size_t shoff_len = is64 ? 8 : 4;
  if (shnum_at + 2 > n) return {};  // libelf refuses the short header itself
  auto field = [&](std::size_t at, std::size_t len) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t byte = h[EI_DATA] == ELFDATA2MSB ? at + i : at + len - 1 - i;
      v = v << 8 | h[byte];
    }
    return v;
  };
  const std::uint64_t shoff = field(shoff_at, shoff_len);
  const std::uint64_t shnum = field(shnum_at, 2);
  if (shoff != 0 && (shnum == 0 || shnum > kMaxSections))  // 0: the count is in section 0 (> 65279)
    return corrupt("too many section headers");
  return {};
}

}  // namespace

Result<ElfInfo> probe_elf_fd(int fd, ProbeDepth depth) {
  if (!init_libelf()) return make_error(EINVAL, "libelf is unusable");
  struct stat st;
  if (::fstat(fd, &st) != 0) return make_error(errno, std::string("cannot stat it: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(EACCES, "not a regular file");
  const Source src{fd, nullptr, static_cast<std::uint64_t>(st.st_size)};
  if (auto r = check_section_count(src); !r) return std::move(r).error();
  // ELF_C_READ: libelf reads with pread(2). With ELF_C_READ_MMAP a file cut
  // short by someone else during the probe would raise SIGBUS.
  ElfPtr e(elf_begin(fd, ELF_C_READ, nullptr));
  if (!e) {
    const int err = elf_errno();
    return make_error(ENOEXEC, std::string("cannot read the file as ELF (") + elf_errmsg(err) + ")");
  }
  auto info = probe(e.get(), src, depth);
  if (info) {
    info->dev = st.st_dev;
    info->ino = st.st_ino;
  }
  return info;
}

Result<int> open_regular_at(int dir_fd, const char* path) {
  const int fd = ::openat(dir_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return make_error(errno, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(EACCES, "not a regular file");
  }
  return fd;
}

Result<ElfInfo> probe_elf_memory(const void* data, std::size_t size, ProbeDepth depth) {
  if (!init_libelf()) return make_error(EINVAL, "libelf is unusable");
  // elf_memory wants a writable image; work on a private copy.
  std::vector<char> copy(static_cast<const char*>(data), static_cast<const char*>(data) + size);
  const Source src{-1, reinterpret_cast<const unsigned char*>(copy.data()), copy.size()};
  if (auto r = check_section_count(src); !r) return std::move(r).error();
  ElfPtr e(elf_memory(copy.data(), copy.size()));
  if (!e) return make_error(ENOEXEC, std::string("cannot read the image as ELF (") + elf_errmsg(-1) + ")");
  return probe(e.get(), src, depth);
}

int highest_glibc_minor(const ElfInfo& info) {
  int best = 0;
  for (const std::string& v : info.libc_versions) {
    if (v.rfind("GLIBC_2.", 0) != 0) continue;
    int minor = 0;
    std::size_t i = 8;
    for (; i < v.size() && v[i] >= '0' && v[i] <= '9' && minor < 1000; ++i) minor = minor * 10 + (v[i] - '0');
    if (i > 8) best = std::max(best, minor);
  }
  return best;
}

bool is_native_object(const ElfInfo& info) {
  const tbx::binfmt::Target t = tbx::binfmt::native_target();
  return info.elf_class == t.elf_class && info.data == t.data && info.machine == t.machine;
}

Result<void> check_native_executable(const ElfInfo& info) {
  const tbx::binfmt::Target t = tbx::binfmt::native_target();
  if (info.elf_class != t.elf_class) return make_error(ENOEXEC, "wrong ELF class for this machine");
  if (info.data != t.data) return make_error(ENOEXEC, "wrong byte order for this machine");
  if (info.machine != t.machine) return make_error(ENOEXEC, "built for another machine (e_machine " +
                                                               std::to_string(info.machine) + ")");
  if (info.type != ET_EXEC && info.type != ET_DYN)
    return make_error(ENOEXEC, "not an executable (e_type " + std::to_string(info.type) + ")");
  return {};
}

}  // namespace handler
