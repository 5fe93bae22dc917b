// The ELF probe on real binaries and on corrupt copies, each made from a real
// file by changing one field; each case is named after the check it trips.
#include <elf.h>

#include "catch.h"
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "elf_probe.h"
#include "toolbox/binfmt/marker.h"

using handler::Marker;
using handler::probe_elf_memory;

namespace {

std::vector<unsigned char> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Elf64_Ehdr ehdr(const std::vector<unsigned char>& f) {
  Elf64_Ehdr h;
  std::memcpy(&h, f.data(), sizeof h);
  return h;
}
void set_ehdr(std::vector<unsigned char>& f, const Elf64_Ehdr& h) { std::memcpy(f.data(), &h, sizeof h); }

// Offset of the first program header of `type`.
std::size_t phdr_offset(const std::vector<unsigned char>& f, std::uint32_t type) {
  const Elf64_Ehdr h = ehdr(f);
  for (std::size_t i = 0; i < h.e_phnum; ++i) {
    const std::size_t off = h.e_phoff + i * sizeof(Elf64_Phdr);
    Elf64_Phdr ph;
    std::memcpy(&ph, f.data() + off, sizeof ph);
    if (ph.p_type == type) return off;
  }
  FAIL("no program header of type " << type);
  return 0;
}
Elf64_Phdr phdr_at(const std::vector<unsigned char>& f, std::size_t off) {
  Elf64_Phdr ph;
  std::memcpy(&ph, f.data() + off, sizeof ph);
  return ph;
}
void set_phdr(std::vector<unsigned char>& f, std::size_t off, const Elf64_Phdr& ph) {
  std::memcpy(f.data() + off, &ph, sizeof ph);
}

auto probe(const std::vector<unsigned char>& f) { return probe_elf_memory(f.data(), f.size()); }

}  // namespace

TEST_CASE("the marked probe is verified and dynamically linked", "[elf]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  auto r = probe(f);
  REQUIRE(r.ok());
  CHECK(r->marker == Marker::verified);
  CHECK(r->flags == tbx::binfmt::kMarkerFlags);
  CHECK(r->note_version == tbx::binfmt::kNoteVersion);
  REQUIRE(r->interp.has_value());
  CHECK(r->interp->find("ld-linux") != std::string::npos);
  CHECK(std::find(r->needed.begin(), r->needed.end(), "libc.so.6") != r->needed.end());
  // The C++ run-time is linked in: no libstdc++ or libgcc_s from a container.
  CHECK(std::find(r->needed.begin(), r->needed.end(), "libstdc++.so.6") == r->needed.end());
  CHECK(std::find(r->needed.begin(), r->needed.end(), "libgcc_s.so.1") == r->needed.end());
  CHECK(handler::check_native_executable(*r).ok());
}

TEST_CASE("version needs: the glibc the binary requires", "[elf]") {
  auto r = probe(read_file(TOOLBOX_TEST_PROBE));
  REQUIRE(r.ok());
  CHECK_FALSE(r->libc_versions.empty());
  CHECK(handler::highest_glibc_minor(*r) >= 2);
  handler::ElfInfo fake;
  fake.libc_versions = {"GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE", "GLIBC_2.9"};
  CHECK(handler::highest_glibc_minor(fake) == 34);
}

TEST_CASE("toolbox itself is marked and verified", "[elf]") {
  auto r = probe(read_file(TOOLBOX_TEST_TOOLBOX));
  REQUIRE(r.ok());
  CHECK(r->marker == Marker::verified);
  // glibc only: everything else is linked in, so nothing can come from a container.
#ifndef TOOLBOX_TEST_SANITIZED
  for (const std::string& n : r->needed) {
    INFO(n);
    CHECK((n == "libc.so.6" || n == "libm.so.6" || n == "ld-linux-x86-64.so.2" || n == "ld-linux-aarch64.so.1"));
  }
#endif
}

TEST_CASE("the handler is static: no PT_INTERP, no DT_NEEDED", "[elf]") {
  auto r = probe(read_file(TOOLBOX_TEST_HANDLER));
  REQUIRE(r.ok());
  CHECK_FALSE(r->interp.has_value());
  CHECK(r->needed.empty());
  CHECK(r->type == ET_DYN);  // static-pie
  CHECK(r->marker == Marker::absent);
}

TEST_CASE("fixture variants carry the marker states they are named after", "[elf]") {
  CHECK(probe(read_file(TOOLBOX_TEST_PROBE_UNMARKED))->marker == Marker::absent);
  CHECK_FALSE(probe(read_file(TOOLBOX_TEST_PROBE_UNMARKED))->note_version.has_value());
  CHECK(probe(read_file(TOOLBOX_TEST_PROBE_FLAGS_ONLY))->marker == Marker::flags_only);
  CHECK(probe(read_file(TOOLBOX_TEST_PROBE_NOTE_V2))->marker == Marker::note_other_version);
}

TEST_CASE("a shared library: DT_SONAME and its own DT_NEEDED", "[elf]") {
  auto r = probe(read_file("/lib/x86_64-linux-gnu/libc.so.6"));
  REQUIRE(r.ok());
  CHECK(r->soname == "libc.so.6");
  CHECK(std::find(r->needed.begin(), r->needed.end(), "ld-linux-x86-64.so.2") != r->needed.end());
  CHECK(handler::is_native_object(*r));
}

TEST_CASE("section headers are not needed (stripped away)", "[elf]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_shoff = 0;
  h.e_shnum = 0;
  h.e_shstrndx = 0;
  set_ehdr(f, h);
  auto r = probe(f);
  REQUIRE(r.ok());
  CHECK(r->marker == Marker::verified);
  CHECK(std::find(r->needed.begin(), r->needed.end(), "libc.so.6") != r->needed.end());
}

TEST_CASE("corrupt: not an ELF file", "[elf][corrupt]") {
  std::vector<unsigned char> f(4096, 0x41);
  CHECK_FALSE(probe(f).ok());
  CHECK_FALSE(probe(std::vector<unsigned char>{}).ok());
}

TEST_CASE("corrupt: truncated file", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  for (std::size_t size : {std::size_t{16}, std::size_t{63}, std::size_t{64 + 56 * 2}, std::size_t{1000}}) {
    std::vector<unsigned char> t(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(size));
    INFO("truncated to " << size);
    CHECK_FALSE(probe(t).ok());
  }
}

TEST_CASE("corrupt: program headers past the end", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_phoff = f.size() - 8;
  set_ehdr(f, h);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: huge phnum", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_phnum = 60000;
  set_ehdr(f, h);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: e_phentsize of another class", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_phentsize = sizeof(Elf32_Phdr);
  set_ehdr(f, h);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: PT_INTERP without NUL", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const Elf64_Phdr ph = phdr_at(f, phdr_offset(f, PT_INTERP));
  f[ph.p_offset + ph.p_filesz - 1] = 'x';
  auto r = probe(f);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, tbx::test::ContainsSubstring("NUL"));
}

TEST_CASE("corrupt: PT_INTERP with an embedded NUL", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const Elf64_Phdr ph = phdr_at(f, phdr_offset(f, PT_INTERP));
  f[ph.p_offset + 3] = '\0';
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: PT_INTERP past EOF", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const std::size_t off = phdr_offset(f, PT_INTERP);
  Elf64_Phdr ph = phdr_at(f, off);
  ph.p_offset = f.size() - 4;
  set_phdr(f, off, ph);
  CHECK_FALSE(probe(f).ok());
  ph.p_offset = ~std::uint64_t{0} - 2;  // offset + size overflows
  set_phdr(f, off, ph);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: PT_INTERP of absurd size", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const std::size_t off = phdr_offset(f, PT_INTERP);
  Elf64_Phdr ph = phdr_at(f, off);
  ph.p_filesz = 1 << 20;
  set_phdr(f, off, ph);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: PT_DYNAMIC past EOF", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const std::size_t off = phdr_offset(f, PT_DYNAMIC);
  Elf64_Phdr ph = phdr_at(f, off);
  ph.p_offset = f.size() + 4096;
  set_phdr(f, off, ph);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: DT_NEEDED outside DT_STRTAB", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const Elf64_Phdr ph = phdr_at(f, phdr_offset(f, PT_DYNAMIC));
  bool changed = false;
  for (std::size_t o = ph.p_offset; o + sizeof(Elf64_Dyn) <= ph.p_offset + ph.p_filesz; o += sizeof(Elf64_Dyn)) {
    Elf64_Dyn d;
    std::memcpy(&d, f.data() + o, sizeof d);
    if (d.d_tag == DT_NEEDED) {
      d.d_un.d_val = 0x7fffffff;
      std::memcpy(f.data() + o, &d, sizeof d);
      changed = true;
      break;
    }
  }
  REQUIRE(changed);
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: DT_STRSZ past its segment", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const Elf64_Phdr ph = phdr_at(f, phdr_offset(f, PT_DYNAMIC));
  for (std::size_t o = ph.p_offset; o + sizeof(Elf64_Dyn) <= ph.p_offset + ph.p_filesz; o += sizeof(Elf64_Dyn)) {
    Elf64_Dyn d;
    std::memcpy(&d, f.data() + o, sizeof d);
    if (d.d_tag == DT_STRSZ) {
      d.d_un.d_val = 1ull << 40;
      std::memcpy(f.data() + o, &d, sizeof d);
    }
  }
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("corrupt: dynamic section without DT_NULL", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  const Elf64_Phdr ph = phdr_at(f, phdr_offset(f, PT_DYNAMIC));
  for (std::size_t o = ph.p_offset; o + sizeof(Elf64_Dyn) <= ph.p_offset + ph.p_filesz; o += sizeof(Elf64_Dyn)) {
    Elf64_Dyn d;
    std::memcpy(&d, f.data() + o, sizeof d);
    if (d.d_tag == DT_NULL) {
      d.d_tag = DT_DEBUG;
      std::memcpy(f.data() + o, &d, sizeof d);
    }
  }
  CHECK_FALSE(probe(f).ok());
}

TEST_CASE("wrong class is not a native executable", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  f[EI_CLASS] = ELFCLASS32;
  auto r = probe(f);
  CHECK((!r.ok() || !handler::check_native_executable(*r).ok()));
}

TEST_CASE("wrong machine is not a native executable", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_machine = EM_AARCH64;
  set_ehdr(f, h);
  auto r = probe(f);
  REQUIRE(r.ok());
  auto c = handler::check_native_executable(*r);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.error().message, tbx::test::ContainsSubstring("another machine"));
}

TEST_CASE("a relocatable object is not an executable", "[elf][corrupt]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  Elf64_Ehdr h = ehdr(f);
  h.e_type = ET_REL;
  set_ehdr(f, h);
  auto r = probe(f);
  CHECK((!r.ok() || !handler::check_native_executable(*r).ok()));
}

TEST_CASE("marker without note: flags only", "[elf][marker]") {
  auto f = read_file(TOOLBOX_TEST_PROBE_UNMARKED);
  Elf64_Ehdr h = ehdr(f);
  h.e_flags = tbx::binfmt::kMarkerFlags;
  set_ehdr(f, h);
  CHECK(probe(f)->marker == Marker::flags_only);
}

TEST_CASE("note of another version, or of another owner, is not ours", "[elf][marker]") {
  auto f = read_file(TOOLBOX_TEST_PROBE);
  auto it = std::search(f.begin(), f.end(), std::begin(tbx::binfmt::kNoteOwner), std::end(tbx::binfmt::kNoteOwner));
  REQUIRE(it != f.end());
  const std::size_t name = static_cast<std::size_t>(it - f.begin());
  std::uint32_t v = 2;
  auto g = f;
  std::memcpy(g.data() + name + 8, &v, sizeof v);  // descriptor follows the 8-byte name
  CHECK(probe(g)->marker == Marker::note_other_version);
  auto o = f;
  o[name] = 'X';
  CHECK(probe(o)->marker == Marker::flags_only);
  auto t = f;
  std::uint32_t type = 1;
  std::memcpy(t.data() + name - 4, &type, sizeof type);  // n_type precedes the name
  CHECK(probe(t)->marker == Marker::flags_only);
  auto n = f;
  std::uint32_t huge = 0xfffffff0;
  std::memcpy(n.data() + name - 8, &huge, sizeof huge);  // n_descsz past the segment
  auto rn = probe(n);
  REQUIRE(rn.ok());
  CHECK(rn->marker == Marker::flags_only);
}
