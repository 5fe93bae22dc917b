// The shell completion scripts of toolbox/completion/, compiled in (generated
// by CMake from toolbox/completion/scripts.cpp.in).
#pragma once

namespace tbx::cli {

extern const char* const kCompletionBash;
extern const char* const kCompletionZsh;
extern const char* const kCompletionFish;

}  // namespace tbx::cli
