// What toolbox must fix up about itself when the binfmt_misc handler started it
// through an explicit loader ("ld.so --argv0 toolbox /usr/bin/toolbox ..."): then
// /proc/self/exe is the loader, /proc/self/comm says "ld-linux-x86-64", the
// command line shows the loader's options, and LD_PRELOAD/LD_AUDIT were moved
// aside by the handler (see toolbox/binfmt/runtime.h).
#pragma once

#include <string>

#include "toolbox/result.h"

namespace tbx::sys {

// True when this process was started as "ld.so PROGRAM" rather than through
// PT_INTERP: the kernel then ran the loader itself, so AT_BASE is 0.
bool started_through_loader();

// Call first in main(): puts back the variables the handler moved aside, names
// the process after `argv0`, and rewrites the command line so that ps(1) shows
// argv, not the loader's options. Returns argv as it was (our own copies).
struct StartupFixups {
  bool through_loader = false;
};
StartupFixups adopt_handler_startup(int argc, char** argv);

// The absolute, symlink-free path of the running toolbox binary: /proc/self/exe,
// or, when started through a loader, the file mapped at our own code.
tbx::Result<std::string> own_executable_path();

}  // namespace tbx::sys
