// toolbox-test-hostile-elf MARKED_BINARY OUTDIR: writes the hostile-ELF corpus
// into OUTDIR, each file a copy of a real marked binary (64-bit, little-endian:
// x86-64 and aarch64) with fields changed, named after the check it trips:
//   verneed-too-many-records      1024 Verneed records sharing one chain of 1024
//                                 Vernaux, each naming one 2 KB string: a walk
//                                 without bounds copies 2 GB
//   needed-name-too-long          1024 DT_NEEDED naming one 64 KB string (64 MB)
//   dynamic-strings-over-budget   1024 DT_NEEDED naming one 3 KB string (3 MB)
//   interp-is-the-file-itself     PT_INTERP names OUTDIR/interp-is-the-file-itself
//   interp-carries-the-marker     PT_INTERP names MARKED_BINARY
//   truncated-in-dynamic          cut inside PT_DYNAMIC
//   truncated-in-program-headers  cut inside the program header table
//   too-many-section-headers      e_shnum 65000
//   needed-with-a-slash           a DT_NEEDED /lib/x86_64-linux-gnu/libc.so.6 (a path:
//                                 ld.so opens it in the container, not the host root)
//   notes-before-the-marker       1100 PT_NOTE headers of 64 KB each (junk) before the
//                                 real ones: a probe keeping what it read holds 69 MB
// Every file keeps e_flags and the marker note, so the handler probes it fully.
// The test (tests/privileged/handler_hostile.sh) holds the exit codes expected.
#include <elf.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "toolbox-test-hostile-elf: %s\n", why.c_str());
  std::exit(1);
}

template <typename T>
T get(const Bytes& f, std::size_t off) {
  if (off + sizeof(T) > f.size()) die("offset past the end");
  T v;
  std::memcpy(&v, f.data() + off, sizeof v);
  return v;
}

template <typename T>
void put(Bytes& f, std::size_t off, const T& v) {
  if (off + sizeof(T) > f.size()) die("offset past the end");
  std::memcpy(f.data() + off, &v, sizeof v);
}

std::size_t phdr_off(const Bytes& f, std::size_t i) {
  const auto h = get<Elf64_Ehdr>(f, 0);
  return h.e_phoff + i * sizeof(Elf64_Phdr);
}

// Offset of the first program header of `type`.
std::size_t find_phdr(const Bytes& f, std::uint32_t type) {
  const auto h = get<Elf64_Ehdr>(f, 0);
  for (std::size_t i = 0; i < h.e_phnum; ++i)
    if (get<Elf64_Phdr>(f, phdr_off(f, i)).p_type == type) return phdr_off(f, i);
  die("no program header of type " + std::to_string(type));
}

// Where the dynamic entry with `tag` sits.
std::size_t find_dyn(const Bytes& f, std::int64_t tag) {
  const auto dyn = get<Elf64_Phdr>(f, find_phdr(f, PT_DYNAMIC));
  for (std::size_t off = dyn.p_offset; off + sizeof(Elf64_Dyn) <= dyn.p_offset + dyn.p_filesz;
       off += sizeof(Elf64_Dyn)) {
    const auto d = get<Elf64_Dyn>(f, off);
    if (d.d_tag == tag) return off;
    if (d.d_tag == DT_NULL) break;
  }
  die("no dynamic entry with tag " + std::to_string(tag));
}

std::uint64_t vaddr_to_offset(const Bytes& f, std::uint64_t addr) {
  const auto h = get<Elf64_Ehdr>(f, 0);
  for (std::size_t i = 0; i < h.e_phnum; ++i) {
    const auto ph = get<Elf64_Phdr>(f, phdr_off(f, i));
    if (ph.p_type == PT_LOAD && addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz)
      return ph.p_offset + (addr - ph.p_vaddr);
  }
  die("address outside every PT_LOAD");
}

// An area appended to the file and mapped by a new PT_LOAD (the program's
// PT_GNU_STACK header, which the probe never reads, turned into one): strings
// and tables placed there are reachable by virtual address.
struct Appendix {
  static constexpr std::uint64_t kBase = 0x7000000000;
  Bytes& f;
  std::size_t start;

  explicit Appendix(Bytes& file) : f(file) {
    f.resize((f.size() + 0xfff) & ~std::size_t{0xfff}, 0);
    start = f.size();
  }
  std::uint64_t add(const void* p, std::size_t n) {  // returns the offset inside the appendix
    const std::uint64_t at = f.size() - start;
    const auto* b = static_cast<const unsigned char*>(p);
    f.insert(f.end(), b, b + n);
    while (f.size() % 8 != 0) f.push_back(0);
    return at;
  }
  std::uint64_t add_string(const std::string& s) { return add(s.c_str(), s.size() + 1); }
  std::uint64_t vaddr(std::uint64_t at) const { return kBase + at; }
  std::uint64_t file_offset(std::uint64_t at) const { return start + at; }
  void map() {
    const std::size_t off = find_phdr(f, PT_GNU_STACK);
    Elf64_Phdr ph{};
    ph.p_type = PT_LOAD;
    ph.p_flags = PF_R;
    ph.p_offset = start;
    ph.p_vaddr = ph.p_paddr = kBase;
    ph.p_filesz = ph.p_memsz = f.size() - start;
    ph.p_align = 0x1000;
    put(f, off, ph);
  }
};

void set_dyn(Bytes& f, std::int64_t tag, std::uint64_t value) {
  const std::size_t off = find_dyn(f, tag);
  auto d = get<Elf64_Dyn>(f, off);
  d.d_un.d_val = value;
  put(f, off, d);
}

// The program's own string table, copied into the appendix with `extra`
// appended; returns the offset of `extra` in the new table.
std::uint64_t move_strtab(Bytes& f, Appendix& a, const std::string& extra, std::uint64_t& table_at) {
  const auto strtab = get<Elf64_Dyn>(f, find_dyn(f, DT_STRTAB)).d_un.d_ptr;
  const auto strsz = get<Elf64_Dyn>(f, find_dyn(f, DT_STRSZ)).d_un.d_val;
  const std::uint64_t off = vaddr_to_offset(f, strtab);
  Bytes table(f.begin() + static_cast<std::ptrdiff_t>(off), f.begin() + static_cast<std::ptrdiff_t>(off + strsz));
  const std::uint64_t extra_at = table.size();
  table.insert(table.end(), extra.begin(), extra.end());
  table.push_back(0);
  table_at = a.add(table.data(), table.size());
  set_dyn(f, DT_STRTAB, a.vaddr(table_at));
  set_dyn(f, DT_STRSZ, table.size());
  return extra_at;
}

Bytes verneed_bomb(Bytes f) {
  Appendix a(f);
  std::uint64_t table_at = 0;
  const std::string long_name = "GLIBC_2.99" + std::string(2038, 'x');
  const std::uint64_t libc_at = move_strtab(f, a, std::string("libc.so.6") + '\0' + long_name, table_at);
  const std::uint64_t name_at = libc_at + sizeof "libc.so.6";
  constexpr unsigned kCount = 1024;
  // Verneed records first, then the one Vernaux chain they all point into.
  std::vector<Elf64_Verneed> needs(kCount);
  std::vector<Elf64_Vernaux> auxes(kCount);
  const std::size_t chain = kCount * sizeof(Elf64_Verneed);
  for (unsigned i = 0; i < kCount; ++i) {
    needs[i] = {1, static_cast<Elf64_Half>(kCount), static_cast<Elf64_Word>(libc_at),
                static_cast<Elf64_Word>(chain - i * sizeof(Elf64_Verneed)),
                i + 1 < kCount ? static_cast<Elf64_Word>(sizeof(Elf64_Verneed)) : 0};
    auxes[i] = {0, 0, static_cast<Elf64_Half>(i + 2), static_cast<Elf64_Word>(name_at),
                i + 1 < kCount ? static_cast<Elf64_Word>(sizeof(Elf64_Vernaux)) : 0};
  }
  Bytes area(chain + kCount * sizeof(Elf64_Vernaux));
  std::memcpy(area.data(), needs.data(), chain);
  std::memcpy(area.data() + chain, auxes.data(), kCount * sizeof(Elf64_Vernaux));
  const std::uint64_t at = a.add(area.data(), area.size());
  set_dyn(f, DT_VERNEED, a.vaddr(at));
  set_dyn(f, DT_VERNEEDNUM, kCount);
  a.map();
  return f;
}

// PT_DYNAMIC pointed at `dyn`, copied to the appendix, which is then mapped.
void point_dynamic_at(Bytes& f, Appendix& a, const std::vector<Elf64_Dyn>& dyn) {
  const std::uint64_t at = a.add(dyn.data(), dyn.size() * sizeof(Elf64_Dyn));
  const std::size_t ph_off = find_phdr(f, PT_DYNAMIC);
  auto ph = get<Elf64_Phdr>(f, ph_off);
  ph.p_offset = a.file_offset(at);
  ph.p_vaddr = ph.p_paddr = a.vaddr(at);
  ph.p_filesz = ph.p_memsz = dyn.size() * sizeof(Elf64_Dyn);
  put(f, ph_off, ph);
  a.map();
}

// A new dynamic section of `count` DT_NEEDED naming one string of `len` bytes.
Bytes needed_bomb(Bytes f, std::size_t len) {
  Appendix a(f);
  std::uint64_t table_at = 0;
  const std::uint64_t name_at = move_strtab(f, a, std::string(len, 'n'), table_at);
  const auto old = get<Elf64_Phdr>(f, find_phdr(f, PT_DYNAMIC));
  std::vector<Elf64_Dyn> dyn;
  for (std::size_t off = old.p_offset; off + sizeof(Elf64_Dyn) <= old.p_offset + old.p_filesz;
       off += sizeof(Elf64_Dyn)) {
    auto d = get<Elf64_Dyn>(f, off);
    if (d.d_tag == DT_NULL) break;
    if (d.d_tag != DT_NEEDED) dyn.push_back(d);
  }
  for (int i = 0; i < 1024; ++i) {
    Elf64_Dyn d{};
    d.d_tag = DT_NEEDED;
    d.d_un.d_val = name_at;
    dyn.push_back(d);
  }
  dyn.push_back(Elf64_Dyn{});
  point_dynamic_at(f, a, dyn);
  return f;
}

// One more DT_NEEDED, naming `name`, in place of the first DT_NULL's successor:
// the dynamic section is copied to the appendix with the entry added.
Bytes with_needed(Bytes f, const std::string& name) {
  Appendix a(f);
  std::uint64_t table_at = 0;
  const std::uint64_t name_at = move_strtab(f, a, name, table_at);
  const auto old = get<Elf64_Phdr>(f, find_phdr(f, PT_DYNAMIC));
  std::vector<Elf64_Dyn> dyn;
  Elf64_Dyn extra{};
  extra.d_tag = DT_NEEDED;
  extra.d_un.d_val = name_at;
  dyn.push_back(extra);
  for (std::size_t off = old.p_offset; off + sizeof(Elf64_Dyn) <= old.p_offset + old.p_filesz;
       off += sizeof(Elf64_Dyn)) {
    auto d = get<Elf64_Dyn>(f, off);
    dyn.push_back(d);
    if (d.d_tag == DT_NULL) break;
  }
  point_dynamic_at(f, a, dyn);
  return f;
}

Bytes with_interp(Bytes f, const std::string& interp) {
  Appendix a(f);
  const std::uint64_t at = a.add_string(interp);
  const std::size_t ph_off = find_phdr(f, PT_INTERP);
  auto ph = get<Elf64_Phdr>(f, ph_off);
  ph.p_offset = a.file_offset(at);
  ph.p_filesz = ph.p_memsz = interp.size() + 1;
  put(f, ph_off, ph);
  return f;
}

// A new program header table in the appendix: `count` junk PT_NOTE segments of
// 64 KB each (at different offsets, so nothing can share them, in the file's
// tail, far from its real notes), then the real headers.
Bytes notes_bomb(Bytes f, std::size_t count) {
  auto h = get<Elf64_Ehdr>(f, 0);
  if (f.size() < 4 * count + 65536 + 4096) die("the binary is too small for the note bomb");
  const std::size_t first = (f.size() - 4 * count - 65536) & ~std::size_t{3};
  std::vector<Elf64_Phdr> table;
  for (std::size_t i = 0; i < count; ++i) {
    Elf64_Phdr ph{};
    ph.p_type = PT_NOTE;
    ph.p_flags = PF_R;
    ph.p_offset = first + 4 * i;
    ph.p_filesz = ph.p_memsz = 65536;
    ph.p_align = 4;
    table.push_back(ph);
  }
  for (std::size_t i = 0; i < h.e_phnum; ++i) table.push_back(get<Elf64_Phdr>(f, phdr_off(f, i)));
  Appendix a(f);
  const std::uint64_t at = a.add(table.data(), table.size() * sizeof(Elf64_Phdr));
  h = get<Elf64_Ehdr>(f, 0);
  h.e_phoff = a.file_offset(at);
  h.e_phnum = static_cast<Elf64_Half>(table.size());
  put(f, 0, h);
  return f;
}

Bytes cut(Bytes f, std::size_t size) {
  f.resize(size);
  return f;
}

void write(const std::string& path, const Bytes& f) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  if (!out) die("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "Usage: toolbox-test-hostile-elf MARKED_BINARY OUTDIR\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const Bytes f{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (f.size() < sizeof(Elf64_Ehdr) || std::memcmp(f.data(), ELFMAG, SELFMAG) != 0 ||
      f[EI_CLASS] != ELFCLASS64 || f[EI_DATA] != ELFDATA2LSB)
    die(std::string(argv[1]) + ": not a 64-bit little-endian ELF file");
  const std::string out = argv[2];

  write(out + "/verneed-too-many-records", verneed_bomb(f));
  write(out + "/needed-name-too-long", needed_bomb(f, 65536));
  write(out + "/dynamic-strings-over-budget", needed_bomb(f, 3000));
  write(out + "/interp-is-the-file-itself", with_interp(f, out + "/interp-is-the-file-itself"));
  write(out + "/interp-carries-the-marker", with_interp(f, argv[1]));
  const auto dyn = get<Elf64_Phdr>(f, find_phdr(f, PT_DYNAMIC));
  write(out + "/truncated-in-dynamic", cut(f, dyn.p_offset + 8));
  write(out + "/truncated-in-program-headers", cut(f, get<Elf64_Ehdr>(f, 0).e_phoff + 20));
  write(out + "/needed-with-a-slash", with_needed(f, "/lib/x86_64-linux-gnu/libc.so.6"));
  write(out + "/notes-before-the-marker", notes_bomb(f, 1100));
  Bytes shnum = f;
  auto h = get<Elf64_Ehdr>(shnum, 0);
  h.e_shnum = 65000;
  put(shnum, 0, h);
  write(out + "/too-many-section-headers", shnum);
  return 0;
}
