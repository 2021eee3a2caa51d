/* fixture.h - fixture trees: the directories a test copies into its sandbox. A fixture
 * tree holds regular files, directories, and symlinks that resolve (through the tree as
 * it is) to something inside the tree; anything else is refused: devices, FIFOs, sockets,
 * links that leave the tree, dangling links, link loops. Links are checked by resolving
 * them beneath the tree's root (beneath.h), never by their text. Strings returned through
 * 'why' or as results are malloc'd and freed by the caller. */
#ifndef WM_FIXTURE_H
#define WM_FIXTURE_H

#define FIXTURE_MAX_DEPTH 128	/* directory nesting in a fixture tree */

/* Checks the tree at 'root'. Returns 0, or -1 with *why. */
int fixture_check(const char *root, char **why);
/* Copies the tree at 'src' into the existing, empty directory 'dstfd', checking it again
 * as it goes (the fixture may have changed since it was loaded). Returns 0 or -1, *why. */
int fixture_copy(const char *src, int dstfd, char **why);
/* The same, leaving out every entry whose name ends in 'suffix' (with what is beneath it):
 * upstream wasi-testsuite's "*.cleanup" test artifacts. */
int fixture_check_except(const char *root, const char *suffix, char **why);
int fixture_copy_except(const char *src, int dstfd, const char *suffix, char **why);

/* A digest of a tree's observable state (names, types, file contents, link targets),
 * as 16 hex digits; equal trees give equal digests. NULL if unreadable. Never follows
 * a link. Used for a fixture as loaded and for a sandbox directory after the guest ran. */
char *fixture_digest_fd(int rootfd);
char *fixture_digest(const char *root);

#endif
