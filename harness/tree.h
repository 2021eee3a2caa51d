/* tree.h - fixture trees: validate and copy a directory tree without ever following
 * a symlink out of it. Fixtures are only read; copies are what runs write into. */
#ifndef WM_TREE_H
#define WM_TREE_H

/* Checks that every symlink under 'root' points inside the tree (relative target,
 * never climbing above the root). Returns 0, or -1 with *why (malloc'd). */
int tree_check(const char *root, char **why);
/* Copies 'src' into the existing directory 'dst' (regular files, directories, and
 * symlinks that stay inside the tree). Returns 0, or -1 with *why (malloc'd). */
int tree_copy(const char *src, const char *dst, char **why);

/* A digest of a tree's observable state (names, types, file contents, link targets),
 * as 16 hex digits; equal trees give equal digests. NULL if unreadable. */
char *tree_digest(const char *root);

#endif
