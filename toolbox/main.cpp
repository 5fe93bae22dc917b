// toolbox: see docs/toolbox.1.md.
//
// Steps: (1) undo what running through the binfmt_misc handler changed about the
// process, (2) the command line, parsed and run by cli/ (which prints errors).
#include "cli/app.h"
#include "sys/self.h"

int main(int argc, char** argv) {
  // 1. Through the handler the loader ran us: restore the user's environment
  //    and show up as "toolbox", not as ld.so.
  tbx::sys::adopt_handler_startup(argc, argv);
  // 2. The command line, as upstream's.
  return tbx::cli::run_command_line(argc, argv);
}
