// toolbox-test-set-flags FILE HEX: sets e_flags through libelf, for test
// fixtures the marking tool rightly refuses to make (flags without a note).
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "Usage: toolbox-test-set-flags FILE HEX\n");
    return 2;
  }
  elf_version(EV_CURRENT);
  const int fd = open(argv[1], O_RDWR | O_CLOEXEC);
  Elf* e = fd >= 0 ? elf_begin(fd, ELF_C_RDWR, nullptr) : nullptr;
  GElf_Ehdr eh;
  if (e == nullptr || gelf_getehdr(e, &eh) == nullptr) {
    std::fprintf(stderr, "toolbox-test-set-flags: %s: cannot read\n", argv[1]);
    return 1;
  }
  eh.e_flags = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 16));
  const bool ok = gelf_update_ehdr(e, &eh) && elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT) &&
                  elf_update(e, ELF_C_WRITE) >= 0;
  elf_end(e);
  close(fd);
  return ok ? 0 : 1;
}
