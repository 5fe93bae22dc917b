/* The search-tree functions elfutils 0.192's libelf calls but its static
 * archive does not contain (elfutils bug 32293: lib/eu-search.c went into
 * libelf.so only; fixed in 0.193). Debian 13 ships 0.192, so a static link of
 * its libelf.a fails with undefined eu_tsearch, eu_search_tree_init, ...
 *
 * Compiled only when CMake finds the archive incomplete (handler/CMakeLists.txt,
 * TOOLBOX_LIBELF_A_COMPLETE). Drop this file once no supported distribution
 * ships elfutils 0.192 (Debian 13 is the only one; trixie-backports has a fixed
 * elfutils, which the build prefers when installed).
 *
 * elfutils' search_tree is { void *root; <rwlock> lock; }: these functions
 * touch only the root, as elfutils' own *_nolock variants do. The lock is
 * not needed: everything that links libelf here is single-threaded. */
#define _GNU_SOURCE /* tdestroy */
#include <search.h>
#include <stddef.h>

typedef struct {
  void *root;
} toolbox_eu_search_tree;

void *eu_tsearch(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *));
void *eu_tfind(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *));
void *eu_tdelete(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *));
void eu_tdestroy(toolbox_eu_search_tree *tree, void (*free_node)(void *));
void eu_search_tree_init(toolbox_eu_search_tree *tree);
void eu_search_tree_fini(toolbox_eu_search_tree *tree, void (*free_node)(void *));

void *eu_tsearch(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *)) {
  return tsearch(key, &tree->root, compare);
}

void *eu_tfind(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *)) {
  return tfind(key, &tree->root, compare);
}

void *eu_tdelete(const void *key, toolbox_eu_search_tree *tree, int (*compare)(const void *, const void *)) {
  return tdelete(key, &tree->root, compare);
}

void eu_tdestroy(toolbox_eu_search_tree *tree, void (*free_node)(void *)) {
  tdestroy(tree->root, free_node);
  tree->root = NULL;
}

void eu_search_tree_init(toolbox_eu_search_tree *tree) { tree->root = NULL; }

void eu_search_tree_fini(toolbox_eu_search_tree *tree, void (*free_node)(void *)) { eu_tdestroy(tree, free_node); }
