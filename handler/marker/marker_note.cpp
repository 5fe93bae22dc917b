// The marker note, linked into every binary the build marks (toolbox_mark() in
// handler/CMakeLists.txt). A section whose name starts with ".note" becomes
// SHT_NOTE (GNU as), is allocated, and so lands in a PT_NOTE segment that the
// handler finds without section headers and that strip(1) keeps.
#include "toolbox/binfmt/marker.h"

namespace {

[[gnu::used, gnu::section(".note.toolbox.marker")]] alignas(4) const tbx::binfmt::MarkerNote
    kToolboxMarkerNote = {
        sizeof tbx::binfmt::kNoteOwner, sizeof(std::uint32_t), tbx::binfmt::kNoteType,
        {'T', 'o', 'o', 'l', 'b', 'o', 'x', '\0'}, tbx::binfmt::kNoteVersion};

}  // namespace
