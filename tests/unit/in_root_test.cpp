// In-root resolution, through openat2 and through the userspace walk, which
// must agree on every case.
#include <sys/stat.h>

#include "catch.h"

#include "in_root.h"
#include "test_dir.h"
#include "toolbox/unique_fd.h"

using handler::open_in_root;
using handler::walk_in_root;

namespace {

struct Tree : TestDir {
  Tree() {
    mkdir("usr/lib/x86_64-linux-gnu");
    write("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "loader");
    write("usr/lib/x86_64-linux-gnu/libc.so.6", "libc");
    symlink("usr/lib", "lib");                                                  // relative
    mkdir("usr/lib64");
    symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "usr/lib64/ld-linux-x86-64.so.2");  // absolute
    symlink("usr/lib64", "lib64");
    symlink("../../../../../../etc", "usr/lib/escape");                        // climbs past the root
    write("etc/marker", "inside");
    symlink("loop-b", "loop-a");
    symlink("loop-a", "loop-b");
    symlink("/usr/lib/x86_64-linux-gnu/libc.so.6", "abs-libc");
    write("file", "x");
  }
};

ino_t inode(int fd) {
  struct stat st;
  REQUIRE(::fstat(fd, &st) == 0);
  return st.st_ino;
}

ino_t inode(const std::filesystem::path& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("absolute symlinks restart at the root, not at /", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  auto w = walk_in_root(root.get(), "/lib64/ld-linux-x86-64.so.2", O_RDONLY);
  REQUIRE(w.ok());
  CHECK(w->path == "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  CHECK(inode(w->fd.get()) == inode(t.path / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    auto o = open_in_root(root.get(), "/lib64/ld-linux-x86-64.so.2", O_RDONLY);
    REQUIRE(o.ok());
    CHECK(inode(o->get()) == inode(w->fd.get()));
  }
  handler::force_userspace_walk(false);
}

TEST_CASE("relative symlinks and directories", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  auto w = walk_in_root(root.get(), "/lib/x86_64-linux-gnu", O_PATH | O_DIRECTORY);
  REQUIRE(w.ok());
  CHECK(w->path == "/usr/lib/x86_64-linux-gnu");
  auto s = walk_in_root(root.get(), "abs-libc", O_RDONLY);
  REQUIRE(s.ok());
  CHECK(s->path == "/usr/lib/x86_64-linux-gnu/libc.so.6");
  auto slash = walk_in_root(root.get(), "/", O_PATH | O_DIRECTORY);
  REQUIRE(slash.ok());
  CHECK(slash->path == "/");
}

TEST_CASE("'..' cannot leave the root", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  auto w = walk_in_root(root.get(), "/../../../etc/marker", O_RDONLY);
  REQUIRE(w.ok());
  CHECK(w->path == "/etc/marker");
  CHECK(inode(w->fd.get()) == inode(t.path / "etc/marker"));
  auto e = walk_in_root(root.get(), "/usr/lib/escape/marker", O_RDONLY);
  REQUIRE(e.ok());
  CHECK(e->path == "/etc/marker");
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    auto o = open_in_root(root.get(), "/usr/lib/escape/marker", O_RDONLY);
    REQUIRE(o.ok());
    CHECK(inode(o->get()) == inode(t.path / "etc/marker"));
  }
  handler::force_userspace_walk(false);
}

TEST_CASE("loops end in ELOOP, missing files in ENOENT, files are not directories", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    auto loop = open_in_root(root.get(), "/loop-a", O_RDONLY);
    REQUIRE_FALSE(loop.ok());
    CHECK(loop.error().code == ELOOP);
    auto missing = open_in_root(root.get(), "/usr/lib/nothing", O_RDONLY);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ENOENT);
    auto notdir = open_in_root(root.get(), "/file/x", O_RDONLY);
    REQUIRE_FALSE(notdir.ok());
    CHECK(notdir.error().code == ENOTDIR);
  }
  handler::force_userspace_walk(false);
  CHECK_FALSE(walk_in_root(root.get(), "", O_RDONLY).ok());
  CHECK_FALSE(walk_in_root(root.get(), std::string(5000, 'a'), O_RDONLY).ok());
}

TEST_CASE("a trailing '/' or '.' after a file is ENOTDIR, as for the kernel", "[in_root]") {
  Tree t;
  t.symlink("file/", "link-to-file-slash");
  tbx::UniqueFd root(t.open_root());
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    for (const char* p : {"/file/.", "/file/", "/link-to-file-slash"}) {
      INFO(p << (force ? " (walk)" : " (openat2)"));
      auto r = open_in_root(root.get(), p, O_RDONLY);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == ENOTDIR);
    }
    auto d = open_in_root(root.get(), "/usr/lib/.", O_RDONLY);
    CHECK(d.ok());
  }
  handler::force_userspace_walk(false);
}

TEST_CASE("canonical directories: the fast path and the walk agree", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    CHECK(*handler::canonical_dir_in_root(root.get(), "/usr//lib/x86_64-linux-gnu/") == "/usr/lib/x86_64-linux-gnu");
    CHECK(*handler::canonical_dir_in_root(root.get(), "/lib/x86_64-linux-gnu") == "/usr/lib/x86_64-linux-gnu");
    CHECK(*handler::canonical_dir_in_root(root.get(), "/usr/lib/../lib64") == "/usr/lib64");
    CHECK(*handler::canonical_dir_in_root(root.get(), "/") == "/");
    CHECK_FALSE(handler::canonical_dir_in_root(root.get(), "/nothing").ok());
    CHECK_FALSE(handler::canonical_dir_in_root(root.get(), "/file").ok());
  }
  handler::force_userspace_walk(false);
}

TEST_CASE("resolve_in_root: openat2 plus the kernel's name, or the walk, agree", "[in_root]") {
  Tree t;
  tbx::UniqueFd root(t.open_root());
  for (bool force : {false, true}) {
    handler::force_userspace_walk(force);
    auto r = handler::resolve_in_root(root.get(), "/lib64/ld-linux-x86-64.so.2", O_RDONLY);
    REQUIRE(r.ok());
    CHECK(r->path == "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    CHECK(inode(r->fd.get()) == inode(t.path / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
    CHECK_FALSE(handler::resolve_in_root(root.get(), "/loop-a", O_RDONLY).ok());
  }
  handler::force_userspace_walk(false);
}
