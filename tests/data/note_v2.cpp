// A marker note of a future format version 2, for the test that the handler
// passes such a binary through untouched.
#include "toolbox/binfmt/marker.h"

namespace {

[[gnu::used, gnu::section(".note.toolbox.marker")]] alignas(4) const tbx::binfmt::MarkerNote kNote = {
    sizeof tbx::binfmt::kNoteOwner, sizeof(std::uint32_t), tbx::binfmt::kNoteType,
    {'T', 'o', 'o', 'l', 'b', 'o', 'x', '\0'}, 2};

}  // namespace
