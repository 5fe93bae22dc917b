// The command line as upstream's cobra tree reads it, and the policy around it:
// unknown flags and commands, --help, --version, forwarding from inside a
// container, logging. main() only calls run_command_line().
#pragma once

namespace tbx::cli {

// Parses argv, runs the command it names and returns the exit status. Every
// error is printed here, once, as "Error: ...".
int run_command_line(int argc, char** argv);

}  // namespace tbx::cli
